"""Back-off after failed log-ins, per (address, client) together.

Counting per account let anyone lock anyone out (one wrong try an hour kept a
coordinator locked), and answered differently for addresses that exist. Here:

- the count is kept for the pair (address, client), so a stranger's failures slow the
  stranger only; the owner logging in from elsewhere is not held back;
- unknown addresses are counted exactly as known ones, so a lock-out tells nothing;
- the wait doubles from 30 s after five failures and stops at 15 minutes;
- counts older than a day are forgotten, and a password reset (a link from the
  owner's mailbox) clears every count for the address.

Keys are HMACs with the instance secret: the table holds no address or client.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from volunteers.db.models import LoginThrottle
from volunteers.errors import TooManyRequests

LOCK_AFTER_FAILURES = 5
FIRST_WAIT_SECONDS = 30
MAX_WAIT_SECONDS = 15 * 60
FORGET_AFTER = dt.timedelta(days=1)


def _keyed(secret: str, *parts: str) -> str:
    return hmac.new(secret.encode(), "\x00".join(parts).encode(), hashlib.sha256).hexdigest()


def address_hash(secret: str, email: str) -> str:
    return _keyed(secret, "address", email.strip().lower())


def pair_hash(secret: str, email: str, client: str) -> str:
    return _keyed(secret, "pair", email.strip().lower(), client)


def wait_after(failures: int) -> int:
    """Seconds locked after this many consecutive failures (0 below the threshold)."""
    if failures < LOCK_AFTER_FAILURES:
        return 0
    return int(min(MAX_WAIT_SECONDS, FIRST_WAIT_SECONDS * 2 ** min(failures - LOCK_AFTER_FAILURES, 20)))


async def check(db: AsyncSession, secret: str, email: str, client: str, now: dt.datetime) -> None:
    """Refuse while this (address, client) pair is backing off."""
    locked_until = (
        await db.execute(
            select(LoginThrottle.locked_until).where(LoginThrottle.key_hash == pair_hash(secret, email, client))
        )
    ).scalar_one_or_none()
    if locked_until is not None and locked_until > now:
        retry = int((locked_until - now).total_seconds()) + 1
        raise TooManyRequests(f"too many failed log-ins; try again in {retry} s", retry_after=retry)


async def _row(db: AsyncSession, key: str) -> LoginThrottle | None:
    stmt = select(LoginThrottle).where(LoginThrottle.key_hash == key).with_for_update()
    return (await db.execute(stmt)).scalar_one_or_none()


async def record_failure(db: AsyncSession, secret: str, email: str, client: str, now: dt.datetime) -> None:
    """Count a failure for the pair and start its wait once there are enough."""
    await db.execute(delete(LoginThrottle).where(LoginThrottle.last_failure_at < now - FORGET_AFTER))
    key = pair_hash(secret, email, client)
    row = await _row(db, key)
    if row is None:
        try:
            async with db.begin_nested():
                db.add(
                    LoginThrottle(
                        key_hash=key, address_hash=address_hash(secret, email), failures=0, last_failure_at=now
                    )
                )
        except IntegrityError:  # the same pair failed at the same moment in another request
            pass
        row = await _row(db, key)
        assert row is not None
    row.failures += 1
    row.last_failure_at = now
    wait = wait_after(row.failures)
    row.locked_until = now + dt.timedelta(seconds=wait) if wait else None
    await db.flush()


async def clear_pair(db: AsyncSession, secret: str, email: str, client: str) -> None:
    """A successful log-in forgets the pair's failures."""
    await db.execute(delete(LoginThrottle).where(LoginThrottle.key_hash == pair_hash(secret, email, client)))


async def clear_address(db: AsyncSession, secret: str, email: str) -> None:
    """A password reset forgets every client's failures for the address."""
    await db.execute(delete(LoginThrottle).where(LoginThrottle.address_hash == address_hash(secret, email)))
