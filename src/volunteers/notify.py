"""Notifications: written to the outbox in the same transaction as their cause, sent later.

A sender delivers pending messages by SMTP (aiosmtplib) when a host is configured, or to
the log otherwise. Several app instances may send at once: on PostgreSQL each claims its
rows with SKIP LOCKED; on SQLite the single writer serialises them.
"""

from __future__ import annotations

import datetime as dt
import logging
from email.message import EmailMessage

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from volunteers.db.models import OutboxMessage
from volunteers.limits import clean_line
from volunteers.settings import Settings

log = logging.getLogger("samverka.notify")
MAX_ATTEMPTS = 5


async def enqueue(
    db: AsyncSession,
    to: str,
    kind: str,
    subject: str,
    body: str,
    now: dt.datetime,
    *,
    send_after: dt.datetime | None = None,
    dedupe_key: str | None = None,
) -> None:
    """Queue a message; with a dedupe key, queueing it twice keeps one.

    The subject and address become mail headers: a line break in them (an activity
    named before names were checked) would make every send fail, so they are cleaned here.
    """
    subject = clean_line(subject)[:300]
    to = clean_line(to)[:320]
    if dedupe_key is not None:
        exists = (
            await db.execute(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == dedupe_key))
        ).scalar_one_or_none()
        if exists:
            return
    msg = OutboxMessage(
        to_address=to,
        kind=kind,
        subject=subject,
        body=body,
        dedupe_key=dedupe_key,
        send_after=send_after or now,
    )
    try:
        async with db.begin_nested():
            db.add(msg)
    except IntegrityError:  # the same dedupe key queued concurrently
        pass


async def _unconfirmed(db: AsyncSession, messages: list[OutboxMessage]) -> set[str]:
    from volunteers.accounts.confirmation import unconfirmed_among

    return await unconfirmed_among(db, {m.to_address for m in messages if m.kind != "account"})


async def send_pending(
    sessionmaker: async_sessionmaker[AsyncSession], settings: Settings, now: dt.datetime, limit: int = 50
) -> int:
    """Send what is due; returns how many were sent."""
    import aiosmtplib

    sent = 0
    async with sessionmaker() as db:
        if settings.is_sqlite:
            await db.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
        stmt = (
            select(OutboxMessage)
            .where(
                OutboxMessage.sent_at.is_(None),
                OutboxMessage.send_after <= now,
                OutboxMessage.attempts < MAX_ATTEMPTS,
            )
            .order_by(OutboxMessage.send_after)
            .limit(limit)
        )
        if not settings.is_sqlite:
            stmt = stmt.with_for_update(skip_locked=True)
        due = list((await db.execute(stmt)).scalars())
        held = await _unconfirmed(db, due)
        for msg in due:
            if msg.to_address.lower() in held and msg.kind != "account":
                # No proposal, reminder or notice to an address its owner has not confirmed
                # (accounts/confirmation.py); only account mail (the link itself) goes.
                msg.attempts = MAX_ATTEMPTS
                msg.last_error = "not sent: the address is not confirmed"
                continue
            msg.attempts += 1
            try:
                email = EmailMessage()
                email["From"] = settings.smtp_from
                email["To"] = clean_line(msg.to_address)
                email["Subject"] = clean_line(msg.subject)
                email.set_content(msg.body)
            except (ValueError, TypeError) as exc:
                # A message that cannot even be written will never be sent: failed now,
                # not retried (attempts at the maximum is what "failed" means).
                msg.attempts = MAX_ATTEMPTS
                msg.last_error = f"failed for good: {exc}"[:1000]
                log.warning("notification %s cannot be sent: %s", msg.id, exc)
                continue
            try:
                if settings.smtp_host:
                    await aiosmtplib.send(email, hostname=settings.smtp_host, port=settings.smtp_port, timeout=10)
                else:
                    log.info("notification to %s: %s", msg.to_address, msg.subject)
                msg.sent_at = now
                msg.last_error = None
                sent += 1
            except Exception as exc:
                msg.last_error = str(exc)[:1000]
                msg.send_after = now + dt.timedelta(minutes=2**msg.attempts)
        await db.commit()
    return sent
