"""Recording experience: attendance and minutes per session, endorsements, trainings.

Only a session's own leaders (or a coordinator) confirm its attendance; only attended
minutes of completed assignments are verified hours. Endorsements are leader-assessed
skills and stay apart from the volunteer's self-declared ones (`VolunteerSkill`).
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from volunteers.accounts.actor import Actor
from volunteers.audit import audit
from volunteers.db.models import (
    PARTICIPANT_AGE_GROUPS,
    Activity,
    Assignment,
    AssignmentStatus,
    Attendance,
    Endorsement,
    Partnership,
    Session,
    SessionParticipants,
    SessionStatus,
    Skill,
    Training,
    User,
    VolunteerProfile,
)
from volunteers.errors import Conflict, Forbidden, InvalidInput, NotFound, RuleBroken
from volunteers.experience import schemas
from volunteers.staffing.runs import record_event

# Assignments a leader confirms: everyone who was expected on the session.
EXPECTED = (
    AssignmentStatus.ACCEPTED,
    AssignmentStatus.CONFIRMED,
    AssignmentStatus.COMPLETED,
    AssignmentStatus.NO_SHOW,
)
# Leaders may record a little more than the session's length (setting up, tidying away).
EXTRA_MINUTES = 60


async def _managed_session(
    db: AsyncSession, actor: Actor, session_id: uuid.UUID
) -> tuple[Session, Activity, Partnership]:
    row = (
        await db.execute(
            select(Session, Activity, Partnership)
            .join(Activity, Activity.id == Session.activity_id)
            .join(Partnership, Partnership.id == Activity.partnership_id)
            .where(Session.id == session_id)
        )
    ).first()
    if row is None or not actor.can_manage_partner(row[2].id, row[1].partner_id):
        raise NotFound(f"session {session_id} not found")
    return row[0], row[1], row[2]


def _attendance_out(a: Assignment, v: VolunteerProfile, att: Attendance | None) -> schemas.AttendanceOut:
    return schemas.AttendanceOut(
        assignment_id=a.id,
        volunteer_id=v.id,
        name=f"{v.first_name} {v.last_name}",
        role=a.role,
        attended=bool(att and att.attended),
        minutes=att.minutes if att else 0,
        status=a.status.value,
    )


async def _expected(
    db: AsyncSession, session_id: uuid.UUID, lock: bool = False
) -> list[tuple[Assignment, VolunteerProfile, Attendance | None]]:
    stmt = (
        select(Assignment, VolunteerProfile, Attendance)
        .join(VolunteerProfile, VolunteerProfile.id == Assignment.volunteer_id)
        .outerjoin(Attendance, Attendance.assignment_id == Assignment.id)
        .where(Assignment.session_id == session_id, Assignment.status.in_(EXPECTED))
        .order_by(Assignment.role, VolunteerProfile.last_name, VolunteerProfile.first_name)
    )
    if lock:
        stmt = stmt.with_for_update(of=Assignment)
    return [(a, v, att) for a, v, att in (await db.execute(stmt)).all()]


async def session_attendance(db: AsyncSession, actor: Actor, session_id: uuid.UUID) -> list[schemas.AttendanceOut]:
    """Who was expected on the session and what has been confirmed so far."""
    await _managed_session(db, actor, session_id)
    return [_attendance_out(a, v, att) for a, v, att in await _expected(db, session_id)]


async def confirm_attendance(
    db: AsyncSession, actor: Actor, session_id: uuid.UUID, data: schemas.AttendanceIn, now: dt.datetime
) -> schemas.SessionAttendance:
    """Confirm (or correct) the whole session at once: worked -> completed with minutes, else no-show.

    Every entry is checked before anything is written.
    """
    s, _act, p = await _managed_session(db, actor, session_id)
    if s.status == SessionStatus.CANCELLED:
        raise Conflict("the session was cancelled; there is no attendance to confirm", field="session_id")
    if now < s.starts_at:
        raise RuleBroken("session_not_started", "attendance can be confirmed once the session has started")
    longest = int((s.ends_at - s.starts_at).total_seconds() // 60) + EXTRA_MINUTES
    session_minutes = int((s.ends_at - s.starts_at).total_seconds() // 60)
    expected = {a.id: (a, v, att) for a, v, att in await _expected(db, s.id, lock=True)}
    seen: set[uuid.UUID] = set()
    minutes: dict[uuid.UUID, int] = {}
    for i, e in enumerate(data.entries):
        if e.assignment_id in seen:
            raise InvalidInput(f"entries[{i}].assignment_id", "the same assignment is listed twice")
        seen.add(e.assignment_id)
        if e.assignment_id not in expected:
            raise InvalidInput(f"entries[{i}].assignment_id", f"{e.assignment_id} is not expected on the session")
        if e.attended:
            m = session_minutes if e.minutes is None else e.minutes
            if m <= 0:
                raise InvalidInput(f"entries[{i}].minutes", "an attended assignment needs minutes > 0")
            if m > longest:
                raise InvalidInput(
                    f"entries[{i}].minutes", f"at most {longest} (the session's length plus {EXTRA_MINUTES})"
                )
        else:
            if e.minutes:
                raise InvalidInput(f"entries[{i}].minutes", "must be 0 when not attended")
            m = 0
        minutes[e.assignment_id] = m
    if data.participants is not None:
        for group in data.participants:
            if group not in PARTICIPANT_AGE_GROUPS:
                raise InvalidInput(f"participants.{group}", f"one of {', '.join(PARTICIPANT_AGE_GROUPS)}")
    missing = [str(k) for k in expected if k not in seen]
    if missing:
        raise InvalidInput(
            "entries",
            f"confirm the whole session at once: {len(missing)} expected assignment(s) missing",
            extra={"missing": missing},
        )
    corrected = 0
    for e in data.entries:
        a, _v, att = expected[e.assignment_id]
        to = AssignmentStatus.COMPLETED if e.attended else AssignmentStatus.NO_SHOW
        m = minutes[a.id]
        if att is None:
            db.add(
                Attendance(
                    assignment_id=a.id, attended=e.attended, minutes=m, confirmed_by_id=actor.user_id, confirmed_at=now
                )
            )
        elif att.attended != e.attended or att.minutes != m:
            corrected += 1
            reason = f"attendance corrected: {att.minutes} -> {m} minutes"
            if a.status == to:
                record_event(db, a, to, actor.user_id, reason)
            att.attended, att.minutes, att.confirmed_by_id, att.confirmed_at = e.attended, m, actor.user_id, now
        if a.status != to:
            record_event(db, a, to, actor.user_id, "attendance confirmed" if att is None else "attendance corrected")
    if data.participants is not None:
        await db.execute(delete(SessionParticipants).where(SessionParticipants.session_id == s.id))
        for group, n in data.participants.items():
            if n:
                db.add(SessionParticipants(session_id=s.id, age_group=group, count=n))
    await db.flush()
    audit(db, actor, "attendance.confirmed", "session", s.id, p.id, entries=len(data.entries), corrected=corrected)
    rows = await _expected(db, s.id)
    return schemas.SessionAttendance(s.id, now, [_attendance_out(a, v, att) for a, v, att in rows])


async def session_participants(db: AsyncSession, session_id: uuid.UUID) -> dict[str, int]:
    """The children and young people counted at a session, by age group (for callers already allowed to see it)."""
    rows = await db.execute(
        select(SessionParticipants.age_group, SessionParticipants.count).where(
            SessionParticipants.session_id == session_id
        )
    )
    return {str(g): int(n) for g, n in rows.all()}


async def _profile(db: AsyncSession, volunteer_id: uuid.UUID) -> VolunteerProfile:
    profile = await db.get(VolunteerProfile, volunteer_id)
    if profile is None:
        raise NotFound(f"volunteer {volunteer_id} not found")
    return profile


async def _known_skill(db: AsyncSession, code: str, field: str) -> Skill:
    skill = await db.get(Skill, code)
    if skill is None:
        raise InvalidInput(field, f"unknown skill '{code}'")
    return skill


async def endorse(
    db: AsyncSession, actor: Actor, volunteer_id: uuid.UUID, data: schemas.EndorsementIn
) -> schemas.EndorsementOut:
    """A leader who had the volunteer on one of their partner's sessions (or a coordinator) endorses a skill."""
    profile = await _profile(db, volunteer_id)
    coordinator = actor.is_coordinator(profile.partnership_id)
    if not coordinator and not actor.led_partners:
        raise NotFound(f"volunteer {volunteer_id} not found")
    worked = (
        select(Session.id, Activity.id)
        .join(Assignment, Assignment.session_id == Session.id)
        .join(Activity, Activity.id == Session.activity_id)
        .where(
            Assignment.volunteer_id == profile.id,
            Assignment.status == AssignmentStatus.COMPLETED,
            Activity.partnership_id == profile.partnership_id,
        )
    )
    if not coordinator:
        worked = worked.where(Activity.partner_id.in_(actor.led_partners))
    sessions = {sid: aid for sid, aid in (await db.execute(worked)).all()}
    if not coordinator and not sessions:
        planned = (
            await db.execute(
                select(func.count())
                .select_from(Assignment)
                .join(Session, Session.id == Assignment.session_id)
                .join(Activity, Activity.id == Session.activity_id)
                .where(Assignment.volunteer_id == profile.id, Activity.partner_id.in_(actor.led_partners))
            )
        ).scalar_one()
        if planned:
            raise Forbidden("endorse a volunteer once they have worked one of your sessions")
        raise NotFound(f"volunteer {volunteer_id} not found")
    await _known_skill(db, data.skill_code, "skill_code")
    note = data.note.strip()
    if "\n" in note or "\r" in note:
        raise InvalidInput("note", "one line only")
    activity_id = None
    if data.session_id is not None:
        if data.session_id not in sessions:
            raise InvalidInput("session_id", "the volunteer did not work this session (for you)")
        activity_id = sessions[data.session_id]
    same = (
        select(func.count())
        .select_from(Endorsement)
        .where(
            Endorsement.volunteer_id == profile.id,
            Endorsement.skill_code == data.skill_code,
            Endorsement.by_user_id == actor.user_id,
            Endorsement.session_id.is_(None) if data.session_id is None else Endorsement.session_id == data.session_id,
        )
    )
    if (await db.execute(same)).scalar_one():
        raise Conflict("you have already endorsed this skill for this session", field="skill_code")
    row = Endorsement(
        volunteer_id=profile.id,
        skill_code=data.skill_code,
        session_id=data.session_id,
        activity_id=activity_id,
        by_user_id=actor.user_id,
        note=note,
    )
    db.add(row)
    await db.flush()
    return _endorsement_out(row, actor.display_name)


async def list_endorsements(db: AsyncSession, actor: Actor, volunteer_id: uuid.UUID) -> list[schemas.EndorsementOut]:
    """Endorsements of a volunteer, for the volunteer and coordinators."""
    profile = await _profile(db, volunteer_id)
    if actor.profile_id != profile.id and not actor.is_coordinator(profile.partnership_id):
        raise NotFound(f"volunteer {volunteer_id} not found")
    rows = (
        await db.execute(
            select(Endorsement, User.display_name)
            .outerjoin(User, User.id == Endorsement.by_user_id)
            .where(Endorsement.volunteer_id == profile.id)
            .order_by(Endorsement.created_at)
        )
    ).all()
    return [_endorsement_out(e, n or "") for e, n in rows]


def _endorsement_out(e: Endorsement, by: str) -> schemas.EndorsementOut:
    return schemas.EndorsementOut(
        e.id, e.volunteer_id, e.skill_code, e.session_id, e.activity_id, e.note, by, e.created_at
    )


async def record_training(
    db: AsyncSession, actor: Actor, volunteer_id: uuid.UUID, data: schemas.TrainingIn, today: dt.date
) -> schemas.TrainingOut:
    """A coordinator records a completed training with its date and issuer."""
    profile = await _profile(db, volunteer_id)
    if not actor.is_coordinator(profile.partnership_id):
        raise NotFound(f"volunteer {volunteer_id} not found")
    name, issuer = data.name.strip(), data.issuer.strip()
    if not name:
        raise InvalidInput("name", "must not be empty")
    if not issuer:
        raise InvalidInput("issuer", "must not be empty")
    if data.completed_on > today:
        raise InvalidInput("completed_on", "is in the future")
    row = Training(
        volunteer_id=profile.id,
        name=name,
        name_sv=data.name_sv.strip(),
        name_en=data.name_en.strip(),
        issuer=issuer,
        completed_on=data.completed_on,
        recorded_by_id=actor.user_id,
    )
    db.add(row)
    await db.flush()
    return schemas.TrainingOut(row.id, row.name, row.issuer, row.completed_on, row.name_sv, row.name_en)
