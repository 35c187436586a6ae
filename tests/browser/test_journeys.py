"""Phase-1 journeys end to end in Chromium, every page checked with axe at 375 px."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from service_support import PASSWORD


def test_volunteer_registers_edits_profile_sets_availability_and_logs_in_again(open_tab) -> None:
    tab = open_tab()
    page = tab.page

    tab.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bli volontär där du bor")
    tab.check("start")

    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Volunteer in your neighbourhood")
    tab.check("start-en")
    page.get_by_role("link", name="Svenska").click()

    page.get_by_role("main").get_by_role("link", name="Bli volontär").click()
    expect(page).to_have_url(re.compile(r"/register$"))
    tab.check("register")

    page.get_by_label("Partnerskap", exact=True).select_option(label="IOP Pettersberg")
    page.get_by_label("Förnamn").fill("Sara")
    page.get_by_label("Efternamn").fill("Svensson")
    page.get_by_label("E-postadress").fill("sara.svensson@example.se")
    page.get_by_label("Välj ett lösenord").fill("blå-cykel-på-berget")
    page.get_by_label("Födelsedatum").fill("1998-03-04")
    page.get_by_label("Arabiska").check()
    page.get_by_role("button", name="Skapa mitt konto").click()
    # Without consent the form comes back with the error next to the consent box.
    consent_error = page.locator("#consent-error")
    expect(consent_error).to_have_text(re.compile("samtycke"))
    tab.check("register-error")

    page.get_by_label("Välj ett lösenord").fill("blå-cykel-på-berget")
    page.get_by_label(re.compile("Jag godkänner att partnerskapet")).check()
    page.get_by_role("button", name="Skapa mitt konto").click()
    # The same answer as for an address that has an account: look in the mail, then log in.
    expect(page.get_by_role("heading", level=1)).to_have_text("Titta i din e-post")
    tab.check("register-check-email")
    tab.goto("/login")
    page.get_by_label("E-postadress").fill("sara.svensson@example.se")
    page.get_by_label("Lösenord").fill("blå-cykel-på-berget")
    page.get_by_role("main").get_by_role("button", name="Logga in").click()
    tab.goto("/profile")
    tab.check("profile-new")

    # Pick a skill through the live catalogue search.
    page.get_by_label("Sök i listan").first.fill("idrott")
    result = page.locator("#skills-results").get_by_label("Instruera inom idrott")
    expect(result).to_be_visible()
    result.check()
    expect(page.locator("#skills-chosen").get_by_label("Instruera inom idrott")).to_be_checked()
    page.get_by_label("Jag söker jobb eller praktik").check()
    page.get_by_role("button", name="Spara min profil").click()
    expect(page.get_by_role("status")).to_contain_text("Dina ändringar är sparade.")
    expect(page.locator("#skills-chosen").get_by_label("Instruera inom idrott")).to_be_checked()
    expect(page.get_by_label("Jag söker jobb eller praktik")).to_be_checked()
    tab.check("profile")

    # Availability: drag over Tuesday 17-20, tap Thursday 18.
    _open_menu(page)
    page.get_by_role("link", name="När jag kan").click()
    tab.check("availability-empty", screenshot=False)
    first = page.get_by_label("Tisdag 17:00–18:00")
    last = page.get_by_label("Tisdag 19:00–20:00")
    last.scroll_into_view_if_needed()
    a, b = first.bounding_box(), last.bounding_box()
    page.mouse.move(a["x"] + a["width"] / 2, a["y"] + a["height"] / 2)
    page.mouse.down()
    page.mouse.move(b["x"] + b["width"] / 2, b["y"] + b["height"] / 2, steps=12)
    page.mouse.up()
    expect(page.get_by_label("Tisdag 18:00–19:00")).to_be_checked()
    page.get_by_label("Torsdag 18:00–19:00").click()
    page.get_by_role("button", name="Spara min vecka").click()
    expect(page.get_by_role("status")).to_contain_text("Dina ändringar är sparade.")
    for label in ("Tisdag 17:00–18:00", "Tisdag 18:00–19:00", "Tisdag 19:00–20:00", "Torsdag 18:00–19:00"):
        expect(page.get_by_label(label)).to_be_checked()
    expect(page.get_by_label("Tisdag 20:00–21:00")).not_to_be_checked()

    # A holiday away.
    page.get_by_label("Första dagen").fill("2026-12-22")
    page.get_by_label("Sista dagen").fill("2027-01-06")
    page.get_by_label("Anteckning (valfritt)").fill("Jullov")
    page.get_by_role("button", name="Lägg till undantaget").click()
    expect(page.get_by_role("status")).to_contain_text("Undantaget är tillagt.")
    expect(page.get_by_role("heading", name=re.compile("Borta: 22 december 2026"))).to_be_visible()
    tab.check("availability")

    # Log out and in again: the session ends and comes back.
    _open_menu(page)
    page.get_by_role("button", name="Logga ut").click()
    expect(page.get_by_role("status")).to_contain_text("Du är utloggad.")
    tab.goto("/profile")
    expect(page).to_have_url(re.compile(r"/login\?next=/profile$"))
    tab.check("login")
    page.get_by_label("E-postadress").fill("sara.svensson@example.se")
    page.get_by_label("Lösenord").fill("blå-cykel-på-berget")
    page.get_by_role("button", name="Logga in").click()
    expect(page).to_have_url(re.compile(r"/profile$"))
    expect(page.locator("#skills-chosen").get_by_label("Instruera inom idrott")).to_be_checked()


def test_leader_adds_a_staffing_need_and_sees_the_week(open_tab) -> None:
    tab = open_tab(language="sv")
    page = tab.page
    _login(tab, "leader_sisu")
    expect(page).to_have_url(re.compile(r"/activities\?notice=logged_in$"))
    tab.check("leader-activities")

    page.get_by_role("link", name="Football U12").click()
    tab.check("leader-activity-empty", screenshot=False)
    page.get_by_label("Roll", exact=True).fill("Assisterande tränare")
    page.get_by_label("Hur många personer").fill("2")
    page.get_by_label("Sök i listan").fill("coach")
    page.locator("#skills-results").get_by_label("Coacha unga").check()
    page.locator("#add-need").get_by_label("Svenska", exact=True).check()
    page.get_by_role("button", name="Lägg till behovet").click()
    expect(page.get_by_role("status")).to_contain_text("Bemanningsbehovet är tillagt.")
    need = page.locator(".list li", has=page.get_by_role("heading", name="Assisterande tränare"))
    expect(need).to_contain_text("2 personer")
    expect(need).to_contain_text("Coacha unga")
    tab.check("leader-activity")

    # Adding the same role again is refused with the reason next to the field.
    page.get_by_label("Roll", exact=True).fill("Assisterande tränare")
    page.get_by_role("button", name="Lägg till behovet").click()
    expect(page.locator("#role-error")).to_contain_text("redan ett behov")
    tab.check("leader-need-conflict", screenshot=False)

    need = page.locator(".list li", has=page.get_by_role("heading", name="Assisterande tränare"))
    need.get_by_role("link", name=re.compile("Ändra")).click()
    page.get_by_label("Hur många personer").fill("3")
    tab.check("leader-need-edit")
    page.get_by_role("button", name="Spara behovet").click()
    expect(page.get_by_role("status")).to_contain_text("Bemanningsbehovet är sparat.")
    expect(page.locator(".list li").first).to_contain_text("3 personer")

    _open_menu(page)
    page.get_by_role("link", name="Veckoschema").click()
    expect(page.locator(".session").first).to_contain_text("Football U12")
    tab.check("leader-week")


def test_coordinator_finds_a_volunteer_and_records_a_background_check(open_tab) -> None:
    tab = open_tab(language="sv")
    page = tab.page
    _login(tab, "coordinator")
    tab.check("coordinator-volunteers")
    page.get_by_label("Sök volontärer").fill("anna")
    expect(page.locator("#volunteer-results")).to_contain_text("1 volontär hittades.")
    page.get_by_role("link", name="Anna Volunteer").click()
    expect(page.get_by_text("Inget utdrag registrerat")).to_be_visible()
    page.get_by_label("Datum då du såg utdraget").fill("2026-11-20")
    page.get_by_role("button", name="Registrera utdraget").click()
    expect(page.get_by_role("status")).to_contain_text("Utdraget är registrerat.")
    expect(page.get_by_role("table")).to_contain_text("Cora Coordinator")
    tab.check("coordinator-volunteer")


def test_key_pages_at_desktop_width(open_tab) -> None:
    tab = open_tab(desktop=True)
    tab.goto("/")
    tab.check("start")
    _login(tab, "vol_bo")
    tab.goto("/availability")
    tab.check("availability")
    tab.goto("/profile")
    tab.check("profile")


def _login(tab, key: str) -> None:
    tab.goto("/login")
    tab.page.get_by_label("E-postadress").fill(f"{key}@test.samverka.se")
    tab.page.get_by_label("Lösenord").fill(PASSWORD)
    tab.page.get_by_role("button", name="Logga in").click()


def _open_menu(page) -> None:
    """At 375 px the main menu folds behind a button; open it (wider screens show it always)."""
    toggle = page.get_by_role("button", name=re.compile("^(Meny|Menu)$"))
    if toggle.is_visible():
        toggle.click()
        expect(toggle).to_have_attribute("aria-expanded", "true")
