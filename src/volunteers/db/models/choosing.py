"""What volunteers choose themselves: own hours, waiting lists and offers of a freed place."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import UTC, Base


class OwnHours(Base):
    """Time a volunteer reports themself (preparation, a trip); counts once a leader approves it."""

    __tablename__ = "own_hours"

    volunteer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("volunteer_profile.id", ondelete="CASCADE"), index=True)
    activity_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("activity.id", ondelete="CASCADE"), index=True)
    worked_on: Mapped[dt.date] = mapped_column(Date)
    minutes: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(24))  # preparation, trip, other
    note: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending, approved, rejected
    decided_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTC)


class WaitingListEntry(Base):
    """A volunteer waiting for a place on a full session; offered a freed place first."""

    __tablename__ = "waiting_list_entry"
    __table_args__ = (UniqueConstraint("session_id", "volunteer_id", name="uq_waiting_session_volunteer"),)

    session_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("activity_session.id", ondelete="CASCADE"), index=True)
    volunteer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("volunteer_profile.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(80))


class PlaceOffer(Base):
    """A freed place offered to a volunteer: after a decline, from the waiting list, or a swap.

    The offers of one freed place share `group_id`; the first to accept takes the place and
    the others are withdrawn.
    """

    __tablename__ = "place_offer"

    group_id: Mapped[uuid.UUID] = mapped_column(index=True)
    session_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("activity_session.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(80))
    volunteer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("volunteer_profile.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # replacement, waiting_list, swap
    # For a swap: the accepted assignment handed over when the offer is taken.
    from_assignment_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("assignment.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16), default="open")  # open, taken, withdrawn, declined, expired
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTC)
    # Unanswered by then, the offer expires and passes on (`staffing.expiry`); never past the session's start.
    expires_at: Mapped[dt.datetime | None] = mapped_column(UTC, index=True)
