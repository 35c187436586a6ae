"""A leader's reference for a volunteer: asked for by the volunteer, written and approved by a leader."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import UTC, Base


class Reference(Base):
    """One reference request and, once a leader of the activity approves it, the reference itself.

    `status` is requested, approved or declined. What the certificate prints (text,
    the leader's name, role and partner) is copied when the leader approves, so a later
    change of name or title does not change a reference already given. `contact` is
    empty unless the leader agreed to be contacted. `included` is the volunteer's
    choice: an approved reference goes into her next certificate unless she leaves it out.
    """

    __tablename__ = "reference"

    volunteer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("volunteer_profile.id", ondelete="CASCADE"), index=True)
    activity_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("activity.id", ondelete="CASCADE"), index=True)
    partnership_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("partnership.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16), default="requested")
    message: Mapped[str] = mapped_column(String(300), default="")
    text: Mapped[str] = mapped_column(String(600), default="")
    leader_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    leader_name: Mapped[str] = mapped_column(String(200), default="")
    leader_role: Mapped[str] = mapped_column(String(120), default="")
    partner_name: Mapped[str] = mapped_column(String(200), default="")
    contact: Mapped[str] = mapped_column(String(200), default="")
    # The language the leader wrote `text` in ("sv", "en"; "" before 0006_cert16): a
    # certificate in the other language says so rather than translating the leader's words.
    language: Mapped[str] = mapped_column(String(8), default="", server_default="")
    included: Mapped[bool] = mapped_column(Boolean, default=True)
    answered_at: Mapped[dt.datetime | None] = mapped_column(UTC)
