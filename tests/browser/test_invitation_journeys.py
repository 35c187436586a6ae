"""The invitation journey in Chromium: a coordinator invites, the invited person accepts from the link.

Swedish at 375 px and English at 1280 px, every page checked with axe. The test server
has no mail server, so the page hands the coordinator the link, as the CLI does.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from service_support import PASSWORD

NEW_PASSWORD = "tre-blåa-cyklar-i-regn"


def _login(tab, key: str, *, english: bool = False) -> None:
    tab.goto("/login")
    tab.page.get_by_label("E-mail address" if english else "E-postadress").fill(f"{key}@test.samverka.se")
    tab.page.get_by_label("Password" if english else "Lösenord").fill(PASSWORD)
    tab.page.get_by_role("button", name="Log in" if english else "Logga in").click()


def _link(page) -> str:
    """The link shown to hand over, as a path on the test server (its base URL is the default)."""
    link = page.locator("code.break").inner_text().strip()
    assert "/invitation#" in link
    return "/invitation" + link.split("/invitation", 1)[1]


def test_a_leader_is_invited_and_accepts_in_swedish_on_a_phone(open_tab) -> None:
    coordinator = open_tab(language="sv")
    page = coordinator.page
    _login(coordinator, "coordinator")
    coordinator.goto("/people")
    coordinator.check("people")
    page.get_by_label("E-postadress").fill("ny.ledare@test.samverka.se")
    page.get_by_label("Roll", exact=True).select_option("leader")
    page.get_by_label("Partner (för en ledare)").select_option(label="RF-SISU Västmanland")
    page.get_by_role("button", name="Skicka inbjudan").click()
    expect(page.get_by_role("status").first).to_contain_text("Ge själv den här länken till ny.ledare@test.samverka.se")
    expect(page.locator(".list").first).to_contain_text("ny.ledare@test.samverka.se")
    coordinator.check("people-link")
    link = _link(page)

    invited = open_tab(language="sv")
    invited.goto(link)
    # The page's script moves the secret out of the address and posts it: the accept form follows.
    expect(invited.page.get_by_role("heading", name="Tacka ja till inbjudan")).to_be_visible()
    assert "#" not in invited.page.url
    expect(invited.page.get_by_text("Du är inbjuden som aktivitetsledare i IOP Pettersberg.")).to_be_visible()
    invited.check("invitation-accept")
    invited.page.get_by_role("button", name="Tacka ja och logga in").click()
    expect(invited.page.locator("#error-summary")).to_contain_text("Fyll i")
    invited.check("invitation-accept-errors", screenshot=False)
    invited.page.get_by_label("Ditt namn").fill("Nora Ny")
    invited.page.get_by_label("Välj ett lösenord").fill(NEW_PASSWORD)
    invited.page.get_by_role("button", name="Tacka ja och logga in").click()
    expect(invited.page).to_have_url(re.compile(r"/activities\?notice=welcome_staff$"))
    expect(invited.page.get_by_role("status")).to_contain_text("Välkommen! Ditt konto är klart")
    invited.check("invitation-welcome")

    # The link was used: opening it again says so, and asks for a new one.
    again = open_tab(language="sv")
    again.goto(link)
    expect(again.page.locator("#error-summary")).to_contain_text("gäller inte längre")
    again.check("invitation-used")

    # The coordinator sees the new leader among the roles.
    coordinator.goto("/people")
    expect(page.get_by_role("strong").filter(has_text="Nora Ny")).to_be_visible()
    expect(page.get_by_label("Roll för Nora Ny")).to_have_value(re.compile("^leader:"))


def test_a_coordinator_is_invited_again_and_accepts_in_english_on_a_desktop(open_tab) -> None:
    coordinator = open_tab(desktop=True, language="en")
    page = coordinator.page
    _login(coordinator, "coordinator", english=True)
    coordinator.goto("/people")
    page.get_by_label("E-mail address").fill("second.coordinator@test.samverka.se")
    page.get_by_label("Role", exact=True).select_option("coordinator")
    page.get_by_role("button", name="Send the invitation").click()
    first = _link(page)
    page.get_by_role("button", name="Send again second.coordinator@test.samverka.se").click()
    second = _link(page)
    assert first != second
    coordinator.check("people-resent")

    invited = open_tab(desktop=True, language="en")
    invited.goto(first)  # replaced by the new link
    expect(invited.page.locator("#error-summary")).to_contain_text("not valid any more")
    invited.goto(second)
    expect(invited.page.get_by_text("You are invited as coordinator in IOP Pettersberg.")).to_be_visible()
    invited.page.get_by_label("Your name").fill("Sam Second")
    invited.page.get_by_label("Choose a password").fill(NEW_PASSWORD)
    invited.check("invitation-accept")
    invited.page.get_by_role("button", name="Accept and log in").click()
    expect(invited.page).to_have_url(re.compile(r"/volunteers\?notice=welcome_staff$"))
    invited.goto("/partnership")
    invited.check("partnership-settings")
    invited.page.get_by_label("Volunteers may cancel up to this many hours before a session").fill("48")
    invited.page.get_by_role("button", name="Save the settings").click()
    expect(invited.page.get_by_role("status")).to_contain_text("Your changes are saved.")
    expect(invited.page.get_by_label("Volunteers may cancel up to this many hours before a session")).to_have_value(
        "48"
    )
    invited.goto("/import")
    invited.check("import")
