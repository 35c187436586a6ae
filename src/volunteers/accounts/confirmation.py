"""Confirming e-mail addresses, and what mail an unconfirmed address may get.

A self-registered account starts unconfirmed. It may log in and fill in its own
profile, availability and consents (that is its owner's own data, and the owner knew
the password), but the outbox sends it only account mail (kind "account": the
confirmation link, password resets) until the link is followed. Proposals, reminders,
cancellations and follow-ups wait for a confirmed address, so that nobody can make
Samverka mail a stranger by registering the stranger's address.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from volunteers.accounts import tokens
from volunteers.accounts.sessions import end_all_sessions
from volunteers.db.models import User
from volunteers.errors import InvalidInput
from volunteers.notify import enqueue
from volunteers.web.account_mail import account_mail

ACCOUNT_MAIL = "account"


async def unconfirmed_among(db: AsyncSession, addresses: Iterable[str]) -> set[str]:
    """Which of these addresses belong to accounts that have not confirmed them."""
    wanted = {a.strip().lower() for a in addresses}
    if not wanted:
        return set()
    rows = await db.execute(
        select(User.email).where(func.lower(User.email).in_(wanted), User.email_confirmed_at.is_(None))
    )
    return {e.lower() for e in rows.scalars()}


async def send_confirmation(db: AsyncSession, user: User, now: dt.datetime, base_url: str) -> None:
    """Queue the link that confirms the user's address."""
    secret = await tokens.issue(db, user.id, tokens.CONFIRM_EMAIL, now)
    hours = int(tokens.LIFETIME[tokens.CONFIRM_EMAIL].total_seconds() // 3600)
    subject, body = account_mail(
        "confirm_email",
        user.locale,
        name=user.display_name,
        url=f"{base_url}/confirm-email?token={secret}",
        hours=hours,
    )
    await enqueue(db, user.email, ACCOUNT_MAIL, subject, body, now)


async def confirm(db: AsyncSession, secret: str, now: dt.datetime) -> User:
    """Follow a confirmation link: confirm the address, or move the account to its new address."""
    row = await tokens.find(db, secret, (tokens.CONFIRM_EMAIL, tokens.CHANGE_EMAIL), now)
    user = await db.get_one(User, row.user_id)
    if row.purpose == tokens.CHANGE_EMAIL and row.new_email:
        taken = (
            await db.execute(select(func.count()).select_from(User).where(User.email == row.new_email))
        ).scalar_one()
        if taken:
            raise InvalidInput("token", "another account uses this address now; ask for the change again")
        user.email = row.new_email
        # Whoever holds the old address's sessions keeps nothing the new owner did not choose.
        await end_all_sessions(db, user.id)
    await tokens.use(db, row, now)
    user.email_confirmed_at = now
    await db.flush()
    return user
