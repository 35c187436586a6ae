"""Publishing a match run's plan, and the primitives every change to assignments uses.

Publishing is all or nothing and set-based; `lock_volunteers`, `overlapping_holds` and
`record_event` are what hand assignment, answers and publication share, so that no
change can double-book a volunteer or lose its history.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from volunteers.accounts.actor import Actor
from volunteers.db.models import (
    Activity,
    Assignment,
    AssignmentEvent,
    AssignmentStatus,
    MatchRun,
    MatchRunStatus,
    Partnership,
    Session,
    VolunteerProfile,
)
from volunteers.errors import Conflict, Forbidden, NotFound
from volunteers.staffing import messages


def _plan_pairs(run: MatchRun) -> dict[tuple[str, str], str]:
    targets = set(run.session_ids)
    return {
        (a["shift"], a["volunteer"]): a["role"]
        for a in (run.plan or {}).get("assignments", [])
        if a["shift"] in targets
    }


async def lock_volunteers(db: AsyncSession, volunteer_ids: set[uuid.UUID]) -> None:
    """Serialise changes to these volunteers' assignments (PostgreSQL row locks, sorted to avoid deadlocks).

    On SQLite the writing transaction already holds the database's write lock.
    """
    if not volunteer_ids or db.bind.dialect.name != "postgresql":
        return
    await db.execute(
        select(VolunteerProfile.id)
        .where(VolunteerProfile.id.in_(volunteer_ids))
        .order_by(VolunteerProfile.id)
        .with_for_update()
    )


async def overlapping_holds(
    db: AsyncSession,
    volunteer_id: uuid.UUID,
    start: dt.datetime,
    end: dt.datetime,
    ignore: set[uuid.UUID] = frozenset(),  # type: ignore[assignment]
) -> list[Assignment]:
    """The volunteer's slots that overlap [start, end)."""
    rows = (
        await db.execute(
            select(Assignment).where(
                Assignment.volunteer_id == volunteer_id,
                Assignment.status.in_([s for s in AssignmentStatus if s.holds_slot]),
                Assignment.starts_at < end,
                Assignment.ends_at > start,
            )
        )
    ).scalars()
    return [a for a in rows if a.id not in ignore]


def record_event(db: AsyncSession, a: Assignment, to: AssignmentStatus, by: uuid.UUID | None, reason: str = "") -> None:
    """Change an assignment's status and keep the history."""
    db.add(
        AssignmentEvent(
            assignment_id=a.id,
            from_status=a.status.value if a.status else None,
            to_status=to.value,
            by_user_id=by,
            reason=reason,
        )
    )
    a.status = to


async def publish(
    db: AsyncSession, actor: Actor | None, run_id: uuid.UUID, now: dt.datetime, base_url: str
) -> MatchRun:
    """Turn the run's proposals into assignments; withdraw open proposals it no longer makes.

    All or nothing: if anything changed since the run so that a proposal would now
    double-book a volunteer or go to someone who said no, nothing is written (rerun).
    Set-based: a handful of statements whatever the size of the plan.
    """
    run = await db.get(MatchRun, run_id)
    if run is None or (actor is not None and not actor.is_coordinator(run.partnership_id)):
        if (
            run is not None
            and actor is not None
            and run.partnership_id in actor.partnership_ids
            and run.requested_by_id == actor.user_id
        ):
            raise Forbidden("only coordinators publish plans")
        raise NotFound(f"match run {run_id} not found")
    if run.status != MatchRunStatus.DONE:
        raise Conflict(f"only a finished run can be published (this one is {run.status.value})", field="status")
    partnership = await db.get(Partnership, run.partnership_id)
    assert partnership is not None
    by_user = actor.user_id if actor else None
    sids = [uuid.UUID(s) for s in run.session_ids]
    planned = {(uuid.UUID(sid), uuid.UUID(vid)): role for (sid, vid), role in _plan_pairs(run).items()}
    on_targets = set(
        (await db.execute(select(Assignment.volunteer_id).where(Assignment.session_id.in_(sids)).distinct())).scalars()
    )
    # Everyone whose slots may change is locked before their assignments are read.
    await lock_volunteers(db, {vid for _, vid in planned} | on_targets)
    current = {
        (row.session_id, row.volunteer_id): row
        for row in (
            await db.execute(
                select(
                    Assignment.id,
                    Assignment.session_id,
                    Assignment.volunteer_id,
                    Assignment.role,
                    Assignment.status,
                    Assignment.excludes,
                ).where(Assignment.session_id.in_(sids))
            )
        ).all()
    }
    sessions = {
        row.id: row
        for row in (
            await db.execute(
                select(Session.id, Session.starts_at, Session.ends_at, Activity.name, Activity.place)
                .join(Activity, Activity.id == Session.activity_id)
                .where(Session.id.in_(sids))
            )
        ).all()
    }
    withdraw = [row for pair, row in current.items() if pair not in planned and row.status == AssignmentStatus.PROPOSED]
    renamed: list[dict[str, Any]] = []  # open proposals kept, in another role
    reproposed: list[tuple[Any, str]] = []  # assignments withdrawn before, proposed again: (row, role)
    fresh: list[tuple[uuid.UUID, uuid.UUID, str]] = []  # (session, volunteer, role)
    for (sid, vid), role in sorted(planned.items()):
        existing = current.get((sid, vid))
        if existing is None:
            fresh.append((sid, vid, role))
        elif existing.status.holds_slot:
            if existing.status == AssignmentStatus.PROPOSED and existing.role != role:
                renamed.append({"id": existing.id, "role": role})
        elif existing.excludes:
            raise Conflict(f"the plan is out of date: volunteer {vid} has said no to session {sid}; rerun")
        else:
            reproposed.append((existing, role))
    new_slots = [(sid, vid) for sid, vid, _ in fresh] + [(r.session_id, r.volunteer_id) for r, _ in reproposed]
    await _refuse_double_booking(db, new_slots, sessions, {r.id for r in withdraw})

    events: list[dict[str, Any]] = []
    if renamed:
        await db.execute(update(Assignment), renamed)
    if reproposed:
        proposed = AssignmentStatus.PROPOSED
        await db.execute(
            update(Assignment),
            [{"id": r.id, "role": role, "match_run_id": run.id, "status": proposed} for r, role in reproposed],
        )
        events += [_event(r.id, r.status.value, "proposed", by_user, "replanned") for r, _ in reproposed]
    if withdraw:
        cancelled = AssignmentStatus.CANCELLED
        await db.execute(
            update(Assignment), [{"id": r.id, "status": cancelled, "reason": "replanned"} for r in withdraw]
        )
        events += [_event(r.id, "proposed", "cancelled", by_user, "replanned") for r in withdraw]
    created: list[tuple[uuid.UUID, uuid.UUID, uuid.UUID, str]] = []  # (assignment, session, volunteer, role)
    if fresh:
        inserted = await db.execute(
            insert(Assignment).returning(Assignment.id, sort_by_parameter_order=True),
            [
                {
                    "session_id": sid,
                    "volunteer_id": vid,
                    "role": role,
                    "status": AssignmentStatus.PROPOSED,
                    "match_run_id": run.id,
                    "starts_at": sessions[sid].starts_at,
                    "ends_at": sessions[sid].ends_at,
                }
                for sid, vid, role in fresh
            ],
        )
        created = [(aid, *slot) for aid, slot in zip(inserted.scalars().all(), fresh, strict=True)]
        events += [_event(aid, None, "proposed", by_user, "") for aid, _, _, _ in created]
    if events:
        await db.execute(insert(AssignmentEvent), events)

    def notice(aid: uuid.UUID, sid: uuid.UUID, vid: uuid.UUID, role: str) -> messages.AssignmentNotice:
        s = sessions[sid]
        return messages.AssignmentNotice(aid, vid, role, s.starts_at, s.name, s.place)

    proposals = [notice(*c) for c in created] + [
        notice(r.id, r.session_id, r.volunteer_id, role) for r, role in reproposed
    ]
    changed = [notice(r.id, r.session_id, r.volunteer_id, r.role) for r in withdraw]
    if proposals:  # "not offered lately" reads this
        offered = {p.volunteer_id for p in proposals}
        await db.execute(update(VolunteerProfile).where(VolunteerProfile.id.in_(offered)).values(last_offered_at=now))
    await _notify(db, partnership, "proposal", proposals, now, base_url)
    await _notify(db, partnership, "plan_changed", changed, now, base_url)
    run.status = MatchRunStatus.PUBLISHED
    run.published_at = now
    run.published_by_id = by_user
    await db.flush()
    return run


def _event(
    assignment_id: uuid.UUID, from_status: str | None, to_status: str, by: uuid.UUID | None, reason: str
) -> dict[str, Any]:
    return {
        "assignment_id": assignment_id,
        "from_status": from_status,
        "to_status": to_status,
        "by_user_id": by,
        "reason": reason,
    }


async def _refuse_double_booking(
    db: AsyncSession,
    new: list[tuple[uuid.UUID, uuid.UUID]],
    sessions: dict[uuid.UUID, Any],
    ignore: set[uuid.UUID],
) -> None:
    """Raise Conflict if a new (session, volunteer) slot overlaps one the volunteer holds, or another new one.

    One query for all the volunteers' holds in the plan's time span; the caller holds the
    volunteers' locks, so nothing changes between this check and the writes.
    """
    if not new:
        return
    first = min(sessions[sid].starts_at for sid, _ in new)
    last = max(sessions[sid].ends_at for sid, _ in new)
    busy: dict[uuid.UUID, list[tuple[dt.datetime, dt.datetime, uuid.UUID]]] = defaultdict(list)
    for aid, vid, sid, starts, ends in (
        await db.execute(
            select(
                Assignment.id, Assignment.volunteer_id, Assignment.session_id, Assignment.starts_at, Assignment.ends_at
            ).where(
                Assignment.volunteer_id.in_({vid for _, vid in new}),
                Assignment.status.in_([s for s in AssignmentStatus if s.holds_slot]),
                Assignment.starts_at < last,
                Assignment.ends_at > first,
            )
        )
    ).all():
        if aid not in ignore:
            busy[vid].append((starts, ends, sid))
    for sid, vid in new:
        s = sessions[sid]
        clash = next((other for a, b, other in busy[vid] if a < s.ends_at and b > s.starts_at), None)
        if clash is not None:
            raise Conflict(
                f"the plan is out of date: volunteer {vid} is already in an overlapping session {clash}; rerun"
            )
        busy[vid].append((s.starts_at, s.ends_at, sid))


async def _notify(
    db: AsyncSession,
    partnership: Partnership,
    kind: str,
    notices: list[messages.AssignmentNotice],
    now: dt.datetime,
    base_url: str,
) -> None:
    await messages.notify_assignments(
        db,
        kind,
        notices,
        partnership.timezone,
        now,
        url=f"{base_url}/me/sessions",
        dedupe_key=lambda n: f"{kind}:{n.assignment_id}:{now.isoformat()}",
    )
