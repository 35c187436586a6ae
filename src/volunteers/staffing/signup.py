"""Open places a volunteer may take themself, taking one, and waiting lists on full sessions.

Who may take a place is the matcher's decision, never a copy of its rules: the list asks
`matching.why_not` (rules 1-10 against everything held), and taking a place asks
`rules.breaches_of_new_hold` again inside the taking transaction, after locking the
volunteer and the session, so that the first to take the last place gets it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

import matching
from volunteers.accounts.actor import Actor
from volunteers.activities.services import effective_needs
from volunteers.db.models import (
    Activity,
    Assignment,
    AssignmentEvent,
    AssignmentStatus,
    Partner,
    Partnership,
    Session,
    SessionStatus,
    WaitingListEntry,
)
from volunteers.errors import Conflict, Forbidden, InvalidInput, NotFound, RuleBroken
from volunteers.staffing import schemas
from volunteers.staffing.assembly import HOLDS_SLOT, TargetRow, assemble, relabel
from volunteers.staffing.assignments import assignment_out
from volunteers.staffing.problem import load_rows
from volunteers.staffing.publishing import lock_volunteers, record_event
from volunteers.staffing.rules import Breach, breaches_of_new_hold

HORIZON = dt.timedelta(days=28)
# Codes that only say the place is taken: a waiting list is the way in.
FULL = frozenset({"role_full", "role_overfilled"})


@dataclass(frozen=True)
class Hindrance:
    """Why a volunteer may not take a place: the matcher's rule code and its numbers."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class OpenPlace:
    session_id: uuid.UUID
    activity_id: uuid.UUID
    activity_name: str
    kind: str
    partner_id: uuid.UUID
    partner_name: str
    place: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    role: str
    count: int
    free: int
    hindrances: list[Hindrance]
    waiting: bool  # the volunteer is on this session's waiting list

    @property
    def may_take(self) -> bool:
        return not self.hindrances

    @property
    def full(self) -> bool:
        return self.free <= 0

    @property
    def may_wait(self) -> bool:
        """Full, and nothing but the count stands in the way."""
        return self.full and all(h.code in FULL for h in self.hindrances)


def hindrances_of(breaches: list[Breach]) -> list[Hindrance]:
    return [Hindrance(b.code) for b in breaches]


async def _volunteer_partnership(db: AsyncSession, actor: Actor) -> tuple[uuid.UUID, Partnership]:
    if actor.profile_id is None:
        raise NotFound("you have no volunteer profile")
    from volunteers.db.models import VolunteerProfile

    profile = await db.get(VolunteerProfile, actor.profile_id)
    if profile is None:
        raise NotFound("you have no volunteer profile")
    p = await db.get(Partnership, profile.partnership_id)
    assert p is not None
    return profile.id, p


async def open_places(
    db: AsyncSession,
    actor: Actor,
    now: dt.datetime,
    *,
    day: dt.date | None = None,
    kind: str | None = None,
    partner_id: uuid.UUID | None = None,
) -> list[OpenPlace]:
    """Places on sessions open for sign-up in the coming four weeks (or on `day`), each with why not."""
    me, p = await _volunteer_partnership(db, actor)
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(p.timezone)
    start, end = now, now + HORIZON
    if day is not None:
        start = max(now, dt.datetime.combine(day, dt.time(0), tzinfo=zone).astimezone(dt.UTC))
        end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=zone).astimezone(dt.UTC)
    stmt = (
        select(Session, Activity, Partner)
        .join(Activity, Activity.id == Session.activity_id)
        .join(Partner, Partner.id == Activity.partner_id)
        .where(
            Activity.partnership_id == p.id,
            Activity.open_for_signup.is_(True),
            Activity.is_active.is_(True),
            Session.status == SessionStatus.SCHEDULED,
            Session.starts_at >= start,
            Session.starts_at < end,
        )
        .order_by(Session.starts_at, Activity.name)
    )
    if kind:
        stmt = stmt.where(Activity.kind == kind)
    if partner_id:
        stmt = stmt.where(Activity.partner_id == partner_id)
    listed = (await db.execute(stmt)).all()
    mine = {
        sid: status
        for sid, status in (
            await db.execute(
                select(Assignment.session_id, Assignment.status).where(
                    Assignment.volunteer_id == me, Assignment.ends_at > now
                )
            )
        ).all()
    }
    listed = [row for row in listed if not (row[0].id in mine and mine[row[0].id].holds_slot)]
    if not listed:
        return []
    waiting = set(
        (await db.execute(select(WaitingListEntry.session_id).where(WaitingListEntry.volunteer_id == me))).scalars()
    )
    problem, assignments, no_consent = await _problem_for(db, p, me, [(s, a) for s, a, _ in listed], now)
    roles = {(s.id, r.role): r.count for s in problem.shifts for r in s.roles}
    filled: dict[tuple[str, str], int] = {}
    for a in assignments:
        filled[(a.shift, a.role)] = filled.get((a.shift, a.role), 0) + 1
    places = []
    for s, act, partner in listed:
        for (sid, role), count in sorted(roles.items()):
            if sid != str(s.id):
                continue
            reasons = matching.why_not(problem, str(me), sid, role, assignments=assignments)
            places.append(
                OpenPlace(
                    s.id,
                    act.id,
                    act.name,
                    act.kind.value,
                    partner.id,
                    partner.name,
                    act.place,
                    s.starts_at.astimezone(zone),
                    s.ends_at.astimezone(zone),
                    role,
                    count,
                    count - filled.get((sid, role), 0),
                    [Hindrance(relabel(r.code, "", str(me), sid, no_consent)[0], dict(r.params)) for r in reasons],
                    s.id in waiting,
                )
            )
    return places


async def _problem_for(
    db: AsyncSession, p: Partnership, me: uuid.UUID, listed: list[tuple[Session, Activity]], now: dt.datetime
) -> tuple[matching.Problem, list[matching.Assignment], set[tuple[str, str]]]:
    """The matcher's problem for the listed sessions and the volunteer's own week, what is held there, and
    the pairs excluded for want of a guardian's consent.

    Only the people holding places on the listed sessions (for the roles' counts) and the
    volunteer themself are in it; held slots are passed to `why_not` as the plan around them.
    """
    targets = {
        str(s.id): TargetRow(str(s.id), str(a.id), a.kind.value, a.target_group.involves_minors, s.starts_at, s.ends_at)
        for s, a in listed
    }
    first = min(t.starts_at for t in targets.values()) - dt.timedelta(days=7)
    last = max(t.ends_at for t in targets.values()) + dt.timedelta(days=7)
    for s, a in (
        await db.execute(
            select(Session, Activity)
            .join(Activity, Activity.id == Session.activity_id)
            .join(Assignment, Assignment.session_id == Session.id)
            .where(
                Assignment.volunteer_id == me,
                Assignment.status.in_([x for x in AssignmentStatus if x.holds_slot]),
                Session.status == SessionStatus.SCHEDULED,
                Session.starts_at < last,
                Session.ends_at > first,
            )
        )
    ).all():
        targets.setdefault(
            str(s.id),
            TargetRow(str(s.id), str(a.id), a.kind.value, a.target_group.involves_minors, s.starts_at, s.ends_at),
        )
    rows = await load_rows(db, p, sorted(targets.values(), key=lambda t: (t.starts_at, t.session_id)))
    listed_ids = {str(s.id) for s, _ in listed}
    held = [
        h for h in rows.held if h.status in HOLDS_SLOT and (h.volunteer_id == str(me) or h.session_id in listed_ids)
    ]
    keep = {str(me)} | {h.volunteer_id for h in held}
    rows.held = []  # a volunteer may take again a place they once said no to: no exclusions from answers
    rows.volunteers = [v for v in rows.volunteers if v.id in keep]
    rows.rules = [r for r in rows.rules if r[0] in keep]
    rows.exceptions = [e for e in rows.exceptions if e[0] in keep]
    rows.skills = [s for s in rows.skills if s[0] in keep]
    rows.checks = [c for c in rows.checks if c[0] in keep]
    rows.vetoes = [v for v in rows.vetoes if v[0] in keep]
    built = assemble(rows)
    problem = matching.parse_problem(built.problem)
    if str(me) not in {v.id for v in problem.volunteers}:
        raise Forbidden("your account cannot take places now")
    present = {v.id for v in problem.volunteers}
    roles = {(s.id, r.role) for s in problem.shifts for r in s.roles}
    assignments = [
        matching.Assignment(h.volunteer_id, h.session_id, h.role)
        for h in held
        if h.volunteer_id in present and (h.session_id, h.role) in roles
    ]
    return problem, assignments, built.no_consent


async def lock_place(db: AsyncSession, session_id: uuid.UUID) -> None:
    """Serialise takers of one session's places (PostgreSQL row lock; SQLite's write lock does it there)."""
    if db.bind.dialect.name == "postgresql":
        await db.execute(select(Session.id).where(Session.id == session_id).with_for_update())


async def place_of(db: AsyncSession, p_id: uuid.UUID, session_id: uuid.UUID) -> tuple[Session, Activity, Partnership]:
    row = (
        await db.execute(
            select(Session, Activity, Partnership)
            .join(Activity, Activity.id == Session.activity_id)
            .join(Partnership, Partnership.id == Activity.partnership_id)
            .where(Session.id == session_id, Activity.partnership_id == p_id)
        )
    ).first()
    if row is None:
        raise NotFound(f"session {session_id} not found")
    return row[0], row[1], row[2]


def refuse(breaches: list[Breach]) -> RuleBroken:
    first = breaches[0]
    return RuleBroken(
        first.code,
        first.message,
        field="role",
        extra={"reasons": [{"code": b.code, "message": b.message} for b in breaches]},
    )


async def give_place(
    db: AsyncSession,
    volunteer_id: uuid.UUID,
    s: Session,
    role: str,
    by: uuid.UUID | None,
    reason: str,
    *,
    awaiting_leader: bool = False,
) -> Assignment:
    """Write the volunteer's place (new, or their old row for this session reused): accepted or awaiting."""
    status = AssignmentStatus.PROPOSED if awaiting_leader else AssignmentStatus.ACCEPTED
    existing = (
        await db.execute(
            select(Assignment).where(Assignment.session_id == s.id, Assignment.volunteer_id == volunteer_id)
        )
    ).scalar_one_or_none()
    if existing is None:
        existing = Assignment(
            id=uuid.uuid4(),
            session_id=s.id,
            volunteer_id=volunteer_id,
            role=role,
            status=status,
            starts_at=s.starts_at,
            ends_at=s.ends_at,
            awaiting_leader=awaiting_leader,
        )
        db.add(existing)
        await db.flush()
        db.add(
            AssignmentEvent(
                assignment_id=existing.id, from_status=None, to_status=status.value, by_user_id=by, reason=reason
            )
        )
    else:
        existing.role = role
        existing.excludes = False
        existing.reason = ""
        existing.awaiting_leader = awaiting_leader
        existing.starts_at, existing.ends_at = s.starts_at, s.ends_at
        record_event(db, existing, status, by, reason)
    await db.execute(
        delete(WaitingListEntry).where(
            WaitingListEntry.session_id == s.id, WaitingListEntry.volunteer_id == volunteer_id
        )
    )
    await db.flush()
    return existing


async def take(
    db: AsyncSession, actor: Actor, session_id: uuid.UUID, role: str, now: dt.datetime
) -> schemas.AssignmentOut:
    """Take an open place: the rules are checked again here, under lock; the first to take the last place gets it."""
    me, p = await _volunteer_partnership(db, actor)
    s, act, _ = await place_of(db, p.id, session_id)
    if not act.open_for_signup or not act.is_active:
        raise Forbidden("this activity is not open for sign-up")
    if role not in {n.role for n in await effective_needs(db, act.id, s.id)}:
        raise InvalidInput("role", f"the session needs no '{role}'")
    await lock_volunteers(db, {me})
    await lock_place(db, s.id)
    held = (
        await db.execute(select(Assignment.status).where(Assignment.session_id == s.id, Assignment.volunteer_id == me))
    ).scalar_one_or_none()
    if held is not None and held.holds_slot:
        raise Conflict("you already have a place on this session", field="session_id")
    breaches = await breaches_of_new_hold(db, p, me, s.id, role, now)
    if breaches:
        raise refuse(breaches)
    a = await give_place(db, me, s, role, actor.user_id, "signed up", awaiting_leader=p.signup_leader_confirms)
    if a.awaiting_leader:
        from volunteers.staffing.choose_messages import tell_leaders

        await tell_leaders(db, act, s, "signup_to_confirm", now, volunteer_id=me)
    return assignment_out(a, s, act, p)


async def confirm_signup(
    db: AsyncSession, actor: Actor, assignment_id: uuid.UUID, yes: bool, now: dt.datetime
) -> schemas.AssignmentOut:
    """A leader says yes (accepted) or no (withdrawn) to a sign-up that waits for them."""
    row = (
        await db.execute(
            select(Assignment, Session, Activity, Partnership)
            .join(Session, Session.id == Assignment.session_id)
            .join(Activity, Activity.id == Session.activity_id)
            .join(Partnership, Partnership.id == Activity.partnership_id)
            .where(Assignment.id == assignment_id)
        )
    ).first()
    if row is None or not actor.can_manage_partner(row[3].id, row[2].partner_id):
        raise NotFound(f"assignment {assignment_id} not found")
    a, s, act, p = row
    await lock_volunteers(db, {a.volunteer_id})
    await db.refresh(a)
    if not a.awaiting_leader or a.status != AssignmentStatus.PROPOSED:
        raise Conflict("this sign-up does not wait for an answer", field="status")
    a.awaiting_leader = False
    if yes:
        record_event(db, a, AssignmentStatus.ACCEPTED, actor.user_id, "sign-up confirmed by the leader")
    else:
        record_event(db, a, AssignmentStatus.CANCELLED, actor.user_id, "sign-up not confirmed by the leader")
    await db.flush()
    return assignment_out(a, s, act, p)


async def join_waiting_list(db: AsyncSession, actor: Actor, session_id: uuid.UUID, role: str, now: dt.datetime) -> None:
    """Wait for a place on a full session: only someone the rules would let take it, the count apart."""
    me, p = await _volunteer_partnership(db, actor)
    s, act, _ = await place_of(db, p.id, session_id)
    if not act.open_for_signup:
        raise Forbidden("this activity is not open for sign-up")
    if role not in {n.role for n in await effective_needs(db, act.id, s.id)}:
        raise InvalidInput("role", f"the session needs no '{role}'")
    await lock_volunteers(db, {me})
    breaches = await breaches_of_new_hold(db, p, me, s.id, role, now)
    if not any(b.code in FULL for b in breaches):
        if not breaches:
            raise Conflict("the session has a free place: take it instead", field="session_id")
    other = [b for b in breaches if b.code not in FULL]
    if other:
        raise refuse(other)
    exists = (
        await db.execute(
            select(WaitingListEntry.id).where(WaitingListEntry.session_id == s.id, WaitingListEntry.volunteer_id == me)
        )
    ).first()
    if exists is None:
        db.add(WaitingListEntry(session_id=s.id, volunteer_id=me, role=role))
        await db.flush()


async def leave_waiting_list(db: AsyncSession, actor: Actor, session_id: uuid.UUID) -> None:
    me, _ = await _volunteer_partnership(db, actor)
    await db.execute(
        delete(WaitingListEntry).where(WaitingListEntry.session_id == session_id, WaitingListEntry.volunteer_id == me)
    )
