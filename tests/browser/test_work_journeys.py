"""Phase-2 journeys end to end in Chromium at 375 px: propose-accept-certificate, attendance, a match run."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from service_support import PASSWORD

ZONE = ZoneInfo("Europe/Stockholm")


def _login(tab, key: str) -> None:
    tab.goto("/login")
    tab.page.get_by_label("E-postadress").fill(f"{key}@test.samverka.se")
    tab.page.get_by_label("Lösenord").fill(PASSWORD)
    tab.page.get_by_role("button", name="Logga in").click()


def _menu(tab, name: str) -> None:
    page = tab.page
    toggle = page.get_by_role("button", name="Meny")
    if toggle.is_visible():
        toggle.click()
    page.get_by_role("navigation").get_by_role("link", name=name).click()


def _arrange_for_new_volunteer(email: str, football: uuid.UUID) -> Any:
    """A proposal on a coming session, and six confirmed past sessions (12 h) with three skills."""

    async def arrange(db: Any) -> None:
        from sqlalchemy import select

        from volunteers.db.models import (
            Assignment,
            AssignmentStatus,
            Attendance,
            BackgroundCheck,
            Session,
            Skill,
            User,
            VolunteerProfile,
            VolunteerSkill,
        )

        profile = (
            await db.execute(
                select(VolunteerProfile).join(User, User.id == VolunteerProfile.user_id).where(User.email == email)
            )
        ).scalar_one()
        today = dt.datetime.now(ZONE).date()

        def session(day: dt.date, hour: int) -> Session:
            start = dt.datetime.combine(day, dt.time(hour), tzinfo=ZONE).astimezone(dt.UTC)
            s = Session(activity_id=football, starts_at=start, ends_at=start + dt.timedelta(hours=2))
            db.add(s)
            return s

        def assignment(s: Session, status: AssignmentStatus) -> Assignment:
            a = Assignment(
                id=uuid.uuid4(),
                session_id=s.id,
                volunteer_id=profile.id,
                role="Hjälpledare",
                status=status,
                starts_at=s.starts_at,
                ends_at=s.ends_at,
            )
            db.add(a)
            return a

        # On a Saturday, 10-12, when she said she is free: the rules now refuse accepting a
        # place outside one's availability.
        coming = session(today + dt.timedelta(days=(5 - today.weekday()) % 7 or 7), 10)
        await db.flush()
        assignment(coming, AssignmentStatus.PROPOSED)
        # Football U12 is for children: accepting needs a background check seen and valid on the day.
        db.add(BackgroundCheck(profile_id=profile.id, partnership_id=profile.partnership_id, seen_on=today))
        for week in range(1, 7):
            past = session(today - dt.timedelta(days=7 * week), 10)
            await db.flush()
            a = assignment(past, AssignmentStatus.COMPLETED)
            await db.flush()
            db.add(Attendance(assignment_id=a.id, attended=True, minutes=120, confirmed_at=past.ends_at))
        for code in (await db.execute(select(Skill.code).order_by(Skill.code).limit(3))).scalars():
            db.add(VolunteerSkill(profile_id=profile.id, skill_code=code))
        await db.flush()

    return arrange


def test_volunteer_registers_sets_availability_accepts_a_proposal_and_downloads_a_certificate(
    open_tab, live_server
) -> None:
    tab = open_tab(language="sv")
    page = tab.page
    tab.goto("/register")
    page.get_by_label("Partnerskap", exact=True).select_option(label="IOP Pettersberg")
    page.get_by_label("Förnamn").fill("Nour")
    page.get_by_label("Efternamn").fill("Haddad")
    page.get_by_label("E-postadress").fill("nour.haddad@example.se")
    page.get_by_label("Välj ett lösenord").fill("grön-boll-på-planen")
    page.get_by_label("Födelsedatum").fill("2001-09-12")
    page.get_by_label(re.compile("Jag godkänner att partnerskapet")).check()
    page.get_by_role("button", name="Skapa mitt konto").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Titta i din e-post")
    tab.goto("/login")
    page.get_by_label("E-postadress").fill("nour.haddad@example.se")
    page.get_by_label("Lösenord").fill("grön-boll-på-planen")
    page.get_by_role("main").get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("status")).to_contain_text("Du är inloggad")

    _menu(tab, "När jag kan")
    page.get_by_label("Lördag 10:00–11:00").check()
    page.get_by_label("Lördag 11:00–12:00").check()
    page.get_by_role("button", name="Spara min vecka").click()
    expect(page.get_by_role("status")).to_contain_text("Dina ändringar är sparade.")

    live_server.arrange(_arrange_for_new_volunteer("nour.haddad@example.se", live_server.world.activities["football"]))

    _menu(tab, "Mina pass")
    proposals = page.locator("section", has=page.get_by_role("heading", name="Förslag till dig"))
    expect(proposals).to_contain_text("Football U12")
    expect(page.get_by_label("Kalenderadress")).to_have_value(re.compile(r"/calendar/.+\.ics$"))
    tab.check("volunteer-sessions")
    proposals.get_by_role("button", name=re.compile("^Tacka ja")).click()
    expect(page.get_by_role("status").first).to_contain_text("Tack! Passet finns nu i din kalender.")
    expect(page.locator("section", has=page.get_by_role("heading", name="Kommande tillfällen"))).to_contain_text(
        "Football U12"
    )
    tab.check("volunteer-sessions-accepted")

    _menu(tab, "Min erfarenhet")
    expect(page.locator(".figures")).to_contain_text("12")
    chart = page.locator("img.chart")
    expect(chart).to_be_visible()
    loaded = "() => { const i = document.querySelector('img.chart'); return i.complete && i.naturalWidth > 0; }"
    page.wait_for_function(loaded)
    tab.check("volunteer-experience")

    _menu(tab, "Intyg")
    tab.check("volunteer-certificates-before", screenshot=False)
    page.get_by_role("button", name="Skapa mitt intyg").click()
    expect(page.get_by_role("status").first).to_contain_text("Ditt intyg är klart.")
    expect(page.get_by_label("Kontrollänk")).to_have_value(re.compile(r"/verify/"))
    tab.check("volunteer-certificates")
    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile("Ladda ner pdf:en")).click()
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as f:
        assert f.read(5) == b"%PDF-"


def test_leader_adds_a_need_and_confirms_attendance(open_tab, live_server) -> None:
    tab = open_tab(language="sv")
    page = tab.page
    _login(tab, "leader_sisu")
    page.get_by_role("link", name="Football U12").click()
    page.get_by_label("Roll", exact=True).fill("Värd")
    page.get_by_label("Hur många personer").fill("1")
    page.get_by_role("button", name="Lägg till behovet").click()
    expect(page.get_by_role("status")).to_contain_text("Bemanningsbehovet är tillagt.")

    page.locator(".session a.time").first.click()
    expect(page.get_by_role("heading", name="Bemanning")).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("Värd")
    tab.check("leader-session")

    tab.goto(f"/sessions/{live_server.past_session}")
    attendance = page.locator("#attendance")
    expect(attendance).to_contain_text("Bo Volunteer")
    attendance.get_by_label("Kom och arbetade").check()
    attendance.get_by_label("Arbetade minuter").fill("110")
    tab.check("leader-attendance-form")
    page.get_by_role("button", name="Bekräfta närvaron").click()
    expect(page.get_by_role("status").first).to_contain_text("Närvaron är sparad.")
    expect(page.locator("#attendance")).to_contain_text("Arbetade")
    expect(page.get_by_label("Arbetade minuter")).to_have_value("110")
    tab.check("leader-attendance")


def test_coordinator_runs_watches_reviews_and_publishes_a_plan(open_tab) -> None:
    tab = open_tab(language="sv")
    page = tab.page
    _login(tab, "coordinator")
    _menu(tab, "Matchningar")
    today = dt.datetime.now(ZONE).date()
    page.get_by_label("Första dagen").fill(today.isoformat())
    page.get_by_label("Sista dagen").fill((today + dt.timedelta(days=13)).isoformat())
    tab.check("coordinator-runs")
    page.get_by_role("button", name="Starta matchningen").click()
    expect(page).to_have_url(re.compile(r"/runs/[0-9a-f-]+$"))
    tab.check("coordinator-run-progress", screenshot=False)
    expect(page.get_by_role("heading", name="Per pass")).to_be_visible(timeout=90_000)
    # The by-session list is folded under the shortages by rule: open it to read its reasons.
    page.locator("summary", has=page.get_by_role("heading", name="Per pass")).click()
    expect(page.locator(".review")).to_contain_text("Football U12")
    expect(page.locator(".reasons").first).to_be_visible()
    tab.check("coordinator-run-review")
    page.get_by_role("button", name="Publicera planen").click()
    expect(page.get_by_role("status").first).to_contain_text("Planen är publicerad.")
    expect(page.locator("#run-progress")).to_contain_text("Publicerad")
    tab.check("coordinator-run-published")
