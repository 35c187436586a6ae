"""Mail headers come from cleaned text: a line break in an activity's name no longer stops
its notices, cancellations included, from being delivered (issue 15, finding 6)."""

from __future__ import annotations

import asyncio
import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select
from sqlalchemy.ext.asyncio import async_sessionmaker

from service_support import NOW, run_db
from volunteers.db.engine import create_engine
from volunteers.db.models import OutboxMessage
from volunteers.notify import enqueue, send_pending


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, envelope.content.decode("utf-8", "replace")))
        return "250 OK"


@pytest.fixture
def smtp():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield port, inbox
    controller.stop()


def test_a_line_break_in_a_subject_neither_stalls_the_outbox_nor_forges_a_header(settings, world, smtp):
    port, inbox = smtp
    mailer = settings.__class__(**{**settings.__dict__, "smtp_host": "127.0.0.1", "smtp_port": port})
    hostile = "Inställt: Fotboll\r\nBcc: everyone@example.com"

    async def queue(db):
        await enqueue(db, "vol_anna@test.samverka.se", "cancelled", hostile, "Hej Anna!", NOW)
        # A row written before subjects were cleaned.
        db.add(
            OutboxMessage(
                to_address="vol_bo@test.samverka.se", kind="cancelled", subject=hostile, body="Hej Bo!", send_after=NOW
            )
        )
        db.add(OutboxMessage(to_address="vol_bo@test.samverka.se", kind="x", subject="ok", body="b", send_after=NOW))

    run_db(settings, queue)

    async def deliver():
        engine = create_engine(mailer)
        try:
            return await send_pending(async_sessionmaker(engine, expire_on_commit=False), mailer, NOW)
        finally:
            await engine.dispose()

    assert asyncio.run(deliver()) == 3
    assert len(inbox.messages) == 3
    for _, content in inbox.messages:
        message = email.message_from_string(content, policy=email.policy.default)
        assert message["Bcc"] is None  # the line break did not start a header of its own
        assert message["Subject"] in ("ok", "Inställt: Fotboll Bcc: everyone@example.com")

    async def pending(db):
        return (await db.execute(select(OutboxMessage.subject).where(OutboxMessage.sent_at.is_(None)))).all()

    assert run_db(settings, pending) == []
