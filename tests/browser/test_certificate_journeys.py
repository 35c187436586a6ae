"""Phase-3 journeys in Chromium: a coordinator issues and revokes a certificate, an employer checks it at /verify.

Every page passes axe and fits 375 px without sideways scrolling; the phase-2/3 pages are
also photographed at desktop width (1280 px).
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from service_support import PASSWORD
from web.test_work_pages import add_verified_hours

ZONE = ZoneInfo("Europe/Stockholm")


def _login(tab, key: str) -> None:  # type: ignore[no-untyped-def]
    tab.goto("/login")
    tab.page.get_by_label("E-postadress").fill(f"{key}@test.samverka.se")
    tab.page.get_by_label("Lösenord").fill(PASSWORD)
    tab.page.get_by_role("button", name="Logga in").click()
    tab.page.wait_for_url(re.compile(r"/(volunteers|activities|me/sessions)"))


def test_coordinator_issues_and_revokes_and_an_employer_checks(open_tab, live_server) -> None:  # type: ignore[no-untyped-def]
    world = live_server.world
    live_server.arrange(lambda db: add_verified_hours(db, world, "vol_bo", dt.datetime.now(ZONE).date()))
    coordinator = open_tab(language="sv")
    _login(coordinator, "coordinator")
    coordinator.goto(f"/volunteers/{world.profiles['vol_bo']}")
    page = coordinator.page
    coordinator.check("coordinator-volunteer-certificates-before", screenshot=False)
    page.get_by_role("button", name="Utfärda ett intyg").click()
    expect(page.get_by_text("Intyget är utfärdat.")).to_be_visible()
    coordinator.check("coordinator-certificate-issued")
    public_id = page.locator("#certificates code.cert-id").first.inner_text().strip()
    assert re.fullmatch(r"[A-Z2-7]{20}", public_id)

    employer = open_tab()  # no account, no language chosen: Swedish
    employer.goto("/")
    employer.page.get_by_label("Intygs-id").fill(public_id.lower())
    employer.page.get_by_role("button", name="Kontrollera").click()
    expect(employer.page.get_by_role("heading", name="Giltigt")).to_be_visible()
    expect(employer.page.get_by_text("Bo Volunteer")).to_be_visible()
    employer.check("verify-valid")

    page.get_by_label("Skäl till återkallelsen").fill("Timmarna registrerades på fel person")
    page.get_by_role("button", name="Återkalla intyget").click()
    expect(page.get_by_text("Intyget är återkallat.")).to_be_visible()
    coordinator.check("coordinator-certificate-revoked")

    employer.page.reload()
    expect(employer.page.get_by_role("heading", name="Återkallat")).to_be_visible()
    expect(employer.page.get_by_text("Timmarna registrerades på fel person")).to_be_visible()
    employer.check("verify-revoked")
    employer.goto("/verify/AAAAAAAAAAAAAAAAAAAA")
    expect(employer.page.get_by_role("heading", name="Intyget finns inte")).to_be_visible()
    employer.check("verify-unknown")


def test_phase_two_and_three_pages_at_desktop_width(open_tab, live_server) -> None:  # type: ignore[no-untyped-def]
    world = live_server.world
    coordinator = open_tab(desktop=True, language="sv")
    _login(coordinator, "coordinator")
    for name, path in [
        ("coordinator-volunteer", f"/volunteers/{world.profiles['vol_anna']}"),
        ("coordinator-bulk-certificates", "/certificates/bulk"),
        ("coordinator-impact-report", "/reports/impact"),
        ("coordinator-runs", "/runs"),
        ("new-activity", "/activities/new"),
        ("add-sessions", f"/activities/{world.activities['football']}/sessions/new"),
    ]:
        coordinator.goto(path)
        coordinator.check(name)
    volunteer = open_tab(desktop=True, language="sv")
    _login(volunteer, "vol_anna")
    for name, path in [
        ("volunteer-sessions", "/me/sessions"),
        ("volunteer-experience", "/me/experience"),
        ("volunteer-certificates", "/me/certificates"),
        ("volunteer-follow-ups", "/me/follow-ups"),
    ]:
        volunteer.goto(path)
        volunteer.check(name)
    employer = open_tab(desktop=True)
    employer.goto("/verify")
    employer.check("verify-form")


def test_the_impact_report_and_planning_pages_fit_a_phone(open_tab, live_server) -> None:  # type: ignore[no-untyped-def]
    world = live_server.world
    coordinator = open_tab(language="sv")
    _login(coordinator, "coordinator")
    for name, path in [
        ("coordinator-impact-report", "/reports/impact"),
        ("coordinator-bulk-certificates", "/certificates/bulk"),
        ("new-activity", "/activities/new"),
        ("add-sessions", f"/activities/{world.activities['football']}/sessions/new"),
    ]:
        coordinator.goto(path)
        coordinator.check(name)
    volunteer = open_tab(language="sv")
    _login(volunteer, "vol_anna")
    volunteer.goto("/me/follow-ups")
    volunteer.check("volunteer-follow-ups")
