"""Assignments from the volunteer's and the leader's side, and hand assignment by coordinators."""

from __future__ import annotations

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from volunteers.accounts.actor import Actor
from volunteers.activities.services import effective_needs
from volunteers.db.models import (
    Activity,
    Assignment,
    AssignmentEvent,
    AssignmentStatus,
    Partnership,
    Session,
    SessionStatus,
    VolunteerProfile,
)
from volunteers.errors import Conflict, Forbidden, InvalidInput, NotFound, RuleBroken
from volunteers.staffing import guard, messages, schemas
from volunteers.staffing.messages import AssignmentNotice
from volunteers.staffing.publishing import lock_volunteers, overlapping_holds, record_event
from volunteers.staffing.rules import breaches_of_new_hold

UPCOMING = (AssignmentStatus.PROPOSED, AssignmentStatus.ACCEPTED, AssignmentStatus.CONFIRMED)


async def _with_session(
    db: AsyncSession, assignment_id: uuid.UUID
) -> tuple[Assignment, Session, Activity, Partnership]:
    row = (
        await db.execute(
            select(Assignment, Session, Activity, Partnership)
            .join(Session, Session.id == Assignment.session_id)
            .join(Activity, Activity.id == Session.activity_id)
            .join(Partnership, Partnership.id == Activity.partnership_id)
            .where(Assignment.id == assignment_id)
        )
    ).first()
    if row is None:
        raise NotFound(f"assignment {assignment_id} not found")
    return row[0], row[1], row[2], row[3]


def assignment_out(a: Assignment, s: Session, act: Activity, p: Partnership) -> schemas.AssignmentOut:
    zone = ZoneInfo(p.timezone)
    deadline = s.starts_at - dt.timedelta(hours=p.cancel_deadline_hours)
    return schemas.AssignmentOut(
        id=a.id,
        session_id=s.id,
        activity_id=act.id,
        activity_name=act.name,
        place=act.place,
        starts_at=s.starts_at.astimezone(zone),
        ends_at=s.ends_at.astimezone(zone),
        role=a.role,
        status=a.status.value,
        volunteer_id=a.volunteer_id,
        can_cancel_until=deadline.astimezone(zone) if a.status == AssignmentStatus.ACCEPTED else None,
    )


async def my_assignments(
    db: AsyncSession, actor: Actor, now: dt.datetime, include_past: bool = False
) -> list[schemas.AssignmentOut]:
    """The caller's proposals and upcoming sessions (and, if asked, the past ones)."""
    if actor.profile_id is None:
        return []
    stmt = (
        select(Assignment, Session, Activity, Partnership)
        .join(Session, Session.id == Assignment.session_id)
        .join(Activity, Activity.id == Session.activity_id)
        .join(Partnership, Partnership.id == Activity.partnership_id)
        .where(Assignment.volunteer_id == actor.profile_id)
        .order_by(Session.starts_at)
    )
    if not include_past:
        stmt = stmt.where(Session.ends_at > now, Assignment.status.in_(UPCOMING))
    return [assignment_out(*row) for row in (await db.execute(stmt)).all()]


async def _own(
    db: AsyncSession, actor: Actor, assignment_id: uuid.UUID
) -> tuple[Assignment, Session, Activity, Partnership]:
    a, s, act, p = await _with_session(db, assignment_id)
    if actor.profile_id != a.volunteer_id:
        raise NotFound(f"assignment {assignment_id} not found")
    return a, s, act, p


async def accept(db: AsyncSession, actor: Actor, assignment_id: uuid.UUID, now: dt.datetime) -> schemas.AssignmentOut:
    """Say yes to a proposal; never two overlapping accepted sessions, even under concurrency."""
    a, s, act, p = await _own(db, actor, assignment_id)
    # The session before the volunteer, as every guarded write does: a move of this session waits.
    await guard.lock_session(db, s.id)
    await lock_volunteers(db, {a.volunteer_id})
    await db.refresh(a)
    await db.refresh(s)
    if a.status == AssignmentStatus.ACCEPTED:
        return assignment_out(a, s, act, p)
    if a.status != AssignmentStatus.PROPOSED:
        raise Conflict(f"only a proposal can be accepted (this one is {a.status.value})", field="status")
    if a.awaiting_leader:
        raise Conflict("your sign-up waits for the leader's yes", field="status")
    if s.status != SessionStatus.SCHEDULED or s.ends_at <= now:
        raise Conflict("the session is cancelled or over", field="session")
    clashes = await overlapping_holds(db, a.volunteer_id, s.starts_at, s.ends_at, {a.id})
    firm = [c for c in clashes if c.status != AssignmentStatus.PROPOSED]
    if firm:
        raise RuleBroken("overlapping_shift", "you have already accepted a session at the same time")
    # Other proposals at the same time can no longer be taken: withdraw them (not a no).
    for other in clashes:
        record_event(db, other, AssignmentStatus.CANCELLED, actor.user_id, "accepted another session at the same time")
    await db.flush()
    # Every rule, on today's data: the session may have moved, the need or the profile changed since.
    broken = await breaches_of_new_hold(db, p, a.volunteer_id, s.id, a.role, now)
    if broken:
        raise RuleBroken(
            broken[0].code,
            broken[0].message,
            extra={"reasons": [{"code": b.code, "message": b.message} for b in broken]},
        )
    record_event(db, a, AssignmentStatus.ACCEPTED, actor.user_id)
    await db.flush()
    return assignment_out(a, s, act, p)


async def decline(
    db: AsyncSession, actor: Actor, assignment_id: uuid.UUID, reason: str, now: dt.datetime
) -> schemas.AssignmentOut:
    """Say no to a proposal (or cancel an accepted session before the deadline); the slot reopens."""
    a, s, act, p = await _own(db, actor, assignment_id)
    await lock_volunteers(db, {a.volunteer_id})
    await db.refresh(a)
    if a.status == AssignmentStatus.PROPOSED:
        to = AssignmentStatus.DECLINED
    elif a.status == AssignmentStatus.ACCEPTED:
        deadline = s.starts_at - dt.timedelta(hours=p.cancel_deadline_hours)
        if now > deadline:
            raise RuleBroken(
                "cancel_deadline_passed",
                f"accepted sessions can be cancelled up to {p.cancel_deadline_hours} hours before; contact the leader",
            )
        to = AssignmentStatus.CANCELLED
    else:
        raise Conflict(f"nothing to decline (the assignment is {a.status.value})", field="status")
    record_event(db, a, to, actor.user_id, reason)
    a.reason = reason
    a.excludes = True
    await db.flush()
    return assignment_out(a, s, act, p)


async def hand_assign(
    db: AsyncSession, actor: Actor, session_id: uuid.UUID, data: schemas.HandAssignmentIn, now: dt.datetime
) -> schemas.AssignmentOut:
    """A coordinator proposes someone by hand; a hard rule refuses it, named by the matcher itself."""
    row = (
        await db.execute(
            select(Session, Activity, Partnership)
            .join(Activity, Activity.id == Session.activity_id)
            .join(Partnership, Partnership.id == Activity.partnership_id)
            .where(Session.id == session_id)
        )
    ).first()
    if row is None or row[2].id not in actor.partnership_ids:
        raise NotFound(f"session {session_id} not found")
    s, act, p = row
    if not actor.is_coordinator(p.id):
        raise Forbidden("only coordinators assign by hand")
    volunteer = await db.get(VolunteerProfile, data.volunteer_id)
    if volunteer is None or volunteer.partnership_id != p.id:
        raise InvalidInput("volunteer_id", f"unknown volunteer {data.volunteer_id}")
    roles = {n.role for n in await effective_needs(db, act.id, s.id)}
    if data.role not in roles:
        raise InvalidInput(
            "role", f"the session needs no '{data.role}' (it needs: {', '.join(sorted(roles)) or 'nobody'})"
        )
    await guard.lock_session(db, s.id)
    await lock_volunteers(db, {volunteer.id})
    existing = (
        await db.execute(
            select(Assignment).where(Assignment.session_id == s.id, Assignment.volunteer_id == volunteer.id)
        )
    ).scalar_one_or_none()
    if existing is not None and existing.status.holds_slot:
        raise Conflict("the volunteer is already on this session", field="volunteer_id")
    # Every hard rule, the role's count and the weekly cap included, by the matcher's own code.
    reasons = await breaches_of_new_hold(db, p, volunteer.id, s.id, data.role, now)
    if reasons:
        first = reasons[0]
        raise RuleBroken(
            first.code,
            first.message,
            field="volunteer_id",
            extra={"reasons": [{"code": r.code, "message": r.message} for r in reasons]},
        )
    if existing is None:
        existing = Assignment(
            id=uuid.uuid4(),
            session_id=s.id,
            volunteer_id=volunteer.id,
            role=data.role,
            status=AssignmentStatus.PROPOSED,
            starts_at=s.starts_at,
            ends_at=s.ends_at,
        )
        db.add(existing)
        await db.flush()
        db.add(
            AssignmentEvent(
                assignment_id=existing.id,
                from_status=None,
                to_status="proposed",
                by_user_id=actor.user_id,
                reason="by hand",
            )
        )
    else:
        existing.role = data.role
        existing.excludes = False
        record_event(db, existing, AssignmentStatus.PROPOSED, actor.user_id, "by hand")
    volunteer.last_offered_at = now  # "not offered lately" reads this
    await db.flush()
    await messages.notify_assignments(
        db,
        "proposal",
        [AssignmentNotice(existing.id, volunteer.id, data.role, s.starts_at, act.name, act.place)],
        p.timezone,
        now,
        url="",
        dedupe_key=lambda n: f"proposal:{n.assignment_id}:{now.isoformat()}",
    )
    return assignment_out(existing, s, act, p)


async def unassign(
    db: AsyncSession, actor: Actor, assignment_id: uuid.UUID, reason: str, now: dt.datetime | None = None
) -> schemas.AssignmentOut:
    """A coordinator withdraws an assignment (not the volunteer's no: they may be proposed again)."""
    a, s, act, p = await _with_session(db, assignment_id)
    if p.id not in actor.partnership_ids:
        raise NotFound(f"assignment {assignment_id} not found")
    if not actor.is_coordinator(p.id):
        raise Forbidden("only coordinators unassign")
    if not a.status.holds_slot or a.status == AssignmentStatus.COMPLETED:
        raise Conflict(f"nothing to withdraw (the assignment is {a.status.value})", field="status")
    record_event(db, a, AssignmentStatus.CANCELLED, actor.user_id, reason or "withdrawn by coordinator")
    when = now or dt.datetime.now(dt.UTC)
    await messages.notify_assignments(
        db,
        "withdrawn",
        [AssignmentNotice(a.id, a.volunteer_id, a.role, s.starts_at, act.name, act.place, reason or "")],
        p.timezone,
        when,
        url="",
        dedupe_key=lambda n: f"withdrawn:{n.assignment_id}:{when.isoformat()}",
    )
    await db.flush()
    return assignment_out(a, s, act, p)


async def session_staffing(db: AsyncSession, actor: Actor, session_id: uuid.UUID) -> schemas.SessionStaffing:
    """Fill status of a session and who is on it: for its partner's leaders and coordinators."""
    row = (
        await db.execute(
            select(Session, Activity).join(Activity, Activity.id == Session.activity_id).where(Session.id == session_id)
        )
    ).first()
    if row is None or row[1].partnership_id not in actor.partnership_ids:
        raise NotFound(f"session {session_id} not found")
    s, act = row
    if not actor.can_manage_partner(act.partnership_id, act.partner_id):
        raise NotFound(f"session {session_id} not found")
    needs = await effective_needs(db, act.id, s.id)
    rows = (
        await db.execute(
            select(Assignment, VolunteerProfile)
            .join(VolunteerProfile, VolunteerProfile.id == Assignment.volunteer_id)
            .where(Assignment.session_id == s.id)
        )
    ).all()
    holding = [(a, v) for a, v in rows if a.status.holds_slot]
    roles = []
    for n in needs:
        mine = [a for a, _ in holding if a.role == n.role]
        firm = sum(1 for a in mine if a.status != AssignmentStatus.PROPOSED)
        roles.append(schemas.RoleFill(n.role, n.count, len(mine), firm, len(mine) - firm))
    assigned = [
        schemas.AssignedVolunteer(a.id, v.id, v.first_name, v.last_name, v.phone, a.role, a.status.value)
        for a, v in sorted(holding, key=lambda r: (r[0].role, r[1].last_name))
    ]
    return schemas.SessionStaffing(s.id, roles, assigned)


async def session_cancelled(db: AsyncSession, actor: Actor, s: Session, act: Activity, now: dt.datetime) -> None:
    """A cancelled session frees everyone on it and tells them."""
    p = await db.get(Partnership, act.partnership_id)
    assert p is not None
    freed = [
        a
        for a in (await db.execute(select(Assignment).where(Assignment.session_id == s.id))).scalars()
        if a.status.holds_slot and a.status != AssignmentStatus.COMPLETED
    ]
    for a in freed:
        record_event(db, a, AssignmentStatus.CANCELLED, actor.user_id, "session cancelled")
    await messages.notify_assignments(
        db,
        "session_cancelled",
        [AssignmentNotice(a.id, a.volunteer_id, a.role, s.starts_at, act.name, act.place) for a in freed],
        p.timezone,
        now,
        url="",
        dedupe_key=lambda n: f"session_cancelled:{n.assignment_id}",
    )
    await db.flush()
