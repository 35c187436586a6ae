"""Assignments and their history, exclusions and match runs."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column

from volunteers.instance import running_instance

from .base import JSON, UTC, Base, str_enum
from .enums import AssignmentStatus, MatchRunStatus


class Assignment(Base):
    """A volunteer in a role of a session; one row per volunteer and session."""

    __tablename__ = "assignment"
    __table_args__ = (UniqueConstraint("session_id", "volunteer_id", name="uq_assignment_session_volunteer"),)

    session_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("activity_session.id", ondelete="CASCADE"), index=True)
    volunteer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("volunteer_profile.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(80))
    status: Mapped[AssignmentStatus] = mapped_column(str_enum(AssignmentStatus, "assignment_status"))
    match_run_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("match_run.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(String(500), default="")
    # The volunteer said no (declined or cancelled): the matcher never proposes this pair again.
    excludes: Mapped[bool] = mapped_column(default=False, server_default=sa_false())
    # A volunteer's own sign-up that waits for the leader's yes (a proposal they cannot accept themself).
    awaiting_leader: Mapped[bool] = mapped_column(default=False, server_default=sa_false())
    # Starts and ends copied from the session so that overlap checks need no join.
    starts_at: Mapped[dt.datetime] = mapped_column(UTC)
    ends_at: Mapped[dt.datetime] = mapped_column(UTC)


class AssignmentEvent(Base):
    """One change of an assignment's status: from what, to what, by whom, why."""

    __tablename__ = "assignment_event"

    assignment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("assignment.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(24))
    to_status: Mapped[str] = mapped_column(String(24))
    by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(String(500), default="")


class Exclusion(Base):
    """A leader's veto: this volunteer is not to be placed on this activity."""

    __tablename__ = "exclusion"
    __table_args__ = (UniqueConstraint("activity_id", "volunteer_id"),)

    activity_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("activity.id", ondelete="CASCADE"))
    volunteer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("volunteer_profile.id", ondelete="CASCADE"))
    by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(String(500), default="")


class MatchRun(Base):
    """One run of the matcher for a period: the problem it solved and the plan it found."""

    __tablename__ = "match_run"

    partnership_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("partnership.id", ondelete="CASCADE"), index=True)
    requested_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(24), default="coordinator")  # or leader_request
    # The instance (settings.resolved_instance_id) whose process runs it; see runner.fail_interrupted.
    instance_id: Mapped[str | None] = mapped_column(String(200), default=running_instance)
    period_start: Mapped[dt.date]
    period_end: Mapped[dt.date]
    activity_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    session_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    warnings: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    status: Mapped[MatchRunStatus] = mapped_column(
        str_enum(MatchRunStatus, "match_run_status"), default=MatchRunStatus.QUEUED
    )
    time_limit_seconds: Mapped[float] = mapped_column(default=60.0)
    problem: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    plan: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[dt.datetime | None] = mapped_column(UTC)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTC)
    published_at: Mapped[dt.datetime | None] = mapped_column(UTC)
    # When the newest plan published before this run was made was published (None: none was).
    based_on_published_at: Mapped[dt.datetime | None] = mapped_column(UTC)
    published_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
