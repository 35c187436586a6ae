"""The experience record of a volunteer: verified hours grouped in SQL, skills, trainings, goals."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, case, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from certificates.model import hours_from_minutes
from volunteers.accounts.actor import Actor
from volunteers.db.models import (
    Activity,
    Assignment,
    AssignmentStatus,
    Attendance,
    Endorsement,
    Partner,
    Partnership,
    Session,
    Skill,
    StaffingNeed,
    Training,
    VolunteerProfile,
    VolunteerSkill,
)
from volunteers.errors import NotFound
from volunteers.experience import own_hours, schemas
from volunteers.experience.goals import goal_statuses


def verified(profile_id: uuid.UUID) -> ColumnElement[bool]:
    """Verified work: completed assignments whose attendance a leader confirmed."""
    return and_(
        Assignment.volunteer_id == profile_id,
        Assignment.status == AssignmentStatus.COMPLETED,
        Attendance.attended.is_(True),
    )


def month_bounds(first: dt.datetime, last: dt.datetime, tz: str) -> list[tuple[str, dt.datetime]]:
    """(label, UTC start of the next local month) for every local month from `first` to `last`."""
    zone = ZoneInfo(tz)
    day = first.astimezone(zone).date().replace(day=1)
    end = last.astimezone(zone).date()
    out: list[tuple[str, dt.datetime]] = []
    while day <= end:
        nxt = (day + dt.timedelta(days=32)).replace(day=1)
        out.append((day.strftime("%Y-%m"), dt.datetime.combine(nxt, dt.time(0), tzinfo=zone).astimezone(dt.UTC)))
        day = nxt
    return out


def _local_month(bounds: list[tuple[str, dt.datetime]]) -> ColumnElement[str]:
    # A CASE over UTC month boundaries: the local month on both databases, daylight saving included.
    if len(bounds) == 1:
        return literal(bounds[0][0])
    return case(*((Session.starts_at < end, label) for label, end in bounds[:-1]), else_=literal(bounds[-1][0]))


def hours(key: str, label: str, minutes: int, sessions: int) -> schemas.Hours:
    return schemas.Hours(key, label, minutes, float(hours_from_minutes(minutes)), sessions)


async def _skill_refs(db: AsyncSession, codes: Iterable[str]) -> dict[str, schemas.SkillRef]:
    wanted = set(codes)
    if not wanted:
        return {}
    rows = (await db.execute(select(Skill).where(Skill.code.in_(wanted)))).scalars()
    return {s.code: schemas.SkillRef(s.code, s.label_en, s.label_sv, s.esco_uri) for s in rows}


async def developing_sessions(db: AsyncSession, profile_id: uuid.UUID) -> dict[str, int]:
    """Per skill: in how many verified sessions the volunteer's role was one that develops it."""
    worked = (
        await db.execute(
            select(Session.id, Session.activity_id, Assignment.role)
            .join(Assignment, Assignment.session_id == Session.id)
            .join(Attendance, Attendance.assignment_id == Assignment.id)
            .where(verified(profile_id))
        )
    ).all()
    if not worked:
        return {}
    needs = (
        await db.execute(
            select(StaffingNeed).where(
                StaffingNeed.activity_id.in_({w.activity_id for w in worked}),
                StaffingNeed.role.in_({w.role for w in worked}),
            )
        )
    ).scalars()
    general: dict[tuple[uuid.UUID, str], list[str]] = {}
    specific: dict[tuple[uuid.UUID, str], list[str]] = {}
    for n in needs:
        if n.session_id is None:
            general[(n.activity_id, n.role)] = list(n.develops)
        else:
            specific[(n.session_id, n.role)] = list(n.develops)
    counts: dict[str, int] = defaultdict(int)
    for w in worked:
        develops = specific.get((w.id, w.role), general.get((w.activity_id, w.role), []))
        for code in set(develops):
            counts[code] += 1
    return counts


async def experience(
    db: AsyncSession, actor: Actor, profile_id: uuid.UUID, now: dt.datetime | None = None
) -> schemas.Experience:
    """The record as the volunteer themself and their coordinators see it (`now`: the service clock)."""
    profile = await db.get(VolunteerProfile, profile_id)
    if profile is None or not (actor.profile_id == profile.id or actor.is_coordinator(profile.partnership_id)):
        raise NotFound(f"volunteer {profile_id} not found")
    partnership = await db.get(Partnership, profile.partnership_id)
    assert partnership is not None
    base = (
        select(Attendance.minutes, Session.starts_at, Activity.kind, Assignment.role, Partner.id, Partner.name)
        .select_from(Attendance)
        .join(Assignment, Assignment.id == Attendance.assignment_id)
        .join(Session, Session.id == Assignment.session_id)
        .join(Activity, Activity.id == Session.activity_id)
        .join(Partner, Partner.id == Activity.partner_id)
        .where(verified(profile.id))
    )
    total = base.subquery()
    minutes, sessions, first, last = (
        await db.execute(
            select(
                func.coalesce(func.sum(total.c.minutes), 0),
                func.count(),
                func.min(total.c.starts_at),
                func.max(total.c.starts_at),
            )
        )
    ).one()
    minutes, sessions = int(minutes), int(sessions)
    groups: list[tuple[str, str, uuid.UUID, str, str, int, int]] = []
    if sessions:
        first, last = _utc(first), _utc(last)
        month = _local_month(month_bounds(first, last, partnership.timezone)).label("month")
        fine = base.add_columns(month).subquery()
        rows = await db.execute(
            select(
                fine.c.kind, fine.c.role, fine.c.id, fine.c.name, fine.c.month, func.sum(fine.c.minutes), func.count()
            ).group_by(fine.c.kind, fine.c.role, fine.c.id, fine.c.name, fine.c.month)
        )
        groups = [(str(getattr(k, "value", k)), r, pid, pn, m, int(s), int(c)) for k, r, pid, pn, m, s, c in rows]
    # Time the volunteer reported and a leader approved counts as verified too (experience.own_hours).
    own_time = await own_hours.approved_groups(db, profile.id)
    groups += [g[:7] for g in own_time]
    minutes += sum(g[5] for g in own_time)
    if own_time and not sessions:
        zone_of_own = ZoneInfo(partnership.timezone)
        first = min(dt.datetime.combine(g[7], dt.time(12), tzinfo=zone_of_own) for g in own_time)
        last = max(dt.datetime.combine(g[7], dt.time(12), tzinfo=zone_of_own) for g in own_time)
    no_shows = (
        await db.execute(
            select(func.count())
            .select_from(Assignment)
            .where(Assignment.volunteer_id == profile.id, Assignment.status == AssignmentStatus.NO_SHOW)
        )
    ).scalar_one()

    def fold(key_of: int, label_of: int) -> list[schemas.Hours]:
        labels: dict[str, str] = {}
        totals: dict[str, tuple[int, int]] = {}
        for g in groups:
            key = str(g[key_of])
            labels[key] = str(g[label_of])
            m, c = totals.get(key, (0, 0))
            totals[key] = (m + g[5], c + g[6])
        out = [hours(k, labels[k], m, c) for k, (m, c) in totals.items()]
        return sorted(out, key=lambda h: (-h.minutes, h.key))

    by_month = sorted(fold(4, 4), key=lambda h: h.key)
    endorsements = (
        await db.execute(
            select(Endorsement.skill_code, Endorsement.note)
            .where(Endorsement.volunteer_id == profile.id)
            .order_by(Endorsement.created_at)
        )
    ).all()
    counts: dict[str, int] = defaultdict(int)
    notes: dict[str, list[str]] = defaultdict(list)
    for code, note in endorsements:
        counts[code] += 1
        if note:
            notes[code].append(note)
    own = (
        (await db.execute(select(VolunteerSkill.skill_code).where(VolunteerSkill.profile_id == profile.id)))
        .scalars()
        .all()
    )
    goals = list(profile.learning_goals)
    refs = await _skill_refs(db, [*counts, *own, *goals])
    developing = await developing_sessions(db, profile.id)
    trainings = (
        await db.execute(select(Training).where(Training.volunteer_id == profile.id).order_by(Training.completed_on))
    ).scalars()
    zone = ZoneInfo(partnership.timezone)
    status = await goal_statuses(db, profile.id, goals, (now or dt.datetime.now(dt.UTC)).astimezone(zone).date(), zone)
    coordinator = actor.is_coordinator(profile.partnership_id)
    threshold = partnership.certificate_threshold_minutes
    return schemas.Experience(
        volunteer_id=profile.id,
        name=f"{profile.first_name} {profile.last_name}",
        timezone=partnership.timezone,
        verified_minutes=minutes,
        verified_hours=float(hours_from_minutes(minutes)),
        sessions=sessions,
        no_shows=int(no_shows),
        period=schemas.Period(first.astimezone(zone).date(), last.astimezone(zone).date())
        if sessions or own_time
        else None,
        by_kind=fold(0, 0),
        by_role=fold(1, 1),
        by_partner=fold(2, 3),
        by_month=by_month,
        endorsed_skills=sorted(
            (schemas.EndorsedSkill(refs[c], n, notes[c]) for c, n in counts.items() if c in refs),
            key=lambda e: (-e.endorsements, e.skill.code),
        ),
        self_assessed_skills=sorted((refs[c] for c in own if c in refs), key=lambda s: s.code),
        trainings=[
            schemas.TrainingOut(t.id, t.name, t.issuer, t.completed_on, t.name_sv, t.name_en) for t in trainings
        ],
        learning_goals=[
            # Reached only when a leader endorsed the skill: the one definition the volunteer,
            # the coordinator and the impact report share (sessions that develop it are progress).
            schemas.GoalProgress(
                refs[g],
                counts.get(g, 0),
                developing.get(g, 0),
                status[g].reached,
                target_date=status[g].target_date,
                reached_on=status[g].reached_on,
                reached_by=status[g].reached_by,
                overdue=status[g].overdue,
            )
            for g in goals
            if g in refs
        ],
        certificate_threshold_minutes=threshold,
        may_issue_certificate=minutes > 0 and (coordinator or minutes >= threshold),
    )


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
