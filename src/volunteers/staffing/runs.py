"""Match runs: queue them, see them, review them against what is published.

The run itself happens in the solver's worker (`solver.execute_run`); publishing its
plan is `publishing.publish`, re-exported here for the callers that see a run as one thing.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections import defaultdict
from typing import Any
from zoneinfo import ZoneInfo

import msgspec
from sqlalchemy import Text, and_, cast, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import defer

from volunteers.accounts.actor import Actor
from volunteers.db.models import (
    Activity,
    Assignment,
    AssignmentStatus,
    MatchRun,
    MatchRunStatus,
    Partnership,
    Session,
    VolunteerProfile,
)
from volunteers.errors import Forbidden, InvalidInput, NotFound
from volunteers.staffing import schemas
from volunteers.staffing.problem import stream_rows
from volunteers.staffing.publishing import lock_volunteers, overlapping_holds, publish, record_event

__all__ = [
    "create_leader_request",
    "create_run",
    "local_range",
    "lock_volunteers",
    "overlapping_holds",
    "publish",
    "record_event",
    "review",
    "run_out",
    "visible_run",
]

MAX_DAYS = 92


def local_range(start: dt.date, end: dt.date, tz: str) -> tuple[dt.datetime, dt.datetime]:
    """UTC bounds of local dates start..end inclusive."""
    zone = ZoneInfo(tz)
    return (
        dt.datetime.combine(start, dt.time(0), tzinfo=zone).astimezone(dt.UTC),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time(0), tzinfo=zone).astimezone(dt.UTC),
    )


async def create_run(db: AsyncSession, actor: Actor, data: schemas.RunCreate, default_limit: float) -> MatchRun:
    """Queue a coordinator's run for a period (optionally some activities only)."""
    partnership = await db.get(Partnership, data.partnership_id)
    if partnership is None or data.partnership_id not in actor.partnership_ids:
        raise NotFound(f"partnership {data.partnership_id} not found")
    if not actor.is_coordinator(partnership.id):
        raise Forbidden("only coordinators start match runs")
    if data.end < data.start:
        raise InvalidInput("end", "must not be before start")
    if (data.end - data.start).days >= MAX_DAYS:
        raise InvalidInput("end", f"a run covers at most {MAX_DAYS} days")
    if data.activity_ids:
        found = set(
            (
                await db.execute(
                    select(Activity.id).where(
                        Activity.id.in_(data.activity_ids), Activity.partnership_id == partnership.id
                    )
                )
            ).scalars()
        )
        for i, aid in enumerate(data.activity_ids):
            if aid not in found:
                raise InvalidInput(f"activity_ids[{i}]", f"unknown activity {aid}")
    run = MatchRun(
        partnership_id=partnership.id,
        requested_by_id=actor.user_id,
        kind="coordinator",
        period_start=data.start,
        period_end=data.end,
        activity_ids=[str(a) for a in data.activity_ids],
        time_limit_seconds=min(data.time_limit_seconds, default_limit) if data.time_limit_seconds else 0.0,
        based_on_published_at=await _newest_published(db, partnership.id),
    )
    db.add(run)
    await db.flush()
    return run


async def _newest_published(db: AsyncSession, partnership_id: uuid.UUID) -> dt.datetime | None:
    """When the partnership's newest plan was published: what a new run starts from."""
    return (
        await db.execute(
            select(func.max(MatchRun.published_at)).where(
                MatchRun.partnership_id == partnership_id, MatchRun.status == MatchRunStatus.PUBLISHED
            )
        )
    ).scalar_one()


async def create_leader_request(
    db: AsyncSession, actor: Actor, data: schemas.StaffRequest, default_limit: float
) -> MatchRun:
    """A leader asks for people for one session or an activity's sessions in a date range."""
    if data.session_id is not None:
        row = (
            await db.execute(
                select(Session, Activity)
                .join(Activity, Activity.id == Session.activity_id)
                .where(Session.id == data.session_id)
            )
        ).first()
        if row is None or row[1].partnership_id not in actor.partnership_ids:
            raise NotFound(f"session {data.session_id} not found")
        session, activity = row
        tz = (await db.get(Partnership, activity.partnership_id)).timezone  # type: ignore[union-attr]
        day = session.starts_at.astimezone(ZoneInfo(tz)).date()
        start, end, session_ids = day, day, [str(session.id)]
    elif data.activity_id is not None:
        activity = await db.get(Activity, data.activity_id)
        if activity is None or activity.partnership_id not in actor.partnership_ids:
            raise NotFound(f"activity {data.activity_id} not found")
        if data.start is None:
            raise InvalidInput("start", "is required with activity_id")
        if data.end is None:
            raise InvalidInput("end", "is required with activity_id")
        if data.end < data.start:
            raise InvalidInput("end", "must not be before start")
        if (data.end - data.start).days >= MAX_DAYS:
            raise InvalidInput("end", f"a request covers at most {MAX_DAYS} days")
        start, end, session_ids = data.start, data.end, []
    else:
        raise InvalidInput("session_id", "give a session_id, or an activity_id with start and end")
    if not actor.can_manage_partner(activity.partnership_id, activity.partner_id):
        raise Forbidden("leaders request staff for their own partner's activities only")
    run = MatchRun(
        partnership_id=activity.partnership_id,
        requested_by_id=actor.user_id,
        kind="leader_request",
        period_start=start,
        period_end=end,
        activity_ids=[str(activity.id)],
        session_ids=session_ids,
        time_limit_seconds=0.0,
        based_on_published_at=await _newest_published(db, activity.partnership_id),
    )
    db.add(run)
    await db.flush()
    return run


async def visible_run(db: AsyncSession, actor: Actor, run_id: uuid.UUID, *, documents: bool = True) -> MatchRun:
    """The run if the caller may see it; without `documents` its problem and plan stay unloaded."""
    options = [] if documents else [defer(MatchRun.problem), defer(MatchRun.plan)]
    run = await db.get(MatchRun, run_id, options=options)
    if run is None or run.partnership_id not in actor.partnership_ids:
        raise NotFound(f"match run {run_id} not found")
    if not actor.is_coordinator(run.partnership_id) and run.requested_by_id != actor.user_id:
        raise NotFound(f"match run {run_id} not found")
    return run


def run_out(run: MatchRun, plan: dict[str, Any] | None = None) -> schemas.Run:
    """The run's summary; `plan` when the caller has read it already (else the run's own)."""
    plan = (run.plan or {}) if plan is None else plan
    targets = set(run.session_ids)
    return schemas.Run(
        id=run.id,
        partnership_id=run.partnership_id,
        kind=run.kind,
        status=run.status.value,
        start=run.period_start,
        end=run.period_end,
        activity_ids=list(run.activity_ids),
        session_ids=list(run.session_ids),
        created_at=run.created_at,
        started_at=run.started_at,
        finished_at=run.finished_at,
        published_at=run.published_at,
        error=run.error,
        plan_status=plan.get("status"),
        objective=plan.get("objective"),
        stats=plan.get("stats"),
        filled=sum(1 for a in plan.get("assignments", []) if a["shift"] in targets),
        missing=sum(s["missing"] for s in plan.get("shortages", []) if s["shift"] in targets),
        warnings=list(run.warnings or []),
    )


async def review(db: AsyncSession, actor: Actor, run_id: uuid.UUID) -> schemas.RunReview:
    """Proposals per session, shortages with reasons, and changes against what is published.

    A city's review is thousands of rows and megabytes of JSON. Every read of them is
    streamed (a chunk at a time, the event loop free in between) and none names the run's
    thousand sessions one by one (binding such an IN list held the loop for ~20 ms): the
    sessions are those of the run's period, narrowed to the run's in a thread, where the
    problem and plan are parsed and matched up too.
    """
    run = await visible_run(db, actor, run_id, documents=False)
    tz = (await db.execute(select(Partnership.timezone).where(Partnership.id == run.partnership_id))).scalar_one()
    # Only the problem's shifts: its volunteers (most of a city's megabytes) stay in the database.
    ((shifts_text, plan_text),) = [
        tuple(row)
        async for row in stream_rows(
            db, select(cast(MatchRun.problem["shifts"], Text), cast(MatchRun.plan, Text)).where(MatchRun.id == run.id)
        )
    ]
    targets = set(run.session_ids)
    start, end = local_range(run.period_start, run.period_end, tz)
    in_period = and_(Activity.partnership_id == run.partnership_id, Session.starts_at >= start, Session.starts_at < end)
    with_activity = select(Session.id, Activity.id, Activity.name, Session.starts_at, Session.ends_at).join(
        Activity, Activity.id == Session.activity_id
    )
    sessions = [tuple(row) async for row in stream_rows(db, with_activity.where(in_period))]
    # A session moved out of the period since the run is still the run's: the few such by id.
    moved = [uuid.UUID(sid) for sid in targets - {str(row[0]) for row in sessions}]
    if moved:
        sessions += [tuple(row) async for row in stream_rows(db, with_activity.where(Session.id.in_(moved)))]
    held_in = in_period if not moved else or_(in_period, Session.id.in_(moved))
    current = [
        tuple(row)
        async for row in stream_rows(
            db,
            select(Assignment.session_id, Assignment.volunteer_id, Assignment.role, Assignment.status)
            .join(Session, Session.id == Assignment.session_id)
            .join(Activity, Activity.id == Session.activity_id)
            .where(held_in),
        )
    ]
    names = {
        pid: name
        async for pid, name in stream_rows(
            db,
            select(VolunteerProfile.id, VolunteerProfile.first_name + " " + VolunteerProfile.last_name).where(
                VolunteerProfile.partnership_id == run.partnership_id
            ),
        )
    }
    plan, out, changes = await asyncio.to_thread(
        _review_body, run.session_ids, shifts_text, plan_text, sessions, current, names, ZoneInfo(tz)
    )
    return schemas.RunReview(run=run_out(run, plan), sessions=out, changes=changes)


def _review_body(
    session_ids: list[str],
    shifts_text: str | None,
    plan_text: str | None,
    session_rows: list[tuple[Any, ...]],
    current: list[tuple[Any, ...]],
    profile_names: dict[uuid.UUID, str],
    zone: ZoneInfo,
) -> tuple[dict[str, Any], list[schemas.SessionReview], schemas.Changes]:
    # msgspec, not json: the same dicts in a third of the time, and each parse holds the GIL.
    plan: dict[str, Any] = msgspec.json.decode(plan_text) if plan_text else {}
    all_shifts: list[dict[str, Any]] = (msgspec.json.decode(shifts_text) if shifts_text else None) or []
    targets = set(session_ids)
    sessions = {sid: row for row in session_rows if (sid := str(row[0])) in targets}
    shifts = {sh["id"]: sh for sh in all_shifts if sh["id"] in sessions}
    planned = {(a["shift"], a["volunteer"]): a["role"] for a in plan.get("assignments", []) if a["shift"] in targets}
    names = {str(pid): name for pid, name in profile_names.items()}
    holding = {
        (sid, str(vid)): (role, status)
        for session_id, vid, role, status in current
        if status.holds_slot and (sid := str(session_id)) in targets
    }
    by_slot: dict[tuple[str, str], list[str]] = defaultdict(list)
    for (sid, vid), role in planned.items():
        by_slot[(sid, role)].append(vid)
    shortages = {(s["shift"], s["role"]): s for s in plan.get("shortages", [])}
    out = []
    for sid in session_ids:
        if sid not in sessions:
            continue
        session_id, activity_id, activity_name, starts, ends = sessions[sid]
        slots = []
        for role in shifts.get(sid, {}).get("roles", []):
            vids = by_slot.get((sid, role["role"]), [])
            short = shortages.get((sid, role["role"]))
            slots.append(
                schemas.SlotReview(
                    role=role["role"],
                    count=role.get("count", 1),
                    proposed=sorted(names.get(v, v) for v in vids if (sid, v) not in holding),
                    kept=sorted(names.get(v, v) for v in vids if (sid, v) in holding),
                    missing=short["missing"] if short else 0,
                    reasons=[
                        schemas.ShortageReason(r["code"], r.get("count"), r["message"])
                        for r in (short or {}).get("reasons", [])
                    ],
                )
            )
        local_start, local_end = starts.astimezone(zone), ends.astimezone(zone)
        out.append(schemas.SessionReview(session_id, activity_id, activity_name, local_start, local_end, slots))

    def change(sid: str, vid: str, role: str) -> schemas.Change:
        session_id, _, activity_name, starts, _ = sessions[sid]
        local_start = starts.astimezone(zone)
        return schemas.Change(session_id, activity_name, local_start, uuid.UUID(vid), names.get(vid, vid), role)

    added = [
        change(sid, vid, role) for (sid, vid), role in planned.items() if (sid, vid) not in holding and sid in sessions
    ]
    removed = [
        change(sid, vid, role)
        for (sid, vid), (role, status) in holding.items()
        if (sid, vid) not in planned and status == AssignmentStatus.PROPOSED
    ]
    kept = sum(1 for pair in planned if pair in holding)
    return plan, out, schemas.Changes(added, removed, kept)
