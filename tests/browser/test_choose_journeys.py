"""Volunteers choose too, in Chromium: Swedish at 375 px and English at 1280 px, axe on every page.

Journeys: find and take an open place; see why a place is closed; decline with a reason and
see the replacement offered (from the waiting list); join a waiting list and get the place;
swap; report own hours. After each, no held future assignment breaks a rule (the rules'
checker and the auditor's).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from service_support import PASSWORD

ZONE = ZoneInfo("Europe/Stockholm")


def _login(tab: Any, key: str) -> None:
    tab.goto("/login")
    tab.page.locator("input[name=email]").fill(f"{key}@test.samverka.se")
    tab.page.locator("input[name=password]").fill(PASSWORD)
    tab.page.locator("form[action='/login'] button[type=submit]").click()
    tab.page.wait_for_load_state("load")


def _arrange(world: Any) -> Any:
    """Open circle sessions in three and four days (one place each), an open football session at 20:30
    needing first aid; Anna (15, first aid, a check) and Bo (no check) free every day 08-22."""

    async def arrange(db: Any) -> dict[str, str]:
        from volunteers.db.models import (
            Activity,
            AvailabilityRule,
            BackgroundCheck,
            Session,
            StaffingNeed,
            VolunteerProfile,
            VolunteerSkill,
        )

        today = dt.datetime.now(ZONE).date()
        out = {}
        for key, activity, days, start, end in (
            ("circle", "circle", 3, dt.time(18), dt.time(19, 30)),
            ("circle2", "circle", 4, dt.time(18), dt.time(19, 30)),
            ("late", "football", 5, dt.time(20, 30), dt.time(21, 30)),
        ):
            day = today + dt.timedelta(days=days)
            s = Session(
                activity_id=world.activities[activity],
                starts_at=dt.datetime.combine(day, start, tzinfo=ZONE).astimezone(dt.UTC),
                ends_at=dt.datetime.combine(day, end, tzinfo=ZONE).astimezone(dt.UTC),
            )
            db.add(s)
            await db.flush()
            out[key] = str(s.id)
            (await db.get(Activity, world.activities[activity])).open_for_signup = True
        db.add(StaffingNeed(activity_id=world.activities["circle"], role="samtalsledare", count=1))
        db.add(
            StaffingNeed(
                activity_id=world.activities["football"], role="tränare", count=1, skills=["provide_first_aid"]
            )
        )
        for key in ("vol_anna", "vol_bo"):
            for d in range(7):
                db.add(
                    AvailabilityRule(
                        profile_id=world.profiles[key], weekday=d, start_time=dt.time(8), end_time=dt.time(22)
                    )
                )
        db.add(VolunteerSkill(profile_id=world.profiles["vol_anna"], skill_code="provide_first_aid"))
        db.add(
            BackgroundCheck(profile_id=world.profiles["vol_anna"], partnership_id=world.partnership_id, seen_on=today)
        )
        anna = await db.get(VolunteerProfile, world.profiles["vol_anna"])
        # 15, registered with her guardian's consent (the rules place no under-16 without it).
        anna.birth_date, anna.guardian_consent_at = today.replace(year=today.year - 15), dt.datetime.now(dt.UTC)
        return out

    return arrange


@pytest.fixture(scope="module")
def places(live_server: Any) -> dict[str, str]:
    return live_server.arrange(_arrange(live_server.world))


def _nothing_broken(live_server: Any) -> None:
    """The issue-14 invariant, by the rules' checker and by the auditor's written apart."""
    from rules_invariant import broken_holds
    from volunteers.db.models import Partnership
    from volunteers.staffing.rules import held_breaches

    world = live_server.world
    now = dt.datetime.now(dt.UTC)

    async def check(db: Any) -> tuple[list[Any], list[str]]:
        p = await db.get(Partnership, world.partnership_id)
        return await held_breaches(db, p, now), await broken_holds(db, world.partnership_id, now)

    assert live_server.arrange(check) == ([], [])


def test_find_take_see_why_closed_wait_decline_with_reason_and_get_the_place(open_tab, live_server, places) -> None:
    # Bo, in Swedish on a phone, finds the open places and sees why the football place is closed.
    bo = open_tab(language="sv")
    _login(bo, "vol_bo")
    bo.goto("/me/open-places")
    page = bo.page
    expect(page.get_by_role("heading", name="Lediga platser", level=1)).to_be_visible()
    # Places he cannot take are folded away below those he can, with the reasons.
    expect(page.locator("#closed-places li.assignment").first).to_be_hidden()
    page.locator("#closed-places > summary").click()
    football = page.locator(f"#closed-places li[data-session='{places['late']}'][data-role='tränare']")
    expect(football).to_contain_text("kräver utdrag ur belastningsregistret för arbete med barn")
    expect(football.get_by_role("link", name="så får du ett")).to_have_attribute("href", "/profile#background-check")
    bo.check("choose-open-places")
    # He takes the circle's one place.
    page.locator(f"form[action='/me/open-places/{places['circle']}/take'] button").click()
    expect(page.get_by_text("Platsen är din")).to_be_visible()
    bo.check("choose-signed-up")
    _nothing_broken(live_server)

    # Anna, in English on a desktop, finds the circle full, sees why the late session is closed, and waits.
    anna = open_tab(desktop=True, language="en")
    _login(anna, "vol_anna")
    anna.goto("/me/open-places")
    anna.page.locator("#closed-places > summary").click()
    late = anna.page.locator(f"#closed-places li[data-session='{places['late']}'][data-role='tränare']")
    expect(late).to_contain_text("under 16 after 20:00")
    circle = anna.page.locator(
        "#places-for-me li.assignment", has=anna.page.locator(f"form[action='/me/open-places/{places['circle']}/wait']")
    )
    expect(circle).to_contain_text("all places are taken")
    circle.get_by_role("button", name="Join the waiting list").click()
    expect(anna.page.get_by_text("You are on the waiting list")).to_be_visible()
    anna.check("choose-waiting-list")

    # Bo cancels with a reason for the leader; the freed place is offered at once to Anna, who waits.
    bo.goto("/me/sessions")
    form = page.locator("form[action$='/decline']").first
    form.get_by_label("Skäl, till ledaren (frivilligt)").fill("Jag är sjuk")
    form.locator("button").click()
    expect(page.get_by_text("Du har avbokat passet")).to_be_visible()
    bo.check("choose-cancelled")
    anna.goto("/me/sessions")
    expect(anna.page.get_by_role("heading", name="Free places offered to you")).to_be_visible()
    anna.check("choose-offer")
    anna.page.locator("form[action^='/me/offers/'][action$='/take'] button").click()
    expect(anna.page.get_by_text("Thank you! The session is in your calendar.")).to_be_visible()
    expect(anna.page.locator("section[aria-labelledby=upcoming-title]")).to_contain_text("Swedish circle")
    _nothing_broken(live_server)


def test_swap_to_a_named_volunteer_and_report_own_hours(open_tab, live_server, places) -> None:
    anna = open_tab(desktop=True, language="en")
    _login(anna, "vol_anna")
    anna.goto("/me/open-places")
    anna.page.locator(f"form[action='/me/open-places/{places['circle2']}/take'] button").click()
    expect(anna.page.get_by_text("You have the place")).to_be_visible()
    # Anna offers her place to Bo by his e-mail address; the rules are checked for him.
    swap = anna.page.locator("form[action$='/swap']").last
    swap.get_by_label("Swap: give the place to").fill("vol_bo@test.samverka.se")
    swap.get_by_role("button", name="Offer my place").click()
    expect(anna.page.get_by_text("Your place is offered")).to_be_visible()
    anna.check("choose-swap-offered")
    bo = open_tab(language="sv")
    _login(bo, "vol_bo")
    bo.goto("/me/sessions")
    expect(bo.page.get_by_role("heading", name="Lediga platser som erbjuds dig")).to_be_visible()
    bo.page.locator("form[action^='/me/offers/'][action$='/take'] button").click()
    expect(bo.page.locator("section[aria-labelledby=upcoming-title]")).to_contain_text("Swedish circle")
    bo.check("choose-swap-taken")
    _nothing_broken(live_server)

    # Bo reports an hour of preparation; the circle's leader approves it; it counts as verified.
    bo.goto("/me/hours")
    bo.page.get_by_label("Aktivitet").select_option(label="Swedish circle")
    bo.page.get_by_label("Vad för slags tid").select_option("preparation")
    bo.page.get_by_label("Minuter").fill("60")
    bo.page.get_by_label("Vad du gjorde (frivilligt)").fill("Förberedde samtalsämnen")
    bo.page.get_by_role("button", name="Rapportera tiden").click()
    expect(bo.page.get_by_text("Väntar på ledaren")).to_be_visible()
    bo.check("choose-own-hours")
    leader = open_tab(desktop=True, language="en")
    _login(leader, "leader_abf")
    leader.goto("/own-hours")
    expect(leader.page.get_by_text("Förberedde samtalsämnen")).to_be_visible()
    leader.check("choose-hours-to-approve")
    leader.page.get_by_role("button", name="Approve").first.click()
    expect(leader.page.get_by_text("The time is approved")).to_be_visible()
    bo.goto("/me/hours")
    expect(bo.page.get_by_text("Godkänd", exact=True)).to_be_visible()
    _nothing_broken(live_server)
    assert uuid.UUID(places["circle2"])
