"""Build a `matching-problem/1` from the database for a partnership and a period.

The problem holds the *target* sessions (every role open to the matcher) and, as
context, every other session in the same ISO weeks where the volunteers already hold
a slot: those slots are pinned so the matcher sees each volunteer's real week (no
overlap, weekly caps) without being able to move them.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from volunteers.activities.services import effective_needs
from volunteers.db.models import (
    Activity,
    Assignment,
    AssignmentStatus,
    BackgroundCheck,
    Endorsement,
    Exclusion,
    Partnership,
    Session,
    SessionStatus,
    StaffingNeed,
    User,
    VolunteerProfile,
    VolunteerSkill,
)
from volunteers.people.services import availability_intervals
from volunteers.staffing.pins import drop_broken_pins

PINNED = (AssignmentStatus.ACCEPTED, AssignmentStatus.CONFIRMED, AssignmentStatus.COMPLETED)
OPEN = (AssignmentStatus.PROPOSED,)
REFUSED = (AssignmentStatus.DECLINED, AssignmentStatus.CANCELLED)


@dataclass
class BuiltProblem:
    problem: dict[str, Any]
    target_sessions: list[uuid.UUID]
    context_sessions: list[uuid.UUID] = field(default_factory=list)
    warnings: list[dict[str, str]] = field(default_factory=list)


def iso(moment: dt.datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).isoformat()


def _week_bounds(start: dt.datetime, end: dt.datetime, zone: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
    """From the Monday 00:00 local before `start` to the Monday 00:00 local after `end`."""
    first = start.astimezone(zone).date()
    last = end.astimezone(zone).date()
    monday = first - dt.timedelta(days=first.weekday())
    after = last + dt.timedelta(days=7 - last.weekday())
    return (
        dt.datetime.combine(monday, dt.time(0), tzinfo=zone).astimezone(dt.UTC),
        dt.datetime.combine(after, dt.time(0), tzinfo=zone).astimezone(dt.UTC),
    )


def _role_dict(need: StaffingNeed) -> dict[str, Any]:
    role: dict[str, Any] = {
        "role": need.role,
        "count": need.count,
        "skills": list(need.skills),
        "languages": list(need.languages),
        "priority": need.priority,
        "develops": list(need.develops),
    }
    if need.min_age is not None:
        role["min_age"] = need.min_age
    return role


async def target_sessions(
    db: AsyncSession,
    partnership_id: uuid.UUID,
    start: dt.datetime,
    end: dt.datetime,
    activity_ids: Sequence[uuid.UUID] = (),
    session_ids: Sequence[uuid.UUID] = (),
) -> list[tuple[Session, Activity]]:
    """Scheduled sessions of the partnership starting in [start, end), optionally narrowed."""
    stmt = (
        select(Session, Activity)
        .join(Activity, Activity.id == Session.activity_id)
        .where(
            Activity.partnership_id == partnership_id,
            Session.status == SessionStatus.SCHEDULED,
            Session.starts_at >= start,
            Session.starts_at < end,
        )
        .order_by(Session.starts_at)
    )
    if activity_ids:
        stmt = stmt.where(Activity.id.in_(activity_ids))
    if session_ids:
        stmt = stmt.where(Session.id.in_(session_ids))
    return [(s, a) for s, a in (await db.execute(stmt)).all()]


async def build_problem(
    db: AsyncSession,
    partnership: Partnership,
    sessions: Iterable[tuple[Session, Activity]],
    *,
    check_pins: bool = True,
) -> BuiltProblem:
    """The matching problem for these target sessions, with every volunteer of the partnership.

    With `check_pins` false the caller runs `drop_broken_pins` itself (a match run does it
    in the solver's process, off the event loop).
    """
    zone = ZoneInfo(partnership.timezone)
    targets = list(sessions)
    target_ids = [s.id for s, _ in targets]
    if not targets:
        return BuiltProblem(problem=_empty(partnership), target_sessions=[])
    win_start, win_end = _week_bounds(min(s.starts_at for s, _ in targets), max(s.ends_at for s, _ in targets), zone)

    # Every slot held in the window, in target sessions or elsewhere.
    held = (
        await db.execute(
            select(Assignment, Session, Activity)
            .join(Session, Session.id == Assignment.session_id)
            .join(Activity, Activity.id == Session.activity_id)
            .where(
                Activity.partnership_id == partnership.id,
                Session.starts_at < win_end,
                Session.ends_at > win_start,
                Session.status == SessionStatus.SCHEDULED,
            )
        )
    ).all()

    profiles = list(
        (
            await db.execute(
                select(VolunteerProfile)
                .join(User, User.id == VolunteerProfile.user_id)
                .where(
                    VolunteerProfile.partnership_id == partnership.id,
                    User.is_active.is_(True),
                    User.anonymised_at.is_(None),
                )
            )
        ).scalars()
    )
    pids = [p.id for p in profiles]
    first_day = win_start.astimezone(zone).date()
    last_day = win_end.astimezone(zone).date()
    avail = await availability_intervals(db, pids, first_day, last_day, partnership.timezone)

    endorsed: dict[uuid.UUID, set[str]] = defaultdict(set)
    for vid, code in (await db.execute(select(Endorsement.volunteer_id, Endorsement.skill_code))).all():
        endorsed[vid].add(code)
    checks: dict[uuid.UUID, dt.date] = dict(
        (
            await db.execute(
                select(BackgroundCheck.profile_id, func.max(BackgroundCheck.seen_on))
                .where(BackgroundCheck.partnership_id == partnership.id, BackgroundCheck.seen_on <= last_day)
                .group_by(BackgroundCheck.profile_id)
            )
        ).all()
    )

    shifts: dict[uuid.UUID, dict[str, Any]] = {}
    for s, a in targets:
        shifts[s.id] = _shift(s, a, zone, [_role_dict(n) for n in await effective_needs(db, a.id, s.id)])

    pinned: list[dict[str, str]] = []
    previous: list[dict[str, str]] = []
    excluded: list[dict[str, str]] = []
    context_roles: dict[uuid.UUID, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    context_rows: dict[uuid.UUID, tuple[Session, Activity]] = {}
    busy_with_pin: dict[uuid.UUID, list[tuple[dt.datetime, dt.datetime]]] = defaultdict(list)
    for assignment, s, a in held:
        pair = {"volunteer": str(assignment.volunteer_id), "shift": str(s.id)}
        status = assignment.status
        if s.id in shifts:
            if status in PINNED:
                pinned.append({**pair, "role": assignment.role})
                busy_with_pin[assignment.volunteer_id].append((s.starts_at, s.ends_at))
            elif status in OPEN:
                previous.append({**pair, "role": assignment.role})
            elif status in REFUSED:
                excluded.append(pair)
        elif status.holds_slot:
            # A slot outside the target sessions: pinned context, so the week is real.
            context_roles[s.id][assignment.role] += 1
            context_rows[s.id] = (s, a)
            pinned.append({**pair, "role": assignment.role})
            busy_with_pin[assignment.volunteer_id].append((s.starts_at, s.ends_at))
    for sid, roles in context_roles.items():
        s, a = context_rows[sid]
        # Context slots are only there for time and weekly caps: no rule of their own to break.
        context = _shift(s, a, zone, [{"role": r, "count": c} for r, c in sorted(roles.items())])
        context["children"] = False
        shifts[sid] = context

    target_activities = {a.id for _, a in targets}
    vetoes = (
        await db.execute(
            select(Exclusion.volunteer_id, Exclusion.activity_id).where(Exclusion.activity_id.in_(target_activities))
        )
    ).all()
    sessions_of: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    for s, a in targets:
        sessions_of[a.id].append(s.id)
    for vid, aid in vetoes:
        excluded += [{"volunteer": str(vid), "shift": str(sid)} for sid in sessions_of[aid]]

    skills: dict[uuid.UUID, set[str]] = defaultdict(set)
    for pid, code in (
        await db.execute(
            select(VolunteerSkill.profile_id, VolunteerSkill.skill_code).where(VolunteerSkill.profile_id.in_(pids))
        )
    ).all():
        skills[pid].add(code)

    volunteers = []
    for p in profiles:
        # A volunteer who holds a slot is available for it: they said yes to that time.
        intervals = avail[p.id] + busy_with_pin.get(p.id, [])
        v: dict[str, Any] = {
            "id": str(p.id),
            "skills": sorted(skills[p.id] | endorsed[p.id]),
            "languages": sorted(p.languages),
            "availability": [[iso(a, zone), iso(b, zone)] for a, b in _merge(intervals)],
            "preferred_activity_types": sorted(p.preferred_activity_kinds),
            "learning_goals": sorted(p.learning_goals),
            "seeking_work": p.seeking_work,
        }
        if p.birth_date:
            v["birth_date"] = p.birth_date.isoformat()
        if p.id in checks:
            v["background_check"] = checks[p.id].isoformat()
        if p.max_minutes_per_week is not None:
            v["max_minutes_per_week"] = p.max_minutes_per_week
        volunteers.append(v)

    # A slot held for a role the session no longer lists stays held: keep the role open for it.
    for pin in pinned:
        shift = shifts[uuid.UUID(pin["shift"])]
        if not any(r["role"] == pin["role"] for r in shift["roles"]):
            shift["roles"].append({"role": pin["role"], "count": 0})
        role = next(r for r in shift["roles"] if r["role"] == pin["role"])
        held_here = sum(1 for q in pinned if q["shift"] == pin["shift"] and q["role"] == pin["role"])
        role["count"] = max(role.get("count", 1), held_here)

    roles_of = {str(sid): {r["role"] for r in sh["roles"]} for sid, sh in shifts.items()}
    previous = [p for p in previous if p["role"] in roles_of[p["shift"]]]

    problem = _empty(partnership)
    problem.update(
        volunteers=volunteers,
        shifts=list(shifts.values()),
        pinned=pinned,
        previous=previous,
        excluded=_unique(excluded),
    )
    built = BuiltProblem(
        problem=problem,
        target_sessions=target_ids,
        context_sessions=[sid for sid in shifts if sid not in set(target_ids)],
    )
    if check_pins:
        built.warnings = drop_broken_pins(built.problem)
    return built


def _empty(partnership: Partnership) -> dict[str, Any]:
    return {
        "format": "matching-problem/1",
        "timezone": partnership.timezone,
        "policy": {
            "background_check_valid_days": partnership.background_check_valid_days,
            "background_check_min_age": partnership.background_check_min_age,
            "min_volunteer_age": 13,
        },
        "volunteers": [],
        "shifts": [],
        "pinned": [],
        "previous": [],
        "excluded": [],
    }


def _shift(s: Session, a: Activity, zone: ZoneInfo, roles: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": str(s.id),
        "activity": str(a.id),
        "activity_type": a.kind.value,
        "start": iso(s.starts_at, zone),
        "end": iso(s.ends_at, zone),
        "children": a.target_group.involves_minors,
        "roles": roles,
    }


def _merge(intervals: list[tuple[dt.datetime, dt.datetime]]) -> list[tuple[dt.datetime, dt.datetime]]:
    from volunteers.people.availability import merge

    return merge(intervals)


def _unique(pairs: list[dict[str, str]]) -> list[dict[str, str]]:
    seen: set[tuple[str, str]] = set()
    out = []
    for p in pairs:
        key = (p["volunteer"], p["shift"])
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out
