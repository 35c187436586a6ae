"""Single-use links sent by mail: only the hash of each secret is stored."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from volunteers.accounts.security import new_token, token_hash
from volunteers.db.models import AccountToken
from volunteers.errors import InvalidInput

CONFIRM_EMAIL = "confirm_email"
RESET_PASSWORD = "reset_password"  # noqa: S105 - a purpose name
CHANGE_EMAIL = "change_email"

LIFETIME = {
    RESET_PASSWORD: dt.timedelta(minutes=30),
    CONFIRM_EMAIL: dt.timedelta(days=3),
    CHANGE_EMAIL: dt.timedelta(days=3),
}
NOT_VALID = "this link is not valid: it was used already, has expired or was never sent"


async def issue(
    db: AsyncSession, user_id: uuid.UUID, purpose: str, now: dt.datetime, *, new_email: str | None = None
) -> str:
    """A new link secret for the user; earlier unused links for the same purpose stop working."""
    await db.execute(
        update(AccountToken)
        .where(AccountToken.user_id == user_id, AccountToken.purpose == purpose, AccountToken.used_at.is_(None))
        .values(used_at=now)
    )
    secret = new_token()
    db.add(
        AccountToken(
            token_hash=token_hash(secret),
            user_id=user_id,
            purpose=purpose,
            new_email=new_email,
            expires_at=now + LIFETIME[purpose],
        )
    )
    await db.flush()
    return secret


async def find(db: AsyncSession, secret: str, purposes: tuple[str, ...], now: dt.datetime) -> AccountToken:
    """The unused, unexpired link behind a secret, or InvalidInput naming `token`."""
    if not secret or len(secret) > 200:
        raise InvalidInput("token", NOT_VALID)
    row = (
        await db.execute(select(AccountToken).where(AccountToken.token_hash == token_hash(secret)))
    ).scalar_one_or_none()
    if row is None or row.purpose not in purposes or row.used_at is not None or row.expires_at <= now:
        raise InvalidInput("token", NOT_VALID)
    return row


async def use(db: AsyncSession, row: AccountToken, now: dt.datetime) -> None:
    """Spend the link; a second use, even a concurrent one, finds it used."""
    result = await db.execute(
        update(AccountToken).where(AccountToken.id == row.id, AccountToken.used_at.is_(None)).values(used_at=now)
    )
    if getattr(result, "rowcount", 1) != 1:
        raise InvalidInput("token", NOT_VALID)
