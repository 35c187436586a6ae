"""Verified work: attendance, endorsements, trainings, certificates, follow-ups."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import Boolean, Date, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, deferred, mapped_column

from .base import JSON, UTC, Base, str_enum
from .enums import CertificateStatus, Situation


class Attendance(Base):
    """A leader's confirmation that an assignment was worked, and for how many minutes."""

    __tablename__ = "attendance"

    assignment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("assignment.id", ondelete="CASCADE"), unique=True)
    attended: Mapped[bool] = mapped_column(Boolean)
    minutes: Mapped[int] = mapped_column(Integer, default=0)
    confirmed_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    confirmed_at: Mapped[dt.datetime] = mapped_column(UTC)


class Endorsement(Base):
    """A skill a leader saw a volunteer use (leader-assessed), with an optional note."""

    __tablename__ = "endorsement"

    volunteer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("volunteer_profile.id", ondelete="CASCADE"), index=True)
    skill_code: Mapped[str] = mapped_column(ForeignKey("skill.code"))
    session_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("activity_session.id", ondelete="SET NULL"))
    activity_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("activity.id", ondelete="SET NULL"))
    by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(String(200), default="")


class Training(Base):
    """A completed training, such as a circle-leader course or first aid."""

    __tablename__ = "training"

    volunteer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("volunteer_profile.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    # The name on a certificate in Swedish and English (empty: `name` as written).
    name_sv: Mapped[str] = mapped_column(String(200), default="", server_default="")
    name_en: Mapped[str] = mapped_column(String(200), default="", server_default="")
    issuer: Mapped[str] = mapped_column(String(200))
    completed_on: Mapped[dt.date] = mapped_column(Date)
    recorded_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))


class Certificate(Base):
    """An issued certificate: the signed data snapshot, so a re-download is the same document.

    `public_id` is the unguessable id printed on the PDF and used by `/verify/{id}`.
    """

    __tablename__ = "certificate"

    public_id: Mapped[str] = mapped_column(String(40), unique=True)
    volunteer_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("volunteer_profile.id", ondelete="SET NULL"), index=True
    )
    partnership_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("partnership.id", ondelete="CASCADE"), index=True)
    issuer_partner_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("partner.id", ondelete="SET NULL"))
    issued_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    issued_at: Mapped[dt.datetime] = mapped_column(UTC)
    language: Mapped[str] = mapped_column(String(8))
    snapshot: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    credential: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    key_id: Mapped[str] = mapped_column(String(80))
    content_sha256: Mapped[str] = mapped_column(String(64))
    verified_minutes: Mapped[int] = mapped_column(Integer)
    status: Mapped[CertificateStatus] = mapped_column(
        str_enum(CertificateStatus, "certificate_status"), default=CertificateStatus.VALID
    )
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTC)
    revoked_reason: Mapped[str] = mapped_column(String(500), default="")
    revoked_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    # The PDF as rendered at issue, served as is: loaded only when asked for.
    pdf: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))


class FollowUp(Base):
    """A volunteer's answer on their situation (work, studies), given with consent."""

    __tablename__ = "follow_up"

    volunteer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("volunteer_profile.id", ondelete="CASCADE"), index=True)
    answered_on: Mapped[dt.date] = mapped_column(Date)
    situation: Mapped[Situation] = mapped_column(str_enum(Situation, "situation"))
    helped: Mapped[list[str]] = mapped_column(JSON, default=list)  # skills, reference, contact, certificate
    comment: Mapped[str] = mapped_column(Text, default="")
    # The short reflection asked at each follow-up: what they learnt, and whether the
    # certificate was used in an application or an interview (None: not answered).
    learned: Mapped[str] = mapped_column(Text, default="", server_default="")
    certificate_used: Mapped[bool | None] = mapped_column(Boolean)
