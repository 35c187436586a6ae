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

from volunteers.db.models import Activity, Session, SessionStatus
from volunteers.reports import impact, schemas
from volunteers.reports.period import Period
from volunteers.reports.suppression import MIN_CELL


def previous(period: Period) -> Period:
    """As many whole months as `period`, ending the day before it starts."""
    months = (period.end.year - period.start.year) * 12 + period.end.month - period.start.month + 1
    index = period.start.year * 12 + period.start.month - 1 - months
    start = dt.date(index // 12, index % 12 + 1, 1)
    return Period.of(start, period.start - dt.timedelta(days=1), period.zone.key)


async def comparison(
    db: AsyncSession,
    partnership_id: uuid.UUID,
    period: Period,
    now: dt.datetime,
    active_now: set[uuid.UUID],
    lang: str,
    partners: dict[str, str],
) -> schemas.Comparison:
    """The previous period's active volunteers, verified hours and sessions held, and retention into this one.

    The previous period's active count and hours are shown exactly as that period's own report
    shows them: where its tables had to hide its total, showing it here would hand a reader
    of both reports the total its hidden cells were protected against.
    """
    before = previous(period)
    active, minutes, was_active = await impact.headline(db, partnership_id, before, lang, partners)
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
    kept = len(was_active & active_now)
    left = len(was_active) - kept
    # Retained and left are the two cells of one table (their total is the previous active
    # count): a small one hides both, or the other gives it away; so does a hidden total.
    small = 0 < kept < MIN_CELL or 0 < left < MIN_CELL or active.suppressed
    retained = schemas.Count(None, True) if small else schemas.Count(kept, False)
    return schemas.Comparison(
        start=before.start,
        end=before.end,
        active=active,
        total_hours=None if minutes is None else round(minutes / 60, 1),
        sessions_held=int(held or 0),
        retained=retained,
        retention=None if small or not was_active else round(kept / len(was_active), 3),
    )
