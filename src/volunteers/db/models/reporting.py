"""What the impact report reads beyond the work ledger: dated job-seeking status, reports as published."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import Boolean, Date, Float, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import JSON, UTC, Base


class JobSeekingStatus(Base):
    """From `since` on, the volunteer is (or is not) looking for work, until their next row.

    Written when they answer the question at registration, change it in their profile, or
    answer a follow-up; one row a day (a second change the same day replaces the first).
    Personal data: deleted on erasure, and the follow-up rows with a withdrawn consent.
    """

    __tablename__ = "job_seeking_status"
    __table_args__ = (Index("ix_job_seeking_status_day", "volunteer_id", "since", unique=True),)

    volunteer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("volunteer_profile.id", ondelete="CASCADE"))
    since: Mapped[dt.date] = mapped_column(Date)
    seeking: Mapped[bool] = mapped_column(Boolean)
    source: Mapped[str] = mapped_column(String(16))  # registration, profile, follow_up


class PublishedReport(Base):
    """An impact report as a coordinator published it: its figures, CSV and PDF, kept unchanged."""

    __tablename__ = "published_report"
    __table_args__ = (
        Index("ix_published_report_period", "partnership_id", "period_start", "period_end", "lang", unique=True),
    )

    partnership_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("partnership.id", ondelete="CASCADE"))
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    lang: Mapped[str] = mapped_column(String(8))
    published_at: Mapped[dt.datetime] = mapped_column(UTC)
    published_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    figures: Mapped[dict[str, Any]] = mapped_column(JSON)
    csv: Mapped[str] = mapped_column(Text, deferred=True)
    pdf: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    content_sha256: Mapped[str] = mapped_column(String(64))


class ReportGoal(Base):
    """One of the partnership's goals: an indicator (one of the impact report's figures) and its target."""

    __tablename__ = "report_goal"

    partnership_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("partnership.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(200))
    indicator: Mapped[str] = mapped_column(String(64))  # a key of volunteers.reports.goals.INDICATORS
    target: Mapped[float] = mapped_column(Float)


# Age groups of the children and young people a leader counts at a session (not volunteers).
PARTICIPANT_AGE_GROUPS = ("0-6", "7-12", "13-15", "16-19", "20-25")


class SessionParticipants(Base):
    """How many children and young people of an age group took part in a session, as its leader counted them."""

    __tablename__ = "session_participants"
    __table_args__ = (UniqueConstraint("session_id", "age_group", name="uq_session_participants_group"),)

    session_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("activity_session.id", ondelete="CASCADE"), index=True)
    age_group: Mapped[str] = mapped_column(String(8))
    count: Mapped[int] = mapped_column(Integer)
