"""Children and young people reached: the participants leaders counted, by age group, when confirming attendance.

These are head counts per session (the same child at ten sessions counts ten times),
not distinct people: nobody is registered. They are still kept under the same disclosure
rule as counts of people (a group of 1-4 is hidden, and others beside it).

Head counts add up over months, so a period's figure minus another period's is a month's
figure: two shown figures would give away a month's hidden one. So each month's table is
protected as a one-month report protects it, and a longer period shows a figure only
when every one of its months shows it (the sum of them); otherwise the cell is hidden
("months": it may hold fewer than 5) and so is the total when any month's total is. A
period's report then tells nothing its months' reports do not.
"""

from __future__ import annotations

import uuid
from collections import defaultdict

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from volunteers.db.models import PARTICIPANT_AGE_GROUPS, Activity, Session, SessionParticipants, SessionStatus
from volunteers.reports import schemas
from volunteers.reports.impact import cell
from volunteers.reports.period import Period
from volunteers.reports.suppression import count, protect

MONTHS = "months"  # hidden because one of the period's months hides it


async def children_reached(db: AsyncSession, partnership_id: uuid.UUID, period: Period, lang: str) -> schemas.Reach:
    """Participations by age group at the partnership's sessions in the period that were not cancelled."""
    month = period.month_of(Session.starts_at)
    rows = (
        await db.execute(
            select(month, SessionParticipants.age_group, func.sum(SessionParticipants.count))
            .join(Session, Session.id == SessionParticipants.session_id)
            .join(Activity, Activity.id == Session.activity_id)
            .where(
                Activity.partnership_id == partnership_id,
                Session.status == SessionStatus.SCHEDULED,
                Session.starts_at >= period.lo,
                Session.starts_at < period.hi,
            )
            .group_by(month, SessionParticipants.age_group)
        )
    ).all()
    found: dict[str, dict[str, int]] = defaultdict(dict)
    for m, g, n in rows:
        found[str(m)][str(g)] = int(n)
    years = "år" if lang == "sv" else "years"
    labels = [(g, f"{g.replace('-', '–')} {years}") for g in PARTICIPANT_AGE_GROUPS]
    tables = []
    for m, _, _ in period.months():
        counts = found.get(m, {})
        total = count(sum(counts.values()))
        cells, lost = protect([cell(g, label, counts.get(g, 0)) for g, label in labels], total.value, additive=True)
        tables.append((schemas.Count(None, True) if lost else total, cells))
    if len(tables) == 1:
        total, cells = tables[0]
        return schemas.Reach(total, cells)
    hidden = {c.key for _, cells in tables for c in cells if c.suppressed}
    sums = {g: sum(counts.get(g, 0) for counts in found.values()) for g, _ in labels}
    out = [
        schemas.Cell(g, label, None, suppressed=True, hidden=MONTHS) if g in hidden else cell(g, label, sums[g])
        for g, label in labels
    ]
    any_total_hidden = any(t.suppressed for t, _ in tables)
    total = schemas.Count(None, True) if any_total_hidden else count(sum(sums.values()))
    return schemas.Reach(total, out)
