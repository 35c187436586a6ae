"""The impact report's outcome figures: unfilled demand, job seekers, follow-ups, certificates."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from typing import Any

from sqlalchemy import ColumnElement, ScalarSelect, String, and_, case, cast, exists, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from volunteers.db.models import (
    Assignment,
    AssignmentStatus,
    Certificate,
    Consent,
    Endorsement,
    FollowUp,
    JobSeekingStatus,
    MatchRun,
    MatchRunStatus,
    Session,
    SessionStatus,
    Situation,
    Training,
    User,
    VolunteerProfile,
)
from volunteers.reports import schemas
from volunteers.reports.impact import cell
from volunteers.reports.period import Period
from volunteers.reports.suppression import count, hides, protect
from volunteers.reports.texts import reason_label, text

CONSENT_KIND = "followup"  # as volunteers.followup.services writes it
HELPED = ("skills", "reference", "contact", "certificate")
WORK_OR_STUDIES = tuple(s for s in Situation if s.in_work_or_studies)
NO_REASON = "no_reason"


async def unfilled_demand(
    db: AsyncSession, partnership_id: uuid.UUID, period: Period, lang: str
) -> schemas.UnfilledDemand:
    """Places the published plans left empty for sessions in the period (not cancelled), by their main reason.

    A session replanned and published again counts once, as its latest published plan says.
    Each shortage's empty places go to one reason, the one that turned most volunteers
    away (the first listed on a tie; "no reason given" without one), so the reasons add
    up to the total. There are a handful of runs per period, so their plans are read here.
    """
    runs = (
        await db.execute(
            select(MatchRun.session_ids, MatchRun.plan["shortages"])
            .where(
                MatchRun.partnership_id == partnership_id,
                MatchRun.status == MatchRunStatus.PUBLISHED,
                MatchRun.period_start <= period.end,
                MatchRun.period_end >= period.start,
            )
            .order_by(MatchRun.published_at.desc())
        )
    ).all()
    # Newest first: a run's shortages count for the sessions no later run has planned again.
    # Only the plans' shortages are read (their assignments can be thousands of rows), and
    # the sessions later runs covered are one set, so this is linear in the runs' size.
    latest: dict[str, list[dict[str, Any]]] = {}
    replanned: set[str] = set()
    for session_ids, shortages in runs:
        targets = set(session_ids or []) - replanned
        for s in shortages if isinstance(shortages, list) else []:
            if isinstance(s, dict) and s.get("shift") in targets:
                latest.setdefault(s["shift"], []).append(s)
        replanned |= targets
    wanted = [uuid.UUID(sid) for sid in latest]
    in_period: set[str] = set()
    for i in range(0, len(wanted), 500):
        rows = await db.execute(
            select(Session.id).where(
                Session.id.in_(wanted[i : i + 500]),
                Session.status == SessionStatus.SCHEDULED,
                Session.starts_at >= period.lo,
                Session.starts_at < period.hi,
            )
        )
        in_period.update(str(sid) for sid in rows.scalars())
    missing = 0
    reasons: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for sid in in_period:
        for short in latest[sid]:
            n = int(short.get("missing", 0))
            missing += n
            listed = short.get("reasons") or []
            main = max(listed, key=lambda r: int(r.get("count") or 0), default=None)
            agg = reasons[main["code"] if main else NO_REASON]
            agg[0] += n
            agg[1] += 1
            agg[2] += int(main.get("count") or 0) if main else 0
    by_reason = [
        schemas.ShortageReason(code, m, n, t, reason_label(lang, code))
        for code, (m, n, t) in sorted(reasons.items(), key=lambda kv: (-kv[1][0], kv[0]))
    ]
    return schemas.UnfilledDemand(len(runs), missing, by_reason)


def _population(partnership_id: uuid.UUID) -> ColumnElement[bool]:
    """Volunteers the outcome figures may count: not erased, and not having withdrawn their follow-up consent."""
    given = aliased(Consent)
    said_no = and_(
        exists().where(Consent.user_id == User.id, Consent.kind == CONSENT_KIND, Consent.withdrawn_at.is_not(None)),
        ~exists().where(given.user_id == User.id, given.kind == CONSENT_KIND, given.withdrawn_at.is_(None)),
    )
    return and_(
        VolunteerProfile.partnership_id == partnership_id,
        VolunteerProfile.user_id == User.id,
        User.anonymised_at.is_(None),
        ~said_no,
    )


def _status_on(day: dt.date) -> ScalarSelect[Any]:
    """The volunteer's job-seeking status on `day` (NULL before their first row), as a correlated scalar."""
    return (
        select(JobSeekingStatus.seeking)
        .where(JobSeekingStatus.volunteer_id == VolunteerProfile.id, JobSeekingStatus.since <= day)
        .order_by(JobSeekingStatus.since.desc())
        .limit(1)
        .scalar_subquery()
    )


async def job_seeker_outcomes(db: AsyncSession, partnership_id: uuid.UUID, period: Period) -> schemas.JobSeekerOutcomes:
    """Job seekers in the period, and how many of them answered in the period that they work or study.

    Looking for work: in the population, and by the dated history looking for work on at
    least one day of the period (on its first day, or from a later row saying so). In
    work or studies: of those, whoever answered a follow-up within the period "employed",
    "employment with support" or "studies", on a day after one on which they were looking.
    """
    seeking_row = aliased(JobSeekingStatus)
    seeking_in_period = or_(
        _status_on(period.start).is_(True),
        exists().where(
            seeking_row.volunteer_id == VolunteerProfile.id,
            seeking_row.seeking.is_(True),
            seeking_row.since > period.start,
            seeking_row.since <= period.end,
        ),
    )
    answer = aliased(FollowUp)
    before = aliased(JobSeekingStatus)
    found_work = exists().where(
        answer.volunteer_id == VolunteerProfile.id,
        answer.situation.in_(WORK_OR_STUDIES),
        answer.answered_on >= period.start,
        answer.answered_on <= period.end,
        or_(
            and_(_status_on(period.start).is_(True), answer.answered_on > period.start),
            exists().where(
                before.volunteer_id == VolunteerProfile.id,
                before.seeking.is_(True),
                before.since > period.start,
                before.since < answer.answered_on,
            ),
        ),
    )
    looking, working = (
        await db.execute(
            select(func.count(), func.coalesce(func.sum(case((found_work, 1), else_=0)), 0))
            .select_from(VolunteerProfile)
            .join(User, User.id == VolunteerProfile.user_id)
            .where(_population(partnership_id), seeking_in_period)
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
    """Answers given in the period by the population: each respondent's latest situation, what helped, response rate.

    The response rate's denominator: the population's volunteers registered before the
    period's end who worked at least one verified session by then (those the follow-up asks).
    """
    mine = and_(
        FollowUp.volunteer_id == VolunteerProfile.id,
        FollowUp.answered_on >= period.start,
        FollowUp.answered_on <= period.end,
        _population(partnership_id),
    )
    helped_text = cast(FollowUp.helped, String)
    people = [func.count(FollowUp.volunteer_id.distinct())] + [
        func.count(case((helped_text.like(f'%"{h}"%'), FollowUp.volunteer_id)).distinct()) for h in HELPED
    ]
    people.append(func.count(case((FollowUp.certificate_used.is_(True), FollowUp.volunteer_id)).distinct()))
    totals = (
        await db.execute(
            select(*people)
            .select_from(FollowUp)
            .join(VolunteerProfile, VolunteerProfile.id == FollowUp.volunteer_id)
            .join(User, User.id == VolunteerProfile.user_id)
            .where(mine)
        )
    ).one()
    last = (
        select(FollowUp.volunteer_id.label("vid"), func.max(FollowUp.answered_on).label("on"))
        .join(VolunteerProfile, VolunteerProfile.id == FollowUp.volunteer_id)
        .join(User, User.id == VolunteerProfile.user_id)
        .where(mine)
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
    worked = exists().where(
        Assignment.volunteer_id == VolunteerProfile.id,
        Assignment.status == AssignmentStatus.COMPLETED,
        Assignment.starts_at < period.hi,
    )
    asked = (
        await db.execute(
            select(func.count())
            .select_from(VolunteerProfile)
            .join(User, User.id == VolunteerProfile.user_id)
            .where(_population(partnership_id), VolunteerProfile.created_at < period.hi, worked)
        )
    ).scalar_one()
    by_situation = {str(s.value if isinstance(s, Situation) else s): int(n) for s, n in rows}
    respondents = count(int(totals[0]))
    situations, lost = protect(
        [cell(s.value, text(lang, s.value), by_situation.get(s.value, 0)) for s in Situation],
        respondents.value,
        additive=True,
    )
    if lost:
        respondents = schemas.Count(None, True)
    helped = [cell(h, text(lang, h), int(n)) for h, n in zip(HELPED, totals[1:-1], strict=True)]
    # Several things may have helped one person: the cells add up to no total, each is hidden alone.
    helped = [protect([c], None, additive=False)[0][0] if hides(c.people or 0) else c for c in helped]
    asked_c = count(int(asked))
    rate = None
    if respondents.value is not None and asked_c.value:
        rate = round(respondents.value / asked_c.value, 3)
    return schemas.FollowUpFigures(respondents, situations, helped, asked_c, rate, count(int(totals[-1])))


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


async def learning_figures(db: AsyncSession, partnership_id: uuid.UUID, period: Period) -> schemas.LearningFigures:
    """Volunteers (not erased) who reached a learning goal, and who completed a training, in the period.

    A goal is reached when a leader endorses that skill; the endorsement's date places it in the period.
    """
    goals = cast(VolunteerProfile.learning_goals, String)
    reached = exists().where(
        Endorsement.volunteer_id == VolunteerProfile.id,
        Endorsement.created_at >= period.lo,
        Endorsement.created_at < period.hi,
        goals.like(literal('%"') + Endorsement.skill_code + literal('"%')),
    )
    trained = exists().where(
        Training.volunteer_id == VolunteerProfile.id,
        Training.completed_on >= period.start,
        Training.completed_on <= period.end,
    )
    mine = and_(VolunteerProfile.partnership_id == partnership_id, User.anonymised_at.is_(None))
    goal_n, training_n = (
        await db.execute(
            select(
                func.coalesce(func.sum(case((reached, 1), else_=0)), 0),
                func.coalesce(func.sum(case((trained, 1), else_=0)), 0),
            )
            .select_from(VolunteerProfile)
            .join(User, User.id == VolunteerProfile.user_id)
            .where(mine)
        )
    ).one()
    return schemas.LearningFigures(count(int(goal_n)), count(int(training_n)))
