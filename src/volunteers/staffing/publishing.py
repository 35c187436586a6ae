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
    db: AsyncSession,
    actor: Actor | None,
    run_id: uuid.UUID,
    now: dt.datetime,
    base_url: str,
    *,
    confirm: bool = False,
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
    from volunteers.staffing import guard  # guard builds on this module's primitives
    from volunteers.staffing.rules import held_breaches

    # The sessions before the people, as every guarded write does; then everyone whose slots may change.
    await guard.lock_sessions(db, sids)
    on_targets = set(
        (await db.execute(select(Assignment.volunteer_id).where(Assignment.session_id.in_(sids)).distinct())).scalars()
    )
    await lock_volunteers(db, {vid for _, vid in planned} | on_targets)
    await _refuse_stale(db, run, sids, planned, confirm)
    # Holds on these sessions that break a rule today are released (with the reason) before
    # their places are filled again: else the role would end over its count.
    await guard.release(db, partnership, await held_breaches(db, partnership, now, sessions=sids), now, by_user)
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
    # Every proposal checked again on today's data: one that breaks a rule is dropped, with the reason shown.
    new_ids = {aid for aid, _, _, _ in created} | {r.id for r, _ in reproposed} | {r["id"] for r in renamed}
    broken = await held_breaches(db, partnership, now, sessions=sids, volunteers={vid for _, vid in planned})
    dropped = {b.assignment_id for b in broken if b.assignment_id in new_ids}
    await _drop(db, [b for b in broken if b.assignment_id in dropped], by_user)
    await guard.release(db, partnership, [b for b in broken if b.assignment_id not in dropped], now, by_user)
    if broken:
        run.warnings = list(run.warnings or []) + [
            {
                "volunteer": str(b.volunteer_id),
                "shift": str(b.session_id),
                "code": b.code,
                "message": b.message,
                "at_publish": "dropped" if b.assignment_id in dropped else "released",
            }
            for b in broken
        ]
    created = [c for c in created if c[0] not in dropped]
    reproposed = [(r, role) for r, role in reproposed if r.id not in dropped]

    def notice(aid: uuid.UUID, sid: uuid.UUID, vid: uuid.UUID, role: str) -> messages.AssignmentNotice:
        s = sessions[sid]
        return messages.AssignmentNotice(aid, vid, role, s.starts_at, s.name, s.place)

    proposals = [notice(*c) for c in created] + [
        notice(r.id, r.session_id, r.volunteer_id, role) for r, role in reproposed
    ]
    changed = [notice(r.id, r.session_id, r.volunteer_id, r.role) for r in withdraw]
    await _notify(db, partnership, "proposal", proposals, now, base_url)
    await _notify(db, partnership, "plan_changed", changed, now, base_url)
    run.status = MatchRunStatus.PUBLISHED
    run.published_at = now
    run.published_by_id = by_user
    await db.flush()
    return run


async def _drop(db: AsyncSession, breaches: list[Any], by: uuid.UUID | None) -> None:
    """Cancel proposals this publication made that break a rule today; the volunteer was never told of them."""
    reasons: dict[uuid.UUID, str] = {}
    for b in breaches:
        reasons.setdefault(b.assignment_id, b.message)
    if not reasons:
        return
    await db.execute(
        update(Assignment),
        [{"id": aid, "status": AssignmentStatus.CANCELLED, "reason": r[:500]} for aid, r in reasons.items()],
    )
    await db.execute(
        insert(AssignmentEvent),
        [_event(aid, "proposed", "cancelled", by, f"dropped at publish: {r}"[:500]) for aid, r in reasons.items()],
    )


async def _refuse_stale(
    db: AsyncSession,
    run: MatchRun,
    sids: list[uuid.UUID],
    planned: dict[tuple[uuid.UUID, uuid.UUID], str],
    confirm: bool,
) -> None:
    """Refuse (StalePlan) a run when a plan for any of its sessions was published after the one it started from."""
    from volunteers.staffing.guard import StalePlan

    stmt = select(MatchRun.id, MatchRun.session_ids).where(
        MatchRun.partnership_id == run.partnership_id,
        MatchRun.status == MatchRunStatus.PUBLISHED,
        MatchRun.id != run.id,
    )
    if run.based_on_published_at is not None:
        stmt = stmt.where(MatchRun.published_at > run.based_on_published_at)
    mine = set(run.session_ids)
    newer = [str(rid) for rid, their in (await db.execute(stmt)).all() if mine & set(their or [])]
    if not newer or confirm:
        return
    rows = (
        await db.execute(
            select(
                Assignment.id,
                Assignment.session_id,
                Assignment.volunteer_id,
                Assignment.role,
                VolunteerProfile.first_name,
                VolunteerProfile.last_name,
                Activity.name,
                Session.starts_at,
            )
            .join(VolunteerProfile, VolunteerProfile.id == Assignment.volunteer_id)
            .join(Session, Session.id == Assignment.session_id)
            .join(Activity, Activity.id == Session.activity_id)
            .where(Assignment.session_id.in_(sids), Assignment.status == AssignmentStatus.PROPOSED)
        )
    ).all()
    withdrawn = [
        {
            "assignment_id": str(r.id),
            "volunteer_id": str(r.volunteer_id),
            "volunteer_name": f"{r.first_name} {r.last_name}".strip(),
            "session_id": str(r.session_id),
            "activity_name": r.name,
            "starts_at": r.starts_at.isoformat(),
            "role": r.role,
        }
        for r in rows
        if (r.session_id, r.volunteer_id) not in planned
    ]
    raise StalePlan(newer, withdrawn)


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
