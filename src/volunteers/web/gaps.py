"""What leaders and coordinators see of the gaps: running-out checks, fill status."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from volunteers.accounts.actor import Actor
from volunteers.db.models import Partnership, VolunteerProfile
from volunteers.staffing.checks import latest_checks, places_lost


@dataclass(frozen=True)
class RunningOut:
    id: uuid.UUID
    name: str
    valid_until: dt.date
    places: int


@dataclass(frozen=True)
class ChecksRunningOut:
    places: int
    volunteers: list[RunningOut]


async def checks_running_out(db: AsyncSession, actor: Actor, now: dt.datetime) -> ChecksRunningOut | None:
    """How many held places with children the checks running out within a month will cost (coordinators)."""
    found: list[RunningOut] = []
    for pid in sorted(actor.coordinated_partnerships):
        p = await db.get(Partnership, pid)
        assert p is not None
        lost = await places_lost(db, p, now)
        if not lost:
            continue
        seen = await latest_checks(db, set(lost))
        for v in (await db.execute(select(VolunteerProfile).where(VolunteerProfile.id.in_(lost)))).scalars():
            until = seen[v.id] + dt.timedelta(days=p.background_check_valid_days)
            found.append(RunningOut(v.id, f"{v.first_name} {v.last_name}", until, len(lost[v.id])))
    if not found:
        return None
    found.sort(key=lambda r: (r.valid_until, r.name))
    return ChecksRunningOut(sum(r.places for r in found), found)
