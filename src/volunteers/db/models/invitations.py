"""Invitations to a role in a partnership: single-use links, kept only as hashes."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import UTC, Base, str_enum
from .enums import Role


class Invitation(Base):
    """An invitation sent to one address for one role (a leader's names their partner).

    Only the SHA-256 of the link's secret is stored: a copy of the database cannot be
    used to accept anyone's invitation.
    """

    __tablename__ = "invitation"
    __table_args__ = (Index("ix_invitation_partnership_email", "partnership_id", "email"),)

    partnership_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("partnership.id", ondelete="CASCADE"))
    email: Mapped[str] = mapped_column(String(320))
    role: Mapped[Role] = mapped_column(str_enum(Role, "role"))
    partner_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("partner.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    expires_at: Mapped[dt.datetime] = mapped_column(UTC)
    accepted_at: Mapped[dt.datetime | None] = mapped_column(UTC)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTC)
    sent_count: Mapped[int] = mapped_column(default=1)
