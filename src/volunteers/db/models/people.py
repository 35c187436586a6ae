"""Volunteers: profile, skills, availability and background-check records."""

from __future__ import annotations

import datetime as dt
import uuid

from advanced_alchemy.base import DefaultBase
from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, SmallInteger, String, Time
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import JSON, UTC, Base, str_enum
from .enums import ExceptionKind, SkillSource


class KeyCompetence(DefaultBase):
    """One of the eight EU key competences for lifelong learning (2018)."""

    __tablename__ = "key_competence"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    label_en: Mapped[str] = mapped_column(String(200))
    label_sv: Mapped[str] = mapped_column(String(200))


class Skill(DefaultBase):
    """A skill of the catalogue: ESCO-mapped (URI kept) or the project's own.

    `label_sv` is the project's own Swedish wording, never ESCO's label.
    """

    __tablename__ = "skill"

    code: Mapped[str] = mapped_column(String(80), primary_key=True)
    esco_uri: Mapped[str | None] = mapped_column(String(200))
    label_en: Mapped[str] = mapped_column(String(200))
    label_sv: Mapped[str] = mapped_column(String(200))
    key_competence: Mapped[str | None] = mapped_column(ForeignKey("key_competence.code"))
    source: Mapped[SkillSource] = mapped_column(str_enum(SkillSource, "skill_source"))


class VolunteerProfile(Base):
    """What a volunteer tells about themself; one per user who volunteers."""

    __tablename__ = "volunteer_profile"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), unique=True)
    partnership_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("partnership.id", ondelete="CASCADE"), index=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    birth_date: Mapped[dt.date | None] = mapped_column(Date)
    phone: Mapped[str] = mapped_column(String(40), default="")
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    learning_goals: Mapped[list[str]] = mapped_column(JSON, default=list)
    preferred_activity_kinds: Mapped[list[str]] = mapped_column(JSON, default=list)
    seeking_work: Mapped[bool] = mapped_column(Boolean, default=False)
    max_minutes_per_week: Mapped[int | None] = mapped_column(Integer)
    guardian_name: Mapped[str] = mapped_column(String(200), default="")
    guardian_contact: Mapped[str] = mapped_column(String(200), default="")
    guardian_consent_at: Mapped[dt.datetime | None] = mapped_column(UTC)
    calendar_token: Mapped[str] = mapped_column(String(64), unique=True)
    last_offered_at: Mapped[dt.datetime | None] = mapped_column(UTC)

    skills: Mapped[list[VolunteerSkill]] = relationship(
        lazy="selectin", cascade="all, delete-orphan", back_populates="profile"
    )


class VolunteerSkill(Base):
    """A skill the volunteer says they have (self-assessed; endorsements are apart)."""

    __tablename__ = "volunteer_skill"
    __table_args__ = (Index("ix_volunteer_skill_unique", "profile_id", "skill_code", unique=True),)

    profile_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("volunteer_profile.id", ondelete="CASCADE"))
    skill_code: Mapped[str] = mapped_column(ForeignKey("skill.code"), index=True)

    profile: Mapped[VolunteerProfile] = relationship(back_populates="skills", lazy="noload")


class AvailabilityRule(Base):
    """Weekly availability in local time: every `weekday` from `start_time` to `end_time`."""

    __tablename__ = "availability_rule"

    profile_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("volunteer_profile.id", ondelete="CASCADE"), index=True)
    weekday: Mapped[int] = mapped_column(SmallInteger)  # 0 = Monday (ISO weekday - 1)
    start_time: Mapped[dt.time] = mapped_column(Time)
    end_time: Mapped[dt.time] = mapped_column(Time)
    valid_from: Mapped[dt.date | None] = mapped_column(Date)
    valid_until: Mapped[dt.date | None] = mapped_column(Date)


class AvailabilityException(Base):
    """A dated exception: away for some dates, or available at extra times."""

    __tablename__ = "availability_exception"

    profile_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("volunteer_profile.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ExceptionKind] = mapped_column(str_enum(ExceptionKind, "exception_kind"))
    date_from: Mapped[dt.date] = mapped_column(Date)
    date_to: Mapped[dt.date] = mapped_column(Date)
    start_time: Mapped[dt.time | None] = mapped_column(Time)  # none = the whole day
    end_time: Mapped[dt.time | None] = mapped_column(Time)
    note: Mapped[str] = mapped_column(String(200), default="")


class BackgroundCheck(Base):
    """That an extract from the criminal records register was seen: by whom and when.

    Never a copy, a number or the extract's content.
    """

    __tablename__ = "background_check"

    profile_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("volunteer_profile.id", ondelete="CASCADE"), index=True)
    partnership_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("partnership.id", ondelete="CASCADE"))
    seen_on: Mapped[dt.date] = mapped_column(Date)
    seen_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
