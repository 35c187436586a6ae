"""The password-reset journey in Chromium: Swedish at 375 px, English at 1280 px, axe on each page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from volunteers.db.models import OutboxMessage

LINK = re.compile(r"/reset-password\?token=[A-Za-z0-9_\-]+")


def _last_link(server, address: str) -> str:  # type: ignore[no-untyped-def]
    async def q(db):  # type: ignore[no-untyped-def]
        bodies = await db.execute(
            select(OutboxMessage.body).where(OutboxMessage.to_address == address).order_by(OutboxMessage.created_at)
        )
        return list(bodies.scalars())

    match = LINK.search(server.arrange(q)[-1])
    assert match
    return match.group(0)


@pytest.mark.parametrize(
    ("language", "desktop", "who", "words"),
    [
        (
            "sv",
            False,
            "vol_anna",
            (
                "Glömt lösenordet?",
                "Skicka länken",
                "Titta i din e-post",
                "Nytt lösenord",
                "Spara det nya lösenordet",
                "Logga in",
                "Lösenord",
            ),
        ),
        (
            "en",
            True,
            "vol_bo",
            (
                "Forgot your password?",
                "Send the link",
                "Check your e-mail",
                "New password",
                "Save the new password",
                "Log in",
                "Password",
            ),
        ),
    ],
)
def test_a_volunteer_resets_a_forgotten_password(open_tab, live_server, language, desktop, who, words) -> None:
    forgot, send, check_mail, new_password, save, log_in, password = words
    address = f"{who}@test.samverka.se"
    tab = open_tab(language=language, desktop=desktop)
    page = tab.page
    tab.goto("/login")
    page.get_by_role("link", name=forgot).click()
    tab.check(f"forgot-password-{language}")
    page.get_by_label(re.compile("E-post|E-mail")).fill(address)
    page.get_by_role("button", name=send).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(check_mail)
    tab.check(f"forgot-password-sent-{language}")

    tab.goto(_last_link(live_server, address))
    tab.check(f"reset-password-{language}")
    page.get_by_label(new_password).fill("password1234")  # too common: refused, the link still works
    page.get_by_role("button", name=save).click()
    expect(page.locator("#password-error")).to_be_visible()
    tab.check(f"reset-password-refused-{language}")
    page.get_by_label(new_password).fill("höstlöv-över-ån-" + language)
    page.get_by_role("button", name=save).click()
    expect(page).to_have_url(re.compile(r"/login\?notice=password_reset$"))
    tab.check(f"reset-password-done-{language}")

    page.get_by_label(re.compile("E-post|E-mail")).fill(address)
    page.get_by_label(password, exact=True).fill("höstlöv-över-ån-" + language)
    page.get_by_role("main").get_by_role("button", name=log_in).click()
    expect(page).not_to_have_url(re.compile(r"/login"))
    tab.goto("/account")
    expect(page.get_by_role("main")).to_contain_text(address)
    tab.check(f"account-{language}")
