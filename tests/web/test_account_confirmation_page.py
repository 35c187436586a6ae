"""A volunteer whose confirmation link was lost or ran out gets a new one from My account."""

from __future__ import annotations

import re

from sqlalchemy import select, update

from service_support import World, run_db
from volunteers.db.models import OutboxMessage, User

ANNA = "vol_anna@test.samverka.se"


def _confirm_links(settings) -> list[str]:  # type: ignore[no-untyped-def]
    async def q(db):  # type: ignore[no-untyped-def]
        bodies = await db.execute(select(OutboxMessage.body).where(OutboxMessage.to_address == ANNA))
        return [m.group(1) for b in bodies.scalars() for m in re.finditer(r"/confirm-email\?token=([\w\-]+)", b)]

    return run_db(settings, q)


def _unconfirm(settings) -> None:  # type: ignore[no-untyped-def]
    async def q(db):  # type: ignore[no-untyped-def]
        await db.execute(update(User).where(User.email == ANNA).values(email_confirmed_at=None))
        await db.commit()

    run_db(settings, q)


def test_an_unconfirmed_volunteer_asks_for_a_new_link_and_confirms(visitor, world: World, settings, clock) -> None:
    _unconfirm(settings)
    anna = visitor("vol_anna", "sv")
    page = anna.get("/account").text
    assert "Din adress är inte bekräftad än" in page and 'action="/account/confirm-email"' in page
    r = anna.post("/account/confirm-email")
    assert r.status_code in (302, 303) and "confirmation_sent" in r.headers["location"]
    links = _confirm_links(settings)
    assert len(links) == 1
    r = anna.post("/confirm-email", {"token": links[0]})
    assert r.status_code in (302, 303), r.text[:300]
    assert "Din adress är inte bekräftad än" not in anna.get("/account").text
    # Once confirmed, asking again sends nothing.
    anna.post("/account/confirm-email")
    assert len(_confirm_links(settings)) == 1


def test_a_confirmed_account_is_not_offered_a_link(visitor, world: World) -> None:
    page = visitor("vol_bo", "en").get("/account").text
    assert 'action="/account/confirm-email"' not in page
