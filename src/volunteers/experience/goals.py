"""Learning goals with a target date: set by the volunteer, reached only by a leader's endorsement.

One function builds the status that the volunteer (experience page and API) and the
coordinator (the volunteer's page) are shown, so the two cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from zoneinfo import ZoneInfo

import msgspec
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from volunteers import limits
from volunteers.db.models import Endorsement, LearningGoalTarget, User
from volunteers.errors import InvalidInput

FIELD = "learning_goal_targets"


class GoalStatus(msgspec.Struct):
    """One learning goal: its target date, and whether (by whom, when) a leader endorsed it."""

    skill_code: str
    target_date: dt.date | None
    reached: bool
    reached_on: dt.date | None  # the day of the first endorsement
    reached_by: str | None  # the endorsing leader's name (None once their account is gone)
    overdue: bool  # the target date has passed and no leader has endorsed the skill


async def targets_of(db: AsyncSession, profile_id: uuid.UUID) -> dict[str, dt.date]:
    rows = await db.execute(
        select(LearningGoalTarget.skill_code, LearningGoalTarget.target_date).where(
            LearningGoalTarget.profile_id == profile_id
        )
    )
    return {code: day for code, day in rows.all()}


def check_targets(targets: Mapping[str, dt.date | None], goals: Sequence[str]) -> None:
    """Refuse a date outside 2000..2100 or a target for a skill that is not among the goals."""
    for code, day in targets.items():
        field = f"{FIELD}.{code}"
        if code not in goals:
            raise InvalidInput(field, f"'{code}' is not one of your learning goals")
        limits.check_day(field, day)


async def save_targets(
    db: AsyncSession, profile_id: uuid.UUID, targets: Mapping[str, dt.date | None], goals: Sequence[str]
) -> None:
    """Set (a date) or clear (None) the given goals' targets; a goal no longer wanted loses its target."""
    current = {
        t.skill_code: t
        for t in (
            await db.execute(select(LearningGoalTarget).where(LearningGoalTarget.profile_id == profile_id))
        ).scalars()
    }
    for code, row in current.items():
        if code not in goals or (code in targets and targets[code] is None):
            await db.delete(row)
    for code, day in targets.items():
        if day is None or code not in goals:
            continue
        if code in current:
            current[code].target_date = day
        else:
            db.add(LearningGoalTarget(profile_id=profile_id, skill_code=code, target_date=day))
    await db.flush()


async def drop_targets(db: AsyncSession, profile_id: uuid.UUID) -> None:
    await db.execute(delete(LearningGoalTarget).where(LearningGoalTarget.profile_id == profile_id))


async def goal_statuses(
    db: AsyncSession, profile_id: uuid.UUID, goals: Sequence[str], today: dt.date, zone: ZoneInfo | None = None
) -> dict[str, GoalStatus]:
    """The status of each goal on `today` (the partnership's local date, from the service clock)."""
    targets = await targets_of(db, profile_id)
    first: dict[str, tuple[dt.datetime, str | None]] = {}
    if goals:
        rows = await db.execute(
            select(Endorsement.skill_code, Endorsement.created_at, User.display_name)
            .outerjoin(User, User.id == Endorsement.by_user_id)
            .where(Endorsement.volunteer_id == profile_id, Endorsement.skill_code.in_(set(goals)))
            .order_by(Endorsement.created_at)
        )
        for code, at, name in rows.all():
            first.setdefault(code, (at, name))
    out: dict[str, GoalStatus] = {}
    for code in goals:
        target = targets.get(code)
        reached = first.get(code)
        out[code] = GoalStatus(
            skill_code=code,
            target_date=target,
            reached=reached is not None,
            reached_on=(reached[0].astimezone(zone) if zone else reached[0]).date() if reached else None,
            reached_by=reached[1] if reached else None,
            overdue=reached is None and target is not None and target < today,
        )
    return out
