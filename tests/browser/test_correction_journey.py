"""A coordinator corrects a volunteer's birth date on the volunteer page, sees whom it releases and why, confirms;
the volunteer sees the release, its reason in her words and what to do, and the auditor finds nothing broken."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from rules_invariant import broken_holds
from service_support import PASSWORD

ZONE = ZoneInfo("Europe/Stockholm")


def _login(tab: Any, key: str) -> None:
    tab.goto("/login")
    tab.page.get_by_label("E-postadress").fill(f"{key}@test.samverka.se")
    tab.page.get_by_label("Lösenord").fill(PASSWORD)
    tab.page.get_by_role("button", name="Logga in").click()
    tab.page.wait_for_url(lambda url: "/login" not in url)


def _arrange(world: Any) -> Any:
    """A circle session in six days, 17:00-18:30: Bo and Anna, both recorded as adults, have accepted it."""

    async def arrange(db: Any) -> uuid.UUID:
        from volunteers.db.models import Assignment, AssignmentStatus, AvailabilityRule, Session, StaffingNeed

        day = dt.datetime.now(ZONE).date() + dt.timedelta(days=6)
        start = dt.datetime.combine(day, dt.time(17), tzinfo=ZONE).astimezone(dt.UTC)
        s = Session(activity_id=world.activities["circle"], starts_at=start, ends_at=start + dt.timedelta(minutes=90))
        db.add(s)
        db.add(StaffingNeed(activity_id=world.activities["circle"], role="Samtalsledare", count=2))
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
                    role="Samtalsledare",
                    status=AssignmentStatus.ACCEPTED,
                    starts_at=s.starts_at,
                    ends_at=s.ends_at,
                )
            )
        await db.flush()
        return s.id

    return arrange


def _broken(live_server: Any) -> list[str]:
    world = live_server.world
    return live_server.arrange(lambda db: broken_holds(db, world.partnership_id, dt.datetime.now(dt.UTC)))


def test_coordinator_corrects_a_birth_date_and_the_volunteer_sees_why(open_tab, live_server) -> None:
    world = live_server.world
    live_server.arrange(_arrange(world))
    assert _broken(live_server) == []
    bo_id = world.profiles["vol_bo"]
    # Bo is really 14: registered as an adult by mistake, so no guardian's consent was ever asked.
    today = dt.datetime.now(ZONE).date()
    born = today.replace(year=today.year - 14) - dt.timedelta(days=40)

    coord = open_tab(language="sv")
    _login(coord, "coordinator")
    coord.goto(f"/volunteers/{bo_id}")
    coord.page.get_by_label("Födelsedatum", exact=True).fill(born.isoformat())
    coord.page.get_by_role("button", name="Rätta födelsedatumet").click()
    preview = coord.page.locator("#release-preview")
    expect(preview).to_contain_text("Rättelsen släpper de här platserna, eftersom en regel inte längre skulle gälla")
    expect(preview).to_contain_text("Bo Volunteer")
    expect(preview).to_contain_text("Swedish circle")
    expect(preview).to_contain_text("inget samtycke från vårdnadshavare finns registrerat")
    expect(preview).not_to_contain_text("Anna Volunteer")
    coord.check("correction-birth-date-preview")
    # Nothing is applied before the coordinator confirms.
    assert _broken(live_server) == []
    coord.page.get_by_role("button", name="Rätta och släpp de här platserna").click()
    expect(coord.page.get_by_text("Födelsedatumet är rättat.")).to_be_visible()
    expect(coord.page.locator("#release-preview")).to_have_count(0)
    coord.check("correction-birth-date-done")

    bo = open_tab(language="sv")
    _login(bo, "vol_bo")
    bo.goto("/me/sessions")
    released = bo.page.locator("#released")
    expect(released).to_contain_text("Pass du inte längre har")
    expect(released).to_contain_text("Swedish circle")
    expect(released).to_contain_text("Under 16: din vårdnadshavares samtycke måste finnas registrerat")
    bo.check("correction-volunteer-released")
    # What to do: the link leads to his own consent status on the profile.
    released.get_by_role("link", name="så ger din vårdnadshavare sitt samtycke").click()
    bo.page.wait_for_url(lambda url: url.endswith("/profile#guardian-consent"))
    consent = bo.page.locator("#guardian-consent")
    expect(consent).to_contain_text("Inte registrerat")
    expect(consent).to_contain_text("Så gör du: be din vårdnadshavare säga till samordnaren")
    bo.check("correction-volunteer-consent")

    # The auditor, reading the tables apart from the service, finds no held place breaking a rule.
    assert _broken(live_server) == []


def _arrange_minor(world: Any) -> Any:
    """Anna is 14 and registered with her guardian's consent; she has accepted a circle session in eight days."""

    async def arrange(db: Any) -> uuid.UUID:
        from sqlalchemy import update

        from volunteers.db.models import (
            Assignment,
            AssignmentStatus,
            AvailabilityRule,
            Consent,
            Session,
            StaffingNeed,
            VolunteerProfile,
        )

        today = dt.datetime.now(ZONE).date()
        given = dt.datetime.now(dt.UTC) - dt.timedelta(days=100)
        await db.execute(
            update(VolunteerProfile)
            .where(VolunteerProfile.id == world.profiles["vol_anna"])
            .values(
                birth_date=today.replace(year=today.year - 14) - dt.timedelta(days=30),
                guardian_name="Karin Guardian",
                guardian_consent_at=given,
            )
        )
        db.add(Consent(user_id=world.users["vol_anna"], kind="guardian", wording_version="v1", given_at=given))
        start = dt.datetime.combine(today + dt.timedelta(days=8), dt.time(17), tzinfo=ZONE).astimezone(dt.UTC)
        s = Session(activity_id=world.activities["circle"], starts_at=start, ends_at=start + dt.timedelta(minutes=90))
        db.add(s)
        # Its own role and evening hours, so it runs alone as well as after the test above.
        db.add(StaffingNeed(activity_id=world.activities["circle"], role="Värd", count=1))
        db.add(
            AvailabilityRule(
                profile_id=world.profiles["vol_anna"],
                weekday=start.astimezone(ZONE).weekday(),
                start_time=dt.time(16),
                end_time=dt.time(19),
            )
        )
        await db.flush()
        db.add(
            Assignment(
                id=uuid.uuid4(),
                session_id=s.id,
                volunteer_id=world.profiles["vol_anna"],
                role="Värd",
                status=AssignmentStatus.ACCEPTED,
                starts_at=s.starts_at,
                ends_at=s.ends_at,
            )
        )
        await db.flush()
        return s.id

    return arrange


def test_coordinator_records_a_withdrawn_consent_and_the_minor_sees_it(open_tab, live_server) -> None:
    world = live_server.world
    live_server.arrange(_arrange_minor(world))
    assert _broken(live_server) == []
    anna_id = world.profiles["vol_anna"]

    coord = open_tab(language="sv")
    _login(coord, "coordinator")
    coord.goto(f"/volunteers/{anna_id}")
    coord.page.get_by_role("button", name="Vårdnadshavaren har återkallat sitt samtycke").click()
    preview = coord.page.locator("#release-preview")
    expect(preview).to_contain_text("Anna Volunteer")
    expect(preview).to_contain_text("inget samtycke från vårdnadshavare finns registrerat")
    coord.check("correction-consent-preview")
    assert _broken(live_server) == []
    coord.page.get_by_role("button", name="Rätta och släpp de här platserna").click()
    expect(coord.page.get_by_text("Vårdnadshavarens samtycke är återkallat.")).to_be_visible()

    anna = open_tab(language="sv")
    _login(anna, "vol_anna")
    anna.goto("/me/sessions")
    released = anna.page.locator("#released")
    expect(released).to_contain_text("Swedish circle")
    expect(released).to_contain_text("Under 16: din vårdnadshavares samtycke måste finnas registrerat")
    anna.goto("/profile")
    consent = anna.page.locator("#guardian-consent")
    expect(consent).to_contain_text("Samtycket återkallat")
    expect(consent).to_contain_text("Din vårdnadshavare återkallade sitt samtycke den")
    expect(consent).to_contain_text("Så gör du")
    anna.check("correction-consent-volunteer")
    assert _broken(live_server) == []
