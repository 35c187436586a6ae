"""The watch: every future held assignment checked with the matcher's rule code, and a warning ahead.

It runs once a day in the jobs' worker and whenever a coordinator presses the button. It
should always find nothing, since every write is guarded; what it finds (data changed
outside the service, a bug) is released with the rule as the reason. It also warns of
background checks that run out soon for volunteers placed on children's sessions.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from volunteers.db.models import (
    Activity,
    Assignment,
    BackgroundCheck,
    Partnership,
    Session,
    SessionStatus,
    TargetGroup,
    VolunteerProfile,
)
from volunteers.staffing import guard
from volunteers.staffing.rules import HELD, held_breaches

log = logging.getLogger("samverka.watch")
WARN_AHEAD = dt.timedelta(days=60)


@dataclass
class WatchReport:
    breaches: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    released: bool = False


async def watch(
    db: AsyncSession, partnership: Partnership, now: dt.datetime, *, release: bool, by: Any = None
) -> WatchReport:
    """Check all of the partnership's future held assignments; release what breaks a rule if `release`."""
    breaches = await held_breaches(db, partnership, now)
    report = WatchReport(breaches=await guard.affected(db, partnership, breaches) if breaches else [])
    if breaches and release:
        log.warning("watch: %d held assignment(s) break a rule in %s; releasing", len(breaches), partnership.slug)
        await guard.release(db, partnership, breaches, now, by)
        report.released = True
    report.warnings = await checks_running_out(db, partnership, now)
    return report


async def checks_running_out(db: AsyncSession, partnership: Partnership, now: dt.datetime) -> list[dict[str, Any]]:
    """Volunteers on future children's sessions whose latest check runs out within WARN_AHEAD."""
    zone = ZoneInfo(partnership.timezone)
    today = now.astimezone(zone).date()
    valid = dt.timedelta(days=partnership.background_check_valid_days)
    latest = (
        select(BackgroundCheck.profile_id, func.max(BackgroundCheck.seen_on).label("seen"))
        .where(BackgroundCheck.partnership_id == partnership.id)
        .group_by(BackgroundCheck.profile_id)
        .subquery()
    )
    rows = (
        await db.execute(
            select(
                VolunteerProfile.id,
                VolunteerProfile.first_name,
                VolunteerProfile.last_name,
                latest.c.seen,
                Session.starts_at,
            )
            .join(latest, latest.c.profile_id == VolunteerProfile.id)
            .join(Assignment, Assignment.volunteer_id == VolunteerProfile.id)
            .join(Session, Session.id == Assignment.session_id)
            .join(Activity, Activity.id == Session.activity_id)
            .where(
                Activity.partnership_id == partnership.id,
                Activity.target_group.in_([g for g in TargetGroup if g.involves_minors]),
                Assignment.status.in_(HELD),
                Session.status == SessionStatus.SCHEDULED,
                Session.starts_at > now,
            )
        )
    ).all()
    found: dict[Any, dict[str, Any]] = {}
    for pid, first, last, seen, starts in rows:
        runs_out = seen + valid
        if not today <= runs_out <= today + WARN_AHEAD:
            continue
        item = found.setdefault(
            pid,
            {
                "volunteer_id": str(pid),
                "volunteer_name": f"{first} {last}".strip(),
                "runs_out_on": runs_out.isoformat(),
                "sessions_before": 0,
            },
        )
        if starts.astimezone(zone).date() <= runs_out:
            item["sessions_before"] += 1
    for item in found.values():
        item["message"] = (
            f"{item['volunteer_name']}'s background check runs out on {item['runs_out_on']}, "
            f"after {item['sessions_before']} of their held children's sessions; renew it to place them later"
        )
    return sorted(found.values(), key=lambda i: i["runs_out_on"])
