"""What a write that would break a rule for held people does: refuse with the list, or release them once confirmed.

Every guarded write applies its change, flushes, and calls `enforce` in the same
transaction. Only what the change newly breaks counts: without confirmation it raises
`WouldRelease` (409, each affected assignment listed) and the request's rollback undoes
the change; with `confirm` those assignments are released with the rule as the reason,
their places reopen (a released slot holds nothing), and the volunteers and the
activity's leaders are told.
A hold that broke a rule before the write (data changed outside the service) is not the
writer's to answer for: the watch finds and releases it (`pre_existing` tells them apart).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from volunteers.db.models import (
    Activity,
    Assignment,
    AssignmentEvent,
    AssignmentStatus,
    Membership,
    OutboxMessage,
    Partnership,
    Role,
    Session,
    User,
    VolunteerProfile,
)
from volunteers.errors import RuleBroken
from volunteers.staffing import messages
from volunteers.staffing.publishing import lock_volunteers, record_event
from volunteers.staffing.rules import Breach, held_breaches

__all__ = [
    "StalePlan",
    "WouldRelease",
    "activity_changed",
    "affected",
    "enforce",
    "lock_session",
    "lock_sessions",
    "pre_existing",
    "release",
    "sessions_changed",
    "volunteer_changed",
]

# What a scope already broke before a write: (assignment, rule code) pairs.
Baseline = frozenset[tuple[uuid.UUID | None, str]]


class StalePlan(RuleBroken):
    """409: a newer plan was published since this run started; `would_withdraw` lists what publishing undoes."""

    def __init__(self, newer: list[str], rows: list[dict[str, Any]]):
        super().__init__(
            "stale_plan",
            f"a newer plan was published since this run started; publishing it would withdraw {len(rows)} "
            "proposal(s) of the newer plan. Send confirm: true to publish anyway, or run again",
            extra={"newer_runs": newer, "would_withdraw": rows, "confirm": False},
        )


RELEASED = "released"


async def released_places(db: AsyncSession, volunteer_id: uuid.UUID, now: dt.datetime) -> list[dict[str, Any]]:
    """The volunteer's places on coming sessions that a change released, with the rule's code (newest first)."""
    rows = (
        await db.execute(
            select(
                AssignmentEvent.reason, AssignmentEvent.created_at, Session.starts_at, Activity.name, Assignment.role
            )
            .join(Assignment, Assignment.id == AssignmentEvent.assignment_id)
            .join(Session, Session.id == Assignment.session_id)
            .join(Activity, Activity.id == Session.activity_id)
            .where(
                Assignment.volunteer_id == volunteer_id,
                Assignment.status == AssignmentStatus.CANCELLED,
                Session.starts_at > now,
                AssignmentEvent.to_status == AssignmentStatus.CANCELLED.value,
                AssignmentEvent.reason.like(f"{RELEASED} (%"),
            )
            .order_by(AssignmentEvent.created_at.desc())
        )
    ).all()
    out = []
    for reason, _, starts, name, role in rows:
        code = reason[len(RELEASED) + 2 :].split(")", 1)[0]
        out.append({"activity": name, "starts_at": starts, "role": role, "code": code})
    return out


class WouldRelease(RuleBroken):
    """409: the change would break a rule for people already placed; `affected` lists them."""

    def __init__(self, rows: list[dict[str, Any]]):
        people = sorted({r["volunteer_name"] for r in rows})
        super().__init__(
            "would_release",
            f"this change would release {len(rows)} held place(s) ({', '.join(people)}) because a rule would break; "
            "send the same request with confirm: true to apply it and release them",
            extra={"affected": rows, "confirm": False},
        )


async def affected(db: AsyncSession, partnership: Partnership, breaches: Sequence[Breach]) -> list[dict[str, Any]]:
    """The breaches as rows a coordinator reads: one per assignment, named, with its first rule."""
    zone = ZoneInfo(partnership.timezone)
    first: dict[Any, Breach] = {}
    for b in breaches:
        first.setdefault(b.assignment_id or (b.volunteer_id, b.session_id), b)
    names = {
        pid: f"{a} {b}".strip()
        for pid, a, b in (
            await db.execute(
                select(VolunteerProfile.id, VolunteerProfile.first_name, VolunteerProfile.last_name).where(
                    VolunteerProfile.id.in_({b.volunteer_id for b in breaches})
                )
            )
        ).all()
    }
    sessions = {
        sid: (name, starts)
        for sid, name, starts in (
            await db.execute(
                select(Session.id, Activity.name, Session.starts_at)
                .join(Activity, Activity.id == Session.activity_id)
                .where(Session.id.in_({b.session_id for b in breaches}))
            )
        ).all()
    }
    rows = []
    for b in first.values():
        name, starts = sessions.get(b.session_id, ("", None))
        rows.append(
            {
                **b.as_dict(),
                "volunteer_name": names.get(b.volunteer_id, ""),
                "activity_name": name,
                "starts_at": starts.astimezone(zone).isoformat() if starts else None,
                "rules": [x.code for x in breaches if x.assignment_id == b.assignment_id],
            }
        )
    return rows


async def lock_sessions(db: AsyncSession, session_ids: Iterable[uuid.UUID]) -> None:
    """`lock_session` for many, in one statement, in id order (as PostgreSQL takes them)."""
    ids = sorted(set(session_ids))
    if not ids or db.bind.dialect.name != "postgresql":
        return
    await db.execute(select(Session.id).where(Session.id.in_(ids)).order_by(Session.id).with_for_update())


async def lock_session(db: AsyncSession, session_id: uuid.UUID) -> None:
    """Serialise writes that touch this session and its people: the session row first, then its holders.

    Every guarded write takes a session's lock before any volunteer's (PostgreSQL row locks;
    on SQLite the write transaction already serialises), so a move and an accept cannot
    both pass their checks on data the other is changing, nor deadlock.
    """
    if db.bind.dialect.name != "postgresql":
        return
    await db.execute(select(Session.id).where(Session.id == session_id).with_for_update())


async def pre_existing(
    db: AsyncSession,
    partnership: Partnership,
    now: dt.datetime,
    *,
    sessions: Iterable[uuid.UUID] = (),
    volunteers: Iterable[uuid.UUID] = (),
) -> Baseline:
    """What broke a rule in this scope before the writing transaction changed anything (the watch's business).

    Read on a connection of its own, which sees only what is committed (PostgreSQL's MVCC,
    SQLite's WAL snapshot), so the change need not be undone to look behind it; asked only
    when the change's check found something, so a write that breaks nothing pays nothing.
    """
    bind = db.bind
    if not isinstance(bind, AsyncEngine):
        return frozenset()  # a session bound to one connection cannot look behind its own change
    if bind.dialect.name == "sqlite":
        bind = bind.execution_options(sqlite_begin="DEFERRED")  # a reader: never queue for the write lock
    async with AsyncSession(bind, expire_on_commit=False) as committed:
        p = await committed.get(Partnership, partnership.id)
        assert p is not None
        found = await held_breaches(committed, p, now, sessions=sessions, volunteers=volunteers)
        await committed.rollback()
    return frozenset((b.assignment_id, b.code) for b in found)


async def enforce(
    db: AsyncSession,
    partnership: Partnership,
    now: dt.datetime,
    by: uuid.UUID | None,
    *,
    confirm: bool,
    sessions: Iterable[uuid.UUID] = (),
    volunteers: Iterable[uuid.UUID] = (),
) -> list[Breach]:
    """Refuse (WouldRelease) or, confirmed, release the held places the flushed change newly breaks; those.

    What broke a rule before the change (`pre_existing`) is left to the watch.
    """
    sessions, volunteers = list(sessions), list(volunteers)
    await db.flush()
    breaches = await held_breaches(db, partnership, now, sessions=sessions, volunteers=volunteers)
    if breaches:
        before = await pre_existing(db, partnership, now, sessions=sessions, volunteers=volunteers)
        breaches = [b for b in breaches if (b.assignment_id, b.code) not in before]
    if not breaches:
        return []
    if not confirm:
        raise WouldRelease(await affected(db, partnership, breaches))
    await release(db, partnership, breaches, now, by)
    return breaches


async def release(
    db: AsyncSession,
    partnership: Partnership,
    breaches: Sequence[Breach],
    now: dt.datetime,
    by: uuid.UUID | None,
    *,
    tell_volunteers: bool = True,
) -> None:
    """Cancel these held assignments with their rule as the reason, and tell the volunteers and leaders."""
    reason_of: dict[uuid.UUID, str] = {}
    code_of: dict[uuid.UUID, str] = {}
    for b in breaches:
        if b.assignment_id is not None:
            reason_of.setdefault(b.assignment_id, b.message)
            code_of.setdefault(b.assignment_id, b.code)
    if not reason_of:
        return
    rows = (
        await db.execute(
            select(Assignment, Session, Activity)
            .join(Session, Session.id == Assignment.session_id)
            .join(Activity, Activity.id == Session.activity_id)
            .where(Assignment.id.in_(reason_of))
        )
    ).all()
    notices = []
    for a, s, act in rows:
        if a.status not in (AssignmentStatus.PROPOSED, AssignmentStatus.ACCEPTED, AssignmentStatus.CONFIRMED):
            continue
        reason = reason_of[a.id]
        # The event keeps the rule's code, so each reader's page can explain it in their language.
        record_event(db, a, AssignmentStatus.CANCELLED, by, f"{RELEASED} ({code_of[a.id]}): {reason}"[:500])
        # Not the volunteer's no: they may be proposed again when the rule allows.
        a.excludes = False
        a.reason = reason[:500]
        notices.append(
            messages.AssignmentNotice(a.id, a.volunteer_id, a.role, s.starts_at, act.name, act.place, reason)
        )
    await messages.notify_assignments(
        db,
        "released",
        notices if tell_volunteers else [],
        partnership.timezone,
        now,
        url="",
        dedupe_key=lambda n: f"released:{n.assignment_id}:{now.isoformat()}",
    )
    await _tell_leaders(db, partnership, rows, reason_of, now)
    await db.flush()


async def _tell_leaders(
    db: AsyncSession, partnership: Partnership, rows: Sequence[Any], reason_of: dict[uuid.UUID, str], now: dt.datetime
) -> None:
    """One message per leader of each affected activity's partner, listing who was released and why."""
    zone = ZoneInfo(partnership.timezone)
    by_partner: dict[uuid.UUID, list[str]] = {}
    names = {
        pid: f"{a} {b}".strip()
        for pid, a, b in (
            await db.execute(
                select(VolunteerProfile.id, VolunteerProfile.first_name, VolunteerProfile.last_name).where(
                    VolunteerProfile.id.in_({r[0].volunteer_id for r in rows})
                )
            )
        ).all()
    }
    for a, s, act in rows:
        line = f"- {names.get(a.volunteer_id, '')}, {act.name} {s.starts_at.astimezone(zone):%Y-%m-%d %H:%M}: "
        by_partner.setdefault(act.partner_id, []).append(line + reason_of[a.id])
    if not by_partner:
        return
    leaders = (
        await db.execute(
            select(Membership.partner_id, User.email)
            .join(User, User.id == Membership.user_id)
            .where(
                Membership.partnership_id == partnership.id,
                Membership.role == Role.LEADER,
                Membership.partner_id.in_(by_partner),
                User.is_active.is_(True),
            )
        )
    ).all()
    for partner_id, email in leaders:
        body = "Released because a rule would break / Släppta eftersom en regel skulle brytas:\n\n" + "\n".join(
            by_partner[partner_id]
        )
        db.add(
            OutboxMessage(
                to_address=email,
                kind="released_leader",
                subject="Samverka: people released / personer släppta",
                body=body,
                dedupe_key=f"released_leader:{email}:{uuid.uuid4()}",
                send_after=now,
            )
        )


async def sessions_changed(
    db: AsyncSession,
    partnership: Partnership,
    now: dt.datetime,
    by: uuid.UUID | None,
    session_ids: Sequence[uuid.UUID],
    *,
    confirm: bool,
    moved: bool,
) -> list[Breach]:
    """After a change to sessions (time, place, kind, target group): enforce, then tell those still held if moved."""
    if not session_ids:
        return []
    holders = set(
        (
            await db.execute(
                select(Assignment.volunteer_id).where(
                    Assignment.session_id.in_(session_ids),
                    Assignment.status.in_([s for s in AssignmentStatus if s.holds_slot]),
                )
            )
        ).scalars()
    )
    await lock_volunteers(db, holders)
    released = await enforce(db, partnership, now, by, confirm=confirm, sessions=session_ids)
    if moved:
        gone = {b.assignment_id for b in released}
        rows = (
            await db.execute(
                select(Assignment, Session, Activity)
                .join(Session, Session.id == Assignment.session_id)
                .join(Activity, Activity.id == Session.activity_id)
                .where(
                    Assignment.session_id.in_(session_ids),
                    Session.starts_at > now,
                    Assignment.status.in_(
                        [AssignmentStatus.PROPOSED, AssignmentStatus.ACCEPTED, AssignmentStatus.CONFIRMED]
                    ),
                )
            )
        ).all()
        notices = [
            messages.AssignmentNotice(a.id, a.volunteer_id, a.role, s.starts_at, act.name, act.place)
            for a, s, act in rows
            if a.id not in gone
        ]
        await messages.notify_assignments(
            db,
            "session_moved",
            notices,
            partnership.timezone,
            now,
            url="",
            dedupe_key=lambda n: f"session_moved:{n.assignment_id}:{n.starts_at.isoformat()}:{now.isoformat()}",
        )
    return released


async def activity_changed(
    db: AsyncSession,
    activity: Activity,
    now: dt.datetime,
    by: uuid.UUID | None,
    *,
    confirm: bool,
    session_id: uuid.UUID | None = None,
    moved: bool = False,
) -> list[Breach]:
    """After a change to an activity or its needs: check its future sessions (or the one session)."""
    stmt = select(Session.id).where(
        Session.activity_id == activity.id, Session.starts_at > now, Session.status == "scheduled"
    )
    if session_id is not None:
        stmt = stmt.where(Session.id == session_id)
    ids = sorted((await db.execute(stmt)).scalars())
    partnership = await db.get(Partnership, activity.partnership_id)
    assert partnership is not None
    return await sessions_changed(db, partnership, now, by, ids, confirm=confirm, moved=moved)


async def volunteer_changed(
    db: AsyncSession,
    profile_id: uuid.UUID,
    now: dt.datetime,
    by: uuid.UUID | None,
    *,
    confirm: bool,
    tell_volunteer: bool = True,
) -> list[Breach]:
    """After a change to a volunteer (availability, cap, skills, languages, birth date, checks, account).

    An erased volunteer (`tell_volunteer` false) loses every held place and gets no message.
    """
    partnership_id = (
        await db.execute(select(VolunteerProfile.partnership_id).where(VolunteerProfile.id == profile_id))
    ).scalar_one_or_none()
    if partnership_id is None:
        return []
    partnership = await db.get(Partnership, partnership_id)
    assert partnership is not None
    await lock_volunteers(db, {profile_id})
    if tell_volunteer:
        return await enforce(db, partnership, now, by, confirm=confirm, volunteers=[profile_id])
    await db.flush()
    breaches = await held_breaches(db, partnership, now, volunteers=[profile_id])
    await release(db, partnership, breaches, now, by, tell_volunteers=False)
    return breaches
