"""Activities, their dated sessions and the people each needs."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, SmallInteger, String
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column

from .base import JSON, UTC, Base, str_enum
from .enums import ActivityKind, SessionStatus, TargetGroup


class Activity(Base):
    """A recurring activity run by a partner: a football group, a study circle."""

    __tablename__ = "activity"

    partnership_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("partnership.id", ondelete="CASCADE"), index=True)
    partner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("partner.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(String(4000), default="")
    kind: Mapped[ActivityKind] = mapped_column(str_enum(ActivityKind, "activity_kind"))
    target_group: Mapped[TargetGroup] = mapped_column(str_enum(TargetGroup, "target_group"))
    place: Mapped[str] = mapped_column(String(200), default="")
    tasks: Mapped[list[str]] = mapped_column(JSON, default=list)
    # A certificate's wording (migration 0006_cert16): the name in Swedish and English
    # (empty: `name` as written), and what each task reads as once done, as
    # [{"task": <one of tasks>, "sv": past tense, "en": past tense}].
    name_sv: Mapped[str] = mapped_column(String(200), default="", server_default="")
    name_en: Mapped[str] = mapped_column(String(200), default="", server_default="")
    tasks_done: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list, server_default="[]")
    is_active: Mapped[bool] = mapped_column(default=True)
    # Volunteers may take its open places themselves (the partnership's choice, per activity).
    open_for_signup: Mapped[bool] = mapped_column(default=False, server_default=sa_false())


class Session(Base):
    """One dated occurrence of an activity (a `shift` in the matching contract)."""

    __tablename__ = "activity_session"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="session_ends_after_start"),
        Index("ix_activity_session_starts", "starts_at"),
    )

    activity_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("activity.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[dt.datetime] = mapped_column(UTC)
    ends_at: Mapped[dt.datetime] = mapped_column(UTC)
    status: Mapped[SessionStatus] = mapped_column(
        str_enum(SessionStatus, "session_status"), default=SessionStatus.SCHEDULED
    )
    note: Mapped[str] = mapped_column(String(1000), default="")
    series_id: Mapped[uuid.UUID | None] = mapped_column(index=True)


class StaffingNeed(Base):
    """Who a session needs: a role, how many, with which skills, languages and age.

    With `session_id` empty the need applies to every session of the activity; a need
    on one session with the same role replaces the activity's for that session.
    """

    __tablename__ = "staffing_need"
    __table_args__ = (
        CheckConstraint("count >= 1", name="need_count_positive"),
        CheckConstraint("priority >= 1", name="need_priority_positive"),
        Index("ix_staffing_need_role", "activity_id", "session_id", "role", unique=True),
    )

    activity_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("activity.id", ondelete="CASCADE"))
    session_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("activity_session.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(80))
    # The role's name on a certificate in Swedish and English (empty: `role` as written).
    role_sv: Mapped[str] = mapped_column(String(80), default="", server_default="")
    role_en: Mapped[str] = mapped_column(String(80), default="", server_default="")
    count: Mapped[int] = mapped_column(SmallInteger, default=1)
    skills: Mapped[list[str]] = mapped_column(JSON, default=list)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    min_age: Mapped[int | None] = mapped_column(SmallInteger)
    priority: Mapped[int] = mapped_column(Integer, default=1)
    develops: Mapped[list[str]] = mapped_column(JSON, default=list)
