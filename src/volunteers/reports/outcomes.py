"""The impact report's outcome figures: unfilled demand, job seekers, follow-ups, certificates."""

from __future__ import annotations

import uuid
from collections import defaultdict
from typing import Any

from sqlalchemy import String, and_, case, cast, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from volunteers.db.models import (
    Certificate,
    FollowUp,
    MatchRun,
    MatchRunStatus,
    Session,
    Situation,
    VolunteerProfile,
)
from volunteers.reports import schemas
from volunteers.reports.impact import cell
from volunteers.reports.period import Period
from volunteers.reports.suppression import count, suppress
from volunteers.reports.texts import text

HELPED = ("skills", "reference", "contact", "certificate")
WORK_OR_STUDIES = (Situation.WORKING, Situation.STUDYING)


async def unfilled_demand(db: AsyncSession, partnership_id: uuid.UUID, period: Period) -> schemas.UnfilledDemand:
    """Places the published plans left empty for sessions in the period, by the reasons given.

    A session replanned and published again counts once, as its latest published plan says.
    There are a handful of runs per period, so their plans are read here rather than in SQL.
    """
    runs = (
        await db.execute(
            select(MatchRun.session_ids, MatchRun.plan)
            .where(
                MatchRun.partnership_id == partnership_id,
                MatchRun.status == MatchRunStatus.PUBLISHED,
                MatchRun.period_start <= period.end,
                MatchRun.period_end >= period.start,
            )
            .order_by(MatchRun.published_at)
        )
    ).all()
    latest: dict[str, list[dict[str, Any]]] = {}
    for session_ids, plan in runs:
        targets = set(session_ids or [])
        by_shift: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for s in (plan or {}).get("shortages", []):
            if s.get("shift") in targets:
                by_shift[s["shift"]].append(s)
        for sid in targets:
            latest[sid] = by_shift.get(sid, [])
    wanted = [uuid.UUID(sid) for sid, shorts in latest.items() if shorts]
    in_period: set[str] = set()
    for i in range(0, len(wanted), 500):
        rows = await db.execute(
            select(Session.id).where(
                Session.id.in_(wanted[i : i + 500]), Session.starts_at >= period.lo, Session.starts_at < period.hi
            )
        )
        in_period.update(str(sid) for sid in rows.scalars())
    missing = 0
    reasons: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for sid in in_period:
        for short in latest[sid]:
            missing += int(short.get("missing", 0))
            for r in short.get("reasons", []):
                agg = reasons[r["code"]]
                agg[0] += int(short.get("missing", 0))
                agg[1] += 1
                agg[2] += int(r.get("count") or 0)
    by_reason = [
        schemas.ShortageReason(code, m, n, t) for code, (m, n, t) in sorted(reasons.items(), key=lambda kv: -kv[1][0])
    ]
    return schemas.UnfilledDemand(len(runs), missing, by_reason)


async def job_seeker_outcomes(db: AsyncSession, partnership_id: uuid.UUID, period: Period) -> schemas.JobSeekerOutcomes:
    """Who was looking for work by the period's end, and who answered later that they work or study.

    Looking for work starts at the first follow-up saying so; without one, a profile that
    says `seeking_work` counts from registration. Answers after the period are not seen.
    """
    first_look = (
        select(FollowUp.volunteer_id.label("vid"), func.min(FollowUp.answered_on).label("since"))
        .where(FollowUp.situation == Situation.LOOKING_FOR_WORK, FollowUp.answered_on <= period.end)
        .group_by(FollowUp.volunteer_id)
        .subquery("first_look")
    )
    later = aliased(FollowUp)
    found_work = exists().where(
        later.volunteer_id == VolunteerProfile.id,
        later.situation.in_(WORK_OR_STUDIES),
        later.answered_on <= period.end,
        or_(first_look.c.since.is_(None), later.answered_on > first_look.c.since),
    )
    looking, working = (
        await db.execute(
            select(func.count(), func.coalesce(func.sum(case((found_work, 1), else_=0)), 0))
            .select_from(VolunteerProfile)
            .outerjoin(first_look, first_look.c.vid == VolunteerProfile.id)
            .where(
                VolunteerProfile.partnership_id == partnership_id,
                VolunteerProfile.created_at < period.hi,
                or_(first_look.c.since.is_not(None), VolunteerProfile.seeking_work.is_(True)),
            )
        )
    ).one()
    looking_c, working_c = count(int(looking)), count(int(working))
    share = None
    if not looking_c.suppressed and not working_c.suppressed and looking:
        share = round(int(working) / int(looking), 3)
    return schemas.JobSeekerOutcomes(looking_c, working_c, share)


async def follow_up_figures(
    db: AsyncSession, partnership_id: uuid.UUID, period: Period, lang: str
) -> schemas.FollowUpFigures:
    """Answers given in the period: each respondent's latest situation, and what helped (any answer)."""
    mine = and_(
        FollowUp.volunteer_id == VolunteerProfile.id,
        VolunteerProfile.partnership_id == partnership_id,
        FollowUp.answered_on >= period.start,
        FollowUp.answered_on <= period.end,
    )
    helped_text = cast(FollowUp.helped, String)
    people = [func.count(FollowUp.volunteer_id.distinct())] + [
        func.count(case((helped_text.like(f'%"{h}"%'), FollowUp.volunteer_id)).distinct()) for h in HELPED
    ]
    totals = (await db.execute(select(*people).select_from(FollowUp).join(VolunteerProfile, mine))).one()
    last = (
        select(FollowUp.volunteer_id.label("vid"), func.max(FollowUp.answered_on).label("on"))
        .join(VolunteerProfile, mine)
        .group_by(FollowUp.volunteer_id)
        .subquery("last")
    )
    rows = (
        await db.execute(
            select(FollowUp.situation, func.count(FollowUp.volunteer_id.distinct()))
            .join(last, and_(last.c.vid == FollowUp.volunteer_id, last.c.on == FollowUp.answered_on))
            .group_by(FollowUp.situation)
        )
    ).all()
    by_situation = {str(s.value if isinstance(s, Situation) else s): int(n) for s, n in rows}
    respondents = count(int(totals[0]))
    situations = suppress([cell(s.value, text(lang, s.value), by_situation.get(s.value, 0)) for s in Situation])
    helped = [cell(h, text(lang, h), int(n)) for h, n in zip(HELPED, totals[1:], strict=True)]
    # Several things may have helped one person, so the cells add up to no total: no complement.
    helped = [suppress([c])[0] for c in helped]
    return schemas.FollowUpFigures(respondents, situations, helped)


async def certificate_figures(
    db: AsyncSession, partnership_id: uuid.UUID, period: Period
) -> schemas.CertificateFigures:
    """Certificates issued, and revoked, in the period."""
    in_period = Certificate.partnership_id == partnership_id
    issued, revoked = (
        await db.execute(
            select(
                func.count(case((and_(Certificate.issued_at >= period.lo, Certificate.issued_at < period.hi), 1))),
                func.count(case((and_(Certificate.revoked_at >= period.lo, Certificate.revoked_at < period.hi), 1))),
            ).where(in_period)
        )
    ).one()
    return schemas.CertificateFigures(count(int(issued)), count(int(revoked)))
