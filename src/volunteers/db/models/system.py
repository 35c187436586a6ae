"""The audit log and the outbox of notifications."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import BigInteger, Column, ForeignKey, Index, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import JSON, UTC, Base, metadata


class AuditEntry(Base):
    """A sensitive action: who did what to which record (never the sensitive data itself)."""

    __tablename__ = "audit_entry"
    __table_args__ = (Index("ix_audit_entry_partnership_created", "partnership_id", "created_at"),)

    actor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    partnership_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("partnership.id", ondelete="CASCADE"))
    action: Mapped[str] = mapped_column(String(80))
    subject_type: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[str] = mapped_column(String(80))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class OutboxMessage(Base):
    """A notification waiting to be sent (written in the same transaction as its cause)."""

    __tablename__ = "outbox_message"
    __table_args__ = (Index("ix_outbox_pending", "sent_at", "send_after"),)

    to_address: Mapped[str] = mapped_column(String(320))
    kind: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    send_after: Mapped[dt.datetime] = mapped_column(UTC)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTC)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)


# A version per cached read, bumped by database triggers on the tables the read is built
# from (migrations 0004 and 0005_report2, SQLite only): "sessions" for the session list,
# "reports" for the impact report. A plain table,
# as its key is the name.
change_counter = Table(
    "change_counter",
    metadata,
    Column("name", String(40), primary_key=True),
    Column("version", BigInteger, nullable=False),
)
