"""A leader moves a session with people on it, sees who is released and why, confirms; the volunteer sees why."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from service_support import PASSWORD

ZONE = ZoneInfo("Europe/Stockholm")


def _login(tab: Any, key: str) -> None:
    tab.goto("/login")
    tab.page.get_by_label("E-postadress").fill(f"{key}@test.samverka.se")
    tab.page.get_by_label("Lösenord").fill(PASSWORD)
    tab.page.get_by_role("button", name="Logga in").click()


def _arrange(world: Any) -> Any:
    """A circle session in five days, 17:00-18:30: Anna (14) and Bo (adult) have accepted it."""

    async def arrange(db: Any) -> uuid.UUID:
        from sqlalchemy import update

        from volunteers.db.models import (
            Assignment,
            AssignmentStatus,
            AvailabilityRule,
            Session,
            StaffingNeed,
            VolunteerProfile,
        )

        day = dt.datetime.now(ZONE).date() + dt.timedelta(days=5)
        start = dt.datetime.combine(day, dt.time(17), tzinfo=ZONE).astimezone(dt.UTC)
        s = Session(activity_id=world.activities["circle"], starts_at=start, ends_at=start + dt.timedelta(minutes=90))
        db.add(s)
        db.add(StaffingNeed(activity_id=world.activities["circle"], role="Cirkelledare", count=2))
        await db.execute(
            update(VolunteerProfile)
            .where(VolunteerProfile.id == world.profiles["vol_anna"])
            .values(
                birth_date=dt.date.today().replace(year=dt.date.today().year - 14) - dt.timedelta(days=30),
                guardian_consent_at=dt.datetime.now(dt.UTC),  # a 14-year-old registers with a guardian's consent
            )
        )
        await db.flush()
        for key in ("vol_anna", "vol_bo"):
            for weekday in range(7):
                db.add(
                    AvailabilityRule(
                        profile_id=world.profiles[key], weekday=weekday, start_time=dt.time(6), end_time=dt.time(23)
                    )
                )
            db.add(
                Assignment(
                    id=uuid.uuid4(),
                    session_id=s.id,
                    volunteer_id=world.profiles[key],
                    role="Cirkelledare",
                    status=AssignmentStatus.ACCEPTED,
                    starts_at=s.starts_at,
                    ends_at=s.ends_at,
                )
            )
        await db.flush()
        return s.id

    return arrange


def test_leader_moves_a_session_sees_who_is_released_and_the_volunteer_sees_why(open_tab, live_server) -> None:
    session_id = live_server.arrange(_arrange(live_server.world))
    leader = open_tab(language="sv")
    _login(leader, "leader_abf")
    leader.page.wait_for_url(lambda url: "/login" not in url)
    leader.goto(f"/sessions/{session_id}")
    leader.page.get_by_role("link", name="Flytta tillfället").click()
    leader.check("rules-move-form")
    leader.page.get_by_label("Börjar").fill("20:30")
    leader.page.get_by_label("Slutar").fill("22:00")
    leader.page.get_by_role("button", name="Flytta tillfället").click()
    preview = leader.page.locator("#release-preview")
    expect(preview).to_contain_text("Om tillfället flyttas släpps de här personerna")
    expect(preview).to_contain_text("Anna Volunteer")
    expect(preview).to_contain_text("under 18")
    expect(preview).not_to_contain_text("Bo Volunteer")
    leader.check("rules-move-preview")
    leader.page.get_by_role("button", name="Flytta och släpp dem").click()
    expect(leader.page.get_by_text("Tillfället är flyttat. Alla på det får veta.")).to_be_visible()
    expect(leader.page.get_by_text("Bo Volunteer")).to_be_visible()

    anna = open_tab(language="sv")
    _login(anna, "vol_anna")
    anna.goto("/me/sessions")
    released = anna.page.locator("#released")
    expect(released).to_contain_text("Pass du inte längre har")
    expect(released).to_contain_text("Swedish circle")
    expect(released).to_contain_text("Under 16 efter 20:00")  # in her words, not the staff's
    anna.check("rules-volunteer-released")
