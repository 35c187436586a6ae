"""Target dates for a volunteer's learning goals (the goals stay a list on the profile)."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class LearningGoalTarget(Base):
    """The day by which the volunteer wants to have reached one of their learning goals.

    A row apart from `volunteer_profile.learning_goals` so that list keeps its shape for the
    matcher, the import and the report; a goal dropped from the list loses its row.
    """

    __tablename__ = "learning_goal_target"
    __table_args__ = (Index("ix_learning_goal_target_unique", "profile_id", "skill_code", unique=True),)

    profile_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("volunteer_profile.id", ondelete="CASCADE"))
    skill_code: Mapped[str] = mapped_column(String(80))
    target_date: Mapped[dt.date] = mapped_column(Date)
