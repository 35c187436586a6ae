"""Children and young people reached: the participants leaders counted, by age group, when confirming attendance.

These are head counts per session (the same child at ten sessions counts ten times),
not distinct people: nobody is registered. They are still kept under the same disclosure
rule as counts of people (a group of 1-4 is hidden, and others beside it).
"""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from volunteers.db.models import PARTICIPANT_AGE_GROUPS, Activity, Session, SessionParticipants, SessionStatus
from volunteers.reports import schemas
from volunteers.reports.impact import cell
from volunteers.reports.period import Period
from volunteers.reports.suppression import count, protect


async def children_reached(db: AsyncSession, partnership_id: uuid.UUID, period: Period, lang: str) -> schemas.Reach:
    """Participations by age group at the partnership's sessions in the period that were not cancelled."""
    rows = (
        await db.execute(
            select(SessionParticipants.age_group, func.sum(SessionParticipants.count))
            .join(Session, Session.id == SessionParticipants.session_id)
            .join(Activity, Activity.id == Session.activity_id)
            .where(
                Activity.partnership_id == partnership_id,
                Session.status == SessionStatus.SCHEDULED,
                Session.starts_at >= period.lo,
                Session.starts_at < period.hi,
            )
            .group_by(SessionParticipants.age_group)
        )
    ).all()
    found = {str(g): int(n) for g, n in rows}
    total = count(sum(found.values()))
    years = "år" if lang == "sv" else "years"
    cells, lost = protect(
        [cell(g, f"{g.replace('-', '–')} {years}", found.get(g, 0)) for g in PARTICIPANT_AGE_GROUPS],
        total.value,
        additive=True,
    )
    return schemas.Reach(schemas.Count(None, True) if lost else total, cells)
