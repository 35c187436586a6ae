"""The previous period beside this one, and retention from the one to the other.

The previous period is as many whole months as this one, ending the day before it starts.
Retention: of the volunteers active in the previous period, the share active in this one
(active = at least one attended, completed session, as everywhere in the report).
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from volunteers.db.models import Activity, Assignment, AssignmentStatus, Attendance, Session, SessionStatus
from volunteers.reports import schemas
from volunteers.reports.period import Period
from volunteers.reports.suppression import MIN_CELL, count


def previous(period: Period) -> Period:
    """As many whole months as `period`, ending the day before it starts."""
    months = (period.end.year - period.start.year) * 12 + period.end.month - period.start.month + 1
    index = period.start.year * 12 + period.start.month - 1 - months
    start = dt.date(index // 12, index % 12 + 1, 1)
    return Period.of(start, period.start - dt.timedelta(days=1), period.zone.key)


async def comparison(
    db: AsyncSession, partnership_id: uuid.UUID, period: Period, now: dt.datetime, active_now: set[uuid.UUID]
) -> schemas.Comparison:
    """The previous period's active volunteers, verified hours and sessions held, and retention into this one."""
    before = previous(period)
    rows = (
        await db.execute(
            select(Assignment.volunteer_id, func.sum(Attendance.minutes))
            .select_from(Attendance)
            .join(Assignment, Assignment.id == Attendance.assignment_id)
            .join(Session, Session.id == Assignment.session_id)
            .join(Activity, Activity.id == Session.activity_id)
            .where(
                Activity.partnership_id == partnership_id,
                # The session's own start (the assignment carries a copy) lets the database
                # read the previous period's sessions alone, not every session's assignments.
                Session.starts_at >= before.lo,
                Session.starts_at < before.hi,
                Assignment.status == AssignmentStatus.COMPLETED,
                Attendance.attended.is_(True),
                Assignment.starts_at >= before.lo,
                Assignment.starts_at < before.hi,
            )
            .group_by(Assignment.volunteer_id)
        )
    ).all()
    held = await db.scalar(
        select(func.count())
        .select_from(Session)
        .join(Activity, Activity.id == Session.activity_id)
        .where(
            Activity.partnership_id == partnership_id,
            Session.status == SessionStatus.SCHEDULED,
            Session.starts_at >= before.lo,
            Session.starts_at < min(before.hi, now),
        )
    )
    active = count(len(rows))
    minutes = sum(int(m) for _, m in rows)
    kept = len({vid for vid, _ in rows} & active_now)
    left = len(rows) - kept
    # Retained and left are the two cells of one table (their total is the previous active
    # count): a small one hides both, or the other gives it away.
    small = 0 < kept < MIN_CELL or 0 < left < MIN_CELL or active.suppressed
    retained = schemas.Count(None, True) if small else schemas.Count(kept, False)
    return schemas.Comparison(
        start=before.start,
        end=before.end,
        active=active,
        total_hours=None if active.suppressed else round(minutes / 60, 1),
        sessions_held=int(held or 0),
        retained=retained,
        retention=None if small or not rows else round(kept / len(rows), 3),
    )
