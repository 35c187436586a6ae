"""Volunteer profiles, availability and background-check records: who may see and change what."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import cast

from sqlalchemy import Table, bindparam, delete, func, insert, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import raiseload

from volunteers import limits
from volunteers.accounts.actor import Actor
from volunteers.audit import audit
from volunteers.db.models import (
    Activity,
    Assignment,
    AvailabilityException,
    AvailabilityRule,
    BackgroundCheck,
    ExceptionKind,
    Partnership,
    Session,
    Skill,
    User,
    VolunteerProfile,
    VolunteerSkill,
)
from volunteers.db.models.base import utcnow
from volunteers.db.models.enums import AssignmentStatus
from volunteers.errors import Forbidden, InvalidInput, NotFound
from volunteers.experience import goals as goal_targets
from volunteers.followup.status import record_status
from volunteers.people import schemas
from volunteers.people.availability import DatedException, Interval, WeeklyRule
from volunteers.people.expansion import expand_in_worker

HOLDING = [s for s in AssignmentStatus if s.holds_slot]


async def _profile_and_user(db: AsyncSession, profile_id: uuid.UUID) -> tuple[VolunteerProfile, User] | None:
    row = (
        await db.execute(
            select(VolunteerProfile, User)
            .join(User, User.id == VolunteerProfile.user_id)
            .where(VolunteerProfile.id == profile_id)
            # A profile needs the user's e-mail, not their roles: one query fewer on a hot path.
            .options(raiseload(User.memberships))
        )
    ).first()
    return (row[0], row[1]) if row else None


async def _assigned_to_leader(db: AsyncSession, actor: Actor, profile_id: uuid.UUID) -> bool:
    partners = actor.led_partners
    if not partners:
        return False
    count = (
        await db.execute(
            select(func.count())
            .select_from(Assignment)
            .join(Session, Session.id == Assignment.session_id)
            .join(Activity, Activity.id == Session.activity_id)
            .where(
                Assignment.volunteer_id == profile_id,
                Assignment.status.in_(HOLDING),
                Activity.partner_id.in_(partners),
            )
        )
    ).scalar_one()
    return count > 0


def _full(profile: VolunteerProfile, user: User, targets: dict[str, dt.date] | None = None) -> schemas.Profile:
    return schemas.Profile(
        id=profile.id,
        user_id=profile.user_id,
        partnership_id=profile.partnership_id,
        first_name=profile.first_name,
        last_name=profile.last_name,
        email=user.email,
        phone=profile.phone,
        birth_date=profile.birth_date,
        languages=list(profile.languages),
        skills=sorted(s.skill_code for s in profile.skills),
        learning_goals=list(profile.learning_goals),
        preferred_activity_kinds=list(profile.preferred_activity_kinds),
        seeking_work=profile.seeking_work,
        max_minutes_per_week=profile.max_minutes_per_week,
        guardian_name=profile.guardian_name,
        guardian_consent=profile.guardian_consent_at is not None,
        learning_goal_targets=targets or {},
    )


async def profile_out(db: AsyncSession, profile: VolunteerProfile, user: User) -> schemas.Profile:
    """The full profile, as its owner and coordinators see it."""
    return _full(profile, user, await goal_targets.targets_of(db, profile.id))


_p = VolunteerProfile.__table__.c
_u = User.__table__.c

# A profile to read, in plain Core built once (GET /api/volunteers/me is a hot read):
# the profile's columns and the user's e-mail in one row, the skill codes in a second query.
_PROFILE = (
    select(
        _p.id,
        _p.user_id,
        _p.partnership_id,
        _p.first_name,
        _p.last_name,
        _u.email,
        _p.phone,
        _p.birth_date,
        _p.languages,
        _p.learning_goals,
        _p.preferred_activity_kinds,
        _p.seeking_work,
        _p.max_minutes_per_week,
        _p.guardian_name,
        _p.guardian_consent_at,
    )
    .select_from(VolunteerProfile.__table__)
    .join(User.__table__, _u.id == _p.user_id)
    .where(_p.id == bindparam("profile_id"))
)
_SKILLS = select(VolunteerSkill.__table__.c.skill_code).where(
    VolunteerSkill.__table__.c.profile_id == bindparam("profile_id")
)


async def get_profile(
    db: AsyncSession, actor: Actor, profile_id: uuid.UUID
) -> schemas.Profile | schemas.ProfileForLeader:
    """The profile as this caller may see it; NotFound when they may not see it at all."""
    conn = await db.connection()
    row = (await conn.execute(_PROFILE, {"profile_id": profile_id})).first()
    if row is None:
        raise NotFound(f"volunteer {profile_id} not found")
    (pid, user_id, partnership_id, first, last, email, phone, birth, langs, goals, kinds, seeking, max_minutes,
     guardian, consent_at) = row  # fmt: skip
    full = actor.profile_id == pid or actor.is_coordinator(partnership_id)
    if not full and not await _assigned_to_leader(db, actor, pid):
        raise NotFound(f"volunteer {profile_id} not found")
    skills = sorted((await conn.execute(_SKILLS, {"profile_id": pid})).scalars())
    if full:
        return schemas.Profile(
            id=pid,
            user_id=user_id,
            partnership_id=partnership_id,
            first_name=first,
            last_name=last,
            email=email,
            phone=phone,
            birth_date=birth,
            languages=list(langs),
            skills=skills,
            learning_goals=list(goals),
            preferred_activity_kinds=list(kinds),
            seeking_work=seeking,
            max_minutes_per_week=max_minutes,
            guardian_name=guardian,
            guardian_consent=consent_at is not None,
            learning_goal_targets=await goal_targets.targets_of(db, pid),
        )
    return schemas.ProfileForLeader(
        id=pid, first_name=first, last_name=last, phone=phone, languages=list(langs), skills=skills
    )


async def own_profile(db: AsyncSession, actor: Actor, profile_id: uuid.UUID) -> tuple[VolunteerProfile, User]:
    """The profile if it is the caller's own; a volunteer changes only their own data."""
    found = await _profile_and_user(db, profile_id)
    if found is None:
        raise NotFound(f"volunteer {profile_id} not found")
    profile, user = found
    if actor.profile_id == profile.id:
        return profile, user
    if actor.is_coordinator(profile.partnership_id):
        raise Forbidden("only the volunteer can change their own profile")
    raise NotFound(f"volunteer {profile_id} not found")


async def _check_skill_codes(db: AsyncSession, codes: Sequence[str], field: str) -> None:
    if not codes:
        return
    known = set((await db.execute(select(Skill.code).where(Skill.code.in_(set(codes))))).scalars())
    for i, code in enumerate(codes):
        if code not in known:
            raise InvalidInput(f"{field}[{i}]", f"unknown skill '{code}'")


async def update_profile(
    db: AsyncSession, actor: Actor, profile_id: uuid.UUID, data: schemas.ProfileUpdate, now: dt.datetime | None = None
) -> schemas.Profile:
    """Change the caller's own profile; every field is checked before anything is written.

    A birth date is a coordinator's correction, sent on its own (`records.correct_birth_date`).
    """
    if data.birth_date is not None:
        from volunteers.people import records

        profile, user = await records.correct_birth_date(db, actor, profile_id, data, now or dt.datetime.now(dt.UTC))
        return await profile_out(db, profile, user)
    profile, user = await own_profile(db, actor, profile_id)
    if data.skills is not None:
        await _check_skill_codes(db, data.skills, "skills")
    if data.learning_goals is not None:
        await _check_skill_codes(db, data.learning_goals, "learning_goals")
    wanted_goals = sorted(set(data.learning_goals)) if data.learning_goals is not None else list(profile.learning_goals)
    targets = {t.skill_code: t.target_date for t in data.learning_goal_targets or []}
    goal_targets.check_targets(targets, wanted_goals)
    if data.seeking_work is not None and data.seeking_work != profile.seeking_work:
        await record_status(db, profile.id, utcnow().date(), data.seeking_work, "profile")
    for name in ("first_name", "last_name", "phone", "seeking_work"):
        value = getattr(data, name)
        if value is not None:
            setattr(profile, name, value.strip() if isinstance(value, str) else value)
    if data.languages is not None:
        profile.languages = sorted(set(data.languages))
    if data.learning_goals is not None:
        profile.learning_goals = sorted(set(data.learning_goals))
    if data.preferred_activity_kinds is not None:
        profile.preferred_activity_kinds = sorted(set(data.preferred_activity_kinds))
    if data.max_minutes_per_week is not None:
        profile.max_minutes_per_week = data.max_minutes_per_week
    if data.clear_max_minutes_per_week:
        profile.max_minutes_per_week = None
    if data.locale is not None:
        user.locale = data.locale
    if data.first_name is not None or data.last_name is not None:
        user.display_name = f"{profile.first_name} {profile.last_name}"
    if data.skills is not None:
        wanted = set(data.skills)
        profile.skills = [s for s in profile.skills if s.skill_code in wanted]
        have = {s.skill_code for s in profile.skills}
        for code in sorted(wanted - have):
            profile.skills.append(VolunteerSkill(profile_id=profile.id, skill_code=code))
    await db.flush()
    if data.learning_goal_targets is not None or data.learning_goals is not None:
        await goal_targets.save_targets(db, profile.id, targets, wanted_goals)
    await _rules_recheck(db, actor, profile.id, now, data.confirm)
    return _full(profile, user, await goal_targets.targets_of(db, profile.id))


async def _rules_recheck(
    db: AsyncSession, actor: Actor, profile_id: uuid.UUID, now: dt.datetime | None, confirm: bool
) -> None:
    """Held places that a narrower profile no longer fits: refused, or released once confirmed."""
    from volunteers.staffing import guard  # staffing builds on people: imported when used

    await guard.volunteer_changed(db, profile_id, now or dt.datetime.now(dt.UTC), actor.user_id, confirm=confirm)


async def list_volunteers(
    db: AsyncSession,
    actor: Actor,
    partnership_id: uuid.UUID | None,
    q: str | None,
    skill: str | None,
    language: str | None,
    limit: int,
    offset: int,
) -> tuple[list[schemas.Profile], int]:
    """Coordinators search the volunteers of the partnerships they coordinate."""
    allowed = actor.coordinated_partnerships
    if not allowed:
        raise Forbidden("only coordinators list volunteers")
    if partnership_id is not None:
        if partnership_id not in allowed:
            raise NotFound(f"partnership {partnership_id} not found")
        allowed = {partnership_id}
    stmt = (
        select(VolunteerProfile, User)
        .join(User, User.id == VolunteerProfile.user_id)
        .where(VolunteerProfile.partnership_id.in_(allowed), User.anonymised_at.is_(None))
    )
    if q:
        like = f"%{q.strip().lower()}%"
        stmt = stmt.where(
            or_(
                func.lower(VolunteerProfile.first_name + " " + VolunteerProfile.last_name).like(like),
                func.lower(User.email).like(like),
            )
        )
    if skill:
        stmt = stmt.where(
            VolunteerProfile.id.in_(select(VolunteerSkill.profile_id).where(VolunteerSkill.skill_code == skill))
        )
    rows = (await db.execute(stmt.order_by(VolunteerProfile.last_name, VolunteerProfile.first_name))).all()
    items = [_full(p, u) for p, u in rows]
    if language:
        items = [p for p in items if language in p.languages]
    return items[offset : offset + limit], len(items)


def _rule_out(r: AvailabilityRule) -> schemas.WeeklyRuleIn:
    return schemas.WeeklyRuleIn(r.weekday, r.start_time, r.end_time, r.valid_from, r.valid_until)


def _exc_out(e: AvailabilityException) -> schemas.ExceptionIn:
    return schemas.ExceptionIn(e.kind.value, e.date_from, e.date_to, e.start_time, e.end_time, e.note)


async def _visible_for_availability(db: AsyncSession, actor: Actor, profile_id: uuid.UUID) -> VolunteerProfile:
    found = await _profile_and_user(db, profile_id)
    if found is None or not (actor.profile_id == profile_id or actor.is_coordinator(found[0].partnership_id)):
        raise NotFound(f"volunteer {profile_id} not found")
    return found[0]


async def get_availability(db: AsyncSession, actor: Actor, profile_id: uuid.UUID) -> schemas.Availability:
    await _visible_for_availability(db, actor, profile_id)
    rules = (await db.execute(select(AvailabilityRule).where(AvailabilityRule.profile_id == profile_id))).scalars()
    excs = (
        await db.execute(select(AvailabilityException).where(AvailabilityException.profile_id == profile_id))
    ).scalars()
    return schemas.Availability(
        rules=sorted((_rule_out(r) for r in rules), key=lambda r: (r.weekday, r.start_time)),
        exceptions=sorted((_exc_out(e) for e in excs), key=lambda e: (e.date_from, e.start_time or dt.time(0))),
    )


def _check_span(field: str, start: dt.time | None, end: dt.time | None) -> None:
    if (start is None) != (end is None):
        raise InvalidInput(field, "give both start_time and end_time, or neither")
    if start is not None and end is not None and end != dt.time(0) and end <= start:
        raise InvalidInput(f"{field}.end_time", "must be after start_time")


async def replace_availability(
    db: AsyncSession,
    actor: Actor,
    profile_id: uuid.UUID,
    data: schemas.AvailabilityIn,
    now: dt.datetime | None = None,
) -> schemas.Availability:
    """Replace the volunteer's weekly rules and exceptions with the given ones (all or nothing).

    The input is checked before the first statement, so bad input never takes SQLite's
    write lock; the caller's own profile needs no look-up (their session says whose it is).
    """
    for i, r in enumerate(data.rules):
        _check_span(f"rules[{i}]", r.start_time, r.end_time)
        if r.valid_from and r.valid_until and r.valid_until < r.valid_from:
            raise InvalidInput(f"rules[{i}].valid_until", "must not be before valid_from")
    for i, e in enumerate(data.exceptions):
        if e.date_to < e.date_from:
            raise InvalidInput(f"exceptions[{i}].date_to", "must not be before date_from")
        if (e.date_to - e.date_from).days > 366:
            raise InvalidInput(f"exceptions[{i}].date_to", "an exception spans at most a year")
        _check_span(f"exceptions[{i}]", e.start_time, e.end_time)
    if actor.profile_id != profile_id:
        await own_profile(db, actor, profile_id)  # refuses: Forbidden for coordinators, NotFound otherwise
    # Plain Core statements, no ORM objects: the write transaction (which holds SQLite's
    # one write lock) is as short as four statements can be.
    # Both classes map a Table (their __table__ is typed as any FromClause).
    rules, excs = cast(Table, AvailabilityRule.__table__), cast(Table, AvailabilityException.__table__)
    conn = await db.connection()
    await conn.execute(delete(rules).where(rules.c.profile_id == profile_id))
    await conn.execute(delete(excs).where(excs.c.profile_id == profile_id))
    if data.rules:
        await conn.execute(
            insert(rules),
            [
                {
                    "profile_id": profile_id,
                    "weekday": r.weekday,
                    "start_time": r.start_time,
                    "end_time": r.end_time,
                    "valid_from": r.valid_from,
                    "valid_until": r.valid_until,
                }
                for r in data.rules
            ],
        )
    if data.exceptions:
        await conn.execute(
            insert(excs),
            [
                {
                    "profile_id": profile_id,
                    "kind": ExceptionKind(e.kind),
                    "date_from": e.date_from,
                    "date_to": e.date_to,
                    "start_time": e.start_time,
                    "end_time": e.end_time,
                    "note": e.note,
                }
                for e in data.exceptions
            ],
        )
    await _rules_recheck(db, actor, profile_id, now, data.confirm)
    # What is stored now is exactly what was given.
    return schemas.Availability(
        rules=sorted(data.rules, key=lambda r: (r.weekday, r.start_time)),
        exceptions=sorted(data.exceptions, key=lambda e: (e.date_from, e.start_time or dt.time(0))),
    )


async def availability_intervals(
    db: AsyncSession, profile_ids: Sequence[uuid.UUID], start: dt.date, end: dt.date, tz: str
) -> dict[uuid.UUID, list[Interval]]:
    """Expanded availability for many volunteers at once, in the zone `tz` (two queries, not two per volunteer)."""
    rules: dict[uuid.UUID, list[WeeklyRule]] = {p: [] for p in profile_ids}
    excs: dict[uuid.UUID, list[DatedException]] = {p: [] for p in profile_ids}
    # Plain rows, not ORM objects: on SQLite these reads run on the event loop in one go,
    # and building 500 objects for the largest availability held it for tens of ms.
    r_, e_ = AvailabilityRule, AvailabilityException
    for pid, weekday, s, e, vf, vu in await db.execute(
        select(r_.profile_id, r_.weekday, r_.start_time, r_.end_time, r_.valid_from, r_.valid_until).where(
            r_.profile_id.in_(profile_ids)
        )
    ):
        rules[pid].append(WeeklyRule(weekday, s, e, vf, vu))
    for pid, kind, df, dto, s, e in await db.execute(
        select(e_.profile_id, e_.kind, e_.date_from, e_.date_to, e_.start_time, e_.end_time).where(
            e_.profile_id.in_(profile_ids), e_.date_to >= start, e_.date_from <= end
        )
    ):
        excs[pid].append(DatedException(kind == ExceptionKind.AVAILABLE, df, dto, s, e))
    # Up to a second of CPU for the largest availability the limits allow: in a process
    # of its own (see volunteers.people.expansion), so /health and others' requests go on.
    return await expand_in_worker(rules, excs, start, end, tz)


async def expanded_availability(
    db: AsyncSession, actor: Actor, profile_id: uuid.UUID, start: dt.date, end: dt.date
) -> schemas.ExpandedAvailability:
    profile = await _visible_for_availability(db, actor, profile_id)
    if end < start:
        raise InvalidInput("end", "must not be before start")
    if (end - start).days > limits.MAX_EXPANDED_DAYS:
        raise InvalidInput("end", "at most a year at a time")
    limits.check_day("start", start)
    limits.check_day("end", end)
    tz = (await db.execute(select(Partnership.timezone).where(Partnership.id == profile.partnership_id))).scalar_one()
    intervals = (await availability_intervals(db, [profile_id], start, end, tz))[profile_id]
    return schemas.ExpandedAvailability(
        timezone=tz, start=start, end=end, intervals=[schemas.IntervalOut(s, e) for s, e in intervals]
    )


async def record_background_check(
    db: AsyncSession,
    actor: Actor,
    profile_id: uuid.UUID,
    data: schemas.BackgroundCheckIn,
    today: dt.date,
) -> schemas.BackgroundCheckOut:
    """A coordinator records that they saw the extract: the date only, never a copy."""
    found = await _profile_and_user(db, profile_id)
    if found is None or not actor.is_coordinator(found[0].partnership_id):
        raise NotFound(f"volunteer {profile_id} not found")
    profile = found[0]
    if data.seen_on > today:
        raise InvalidInput("seen_on", "is in the future")
    partnership = await db.get(Partnership, profile.partnership_id)
    assert partnership is not None
    check = BackgroundCheck(
        profile_id=profile_id,
        partnership_id=profile.partnership_id,
        seen_on=data.seen_on,
        seen_by_id=actor.user_id,
    )
    db.add(check)
    await db.flush()
    audit(
        db,
        actor,
        "background_check.recorded",
        "volunteer",
        profile_id,
        profile.partnership_id,
        seen_on=str(data.seen_on),
    )
    return schemas.BackgroundCheckOut(
        id=check.id,
        seen_on=check.seen_on,
        seen_by=actor.display_name,
        valid_until=check.seen_on + dt.timedelta(days=partnership.background_check_valid_days),
        recorded_at=check.created_at,
    )


async def list_background_checks(
    db: AsyncSession, actor: Actor, profile_id: uuid.UUID
) -> list[schemas.BackgroundCheckOut]:
    """Coordinators read the records; every read is audited."""
    found = await _profile_and_user(db, profile_id)
    if found is None or not actor.is_coordinator(found[0].partnership_id):
        raise NotFound(f"volunteer {profile_id} not found")
    profile = found[0]
    partnership = await db.get(Partnership, profile.partnership_id)
    assert partnership is not None
    rows = (
        await db.execute(
            select(BackgroundCheck, User.display_name)
            .outerjoin(User, User.id == BackgroundCheck.seen_by_id)
            .where(BackgroundCheck.profile_id == profile_id)
            .order_by(BackgroundCheck.seen_on.desc())
        )
    ).all()
    audit(db, actor, "background_check.viewed", "volunteer", profile_id, profile.partnership_id)
    return [
        schemas.BackgroundCheckOut(
            id=c.id,
            seen_on=c.seen_on,
            seen_by=name or "",
            valid_until=c.seen_on + dt.timedelta(days=partnership.background_check_valid_days),
            recorded_at=c.created_at,
        )
        for c, name in rows
    ]


async def list_skills(db: AsyncSession, q: str | None) -> list[schemas.Skill]:
    """The catalogue, optionally filtered by a word in either language."""
    stmt = select(Skill).order_by(Skill.code)
    if q:
        like = f"%{q.strip().lower()}%"
        stmt = stmt.where(
            or_(
                func.lower(Skill.label_en).like(like),
                func.lower(Skill.label_sv).like(like),
                Skill.code.like(like),
            )
        )
    return [
        schemas.Skill(s.code, s.label_en, s.label_sv, s.esco_uri, s.key_competence, s.source.value)
        for s in (await db.execute(stmt)).scalars()
    ]
