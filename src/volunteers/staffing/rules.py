"""Which held assignments break a hard rule on the data as it stands: the matcher's own rule code decides.

Every write that can break a rule (a session moved, a need tightened, a volunteer's
availability narrowed, a check removed, a plan published, a hand assignment) asks
`held_breaches` inside its own transaction, after flushing its change. Nothing here
repeats a rule: the held assignments are put in a plan over the affected sessions and
`matching.check` names what they break. What is decided here is only *who gives way*
when a rule over several assignments breaks (two overlapping sessions, a week over the
cap, a role over its count): the hold in the changed scope and the least firm one
(a new place before a proposal, a proposal before an accepted place, the latest first).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

import matching
from volunteers.db.models import (
    Activity,
    Assignment,
    AssignmentStatus,
    Partnership,
    Session,
    SessionStatus,
    VolunteerProfile,
)
from volunteers.staffing.assembly import TargetRow, assemble, relabel
from volunteers.staffing.problem import load_rows

__all__ = ["HELD", "Breach", "breaches_of_new_hold", "held_breaches"]

HELD = (AssignmentStatus.PROPOSED, AssignmentStatus.ACCEPTED, AssignmentStatus.CONFIRMED)
# Slots that count for overlaps and weekly caps, though only HELD ones on future sessions can be released.
_COUNTED = (*HELD, AssignmentStatus.COMPLETED)
# Firmer holds keep their place when one of two must give way.
_FIRMNESS = {"new": 0, "proposed": 1, "accepted": 2, "confirmed": 3, "completed": 4}


@dataclass(frozen=True)
class Breach:
    """One held (or considered) assignment and one hard rule it breaks."""

    assignment_id: uuid.UUID | None  # None for a place being considered, not yet held
    volunteer_id: uuid.UUID
    session_id: uuid.UUID
    role: str
    code: str  # matching's rule code, or role_removed / role_overfilled / volunteer_inactive / session_closed
    message: str  # a sentence a coordinator understands

    def as_dict(self) -> dict[str, Any]:
        return {
            "assignment_id": str(self.assignment_id) if self.assignment_id else None,
            "volunteer_id": str(self.volunteer_id),
            "session_id": str(self.session_id),
            "role": self.role,
            "code": self.code,
            "message": self.message,
        }


class _Hold(NamedTuple):
    assignment_id: uuid.UUID | None
    volunteer_id: uuid.UUID
    session_id: uuid.UUID
    role: str
    status: str  # "new" for a place being considered
    starts_at: dt.datetime
    ends_at: dt.datetime
    in_scope: bool


async def held_breaches(
    db: AsyncSession,
    partnership: Partnership,
    now: dt.datetime,
    *,
    sessions: Iterable[uuid.UUID] = (),
    volunteers: Iterable[uuid.UUID] = (),
) -> list[Breach]:
    """Held (proposed/accepted/confirmed) assignments on future scheduled sessions, on these sessions or of these
    volunteers, that break a hard rule on the data as it stands in this transaction (flushed changes included).

    With neither `sessions` nor `volunteers`, every future held assignment of the partnership (the watch).
    """
    session_ids, volunteer_ids = set(sessions), set(volunteers)
    stmt = _held_query(partnership.id).where(Session.starts_at > now, Assignment.status.in_(HELD))
    if session_ids or volunteer_ids:
        stmt = stmt.where(or_(Assignment.session_id.in_(session_ids), Assignment.volunteer_id.in_(volunteer_ids)))
    scope = [_hold(row, True) for row in (await db.execute(stmt)).all()]
    return await _evaluate(db, partnership, scope)


async def breaches_of_new_hold(
    db: AsyncSession,
    partnership: Partnership,
    volunteer_id: uuid.UUID,
    session_id: uuid.UUID,
    role: str,
    now: dt.datetime,
) -> list[Breach]:
    """What giving this volunteer this place would break (rules 1-10, the role's count included), given all held.

    A slot the volunteer already holds on this session is taken as replaced by the new place.
    """
    row = (
        await db.execute(
            select(Session.starts_at, Session.ends_at, Session.status)
            .join(Activity, Activity.id == Session.activity_id)
            .where(Session.id == session_id, Activity.partnership_id == partnership.id)
        )
    ).first()
    if row is None or row.status != SessionStatus.SCHEDULED or row.starts_at <= now:
        return [Breach(None, volunteer_id, session_id, role, "session_closed", "The session is cancelled or over.")]
    new = _Hold(None, volunteer_id, session_id, role, "new", row.starts_at, row.ends_at, True)
    return [b for b in await _evaluate(db, partnership, [new]) if b.assignment_id is None]


def _held_query(partnership_id: uuid.UUID) -> Any:
    return (
        select(
            Assignment.id,
            Assignment.volunteer_id,
            Assignment.session_id,
            Assignment.role,
            Assignment.status,
            Session.starts_at,
            Session.ends_at,
        )
        .join(Session, Session.id == Assignment.session_id)
        .join(Activity, Activity.id == Session.activity_id)
        .where(Activity.partnership_id == partnership_id, Session.status == SessionStatus.SCHEDULED)
    )


def _hold(row: Any, in_scope: bool) -> _Hold:
    return _Hold(
        row.id, row.volunteer_id, row.session_id, row.role, row.status.value, row.starts_at, row.ends_at, in_scope
    )


def _week_span(first: dt.datetime, last: dt.datetime, zone: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
    start = first.astimezone(zone).date()
    end = last.astimezone(zone).date()
    monday = start - dt.timedelta(days=start.weekday())
    after = end + dt.timedelta(days=7 - end.weekday())
    return (
        dt.datetime.combine(monday, dt.time(0), tzinfo=zone).astimezone(dt.UTC),
        dt.datetime.combine(after, dt.time(0), tzinfo=zone).astimezone(dt.UTC),
    )


async def _evaluate(db: AsyncSession, partnership: Partnership, scope: list[_Hold]) -> list[Breach]:
    """Check the scope's holds, with everything else its volunteers and sessions hold in those weeks."""
    if not scope:
        return []
    zone = ZoneInfo(partnership.timezone)
    win_start, win_end = _week_span(min(h.starts_at for h in scope), max(h.ends_at for h in scope), zone)
    scope_sessions = {h.session_id for h in scope}
    scope_volunteers = {h.volunteer_id for h in scope}
    # Every slot of these volunteers in these weeks, and every slot on these sessions (for the roles' counts).
    others = (
        await db.execute(
            _held_query(partnership.id).where(
                Assignment.status.in_(_COUNTED),
                or_(
                    Assignment.session_id.in_(scope_sessions),
                    (Assignment.volunteer_id.in_(scope_volunteers))
                    & (Session.starts_at < win_end)
                    & (Session.ends_at > win_start),
                ),
            )
        )
    ).all()
    known = {h.assignment_id for h in scope if h.assignment_id}
    replaced = {(h.volunteer_id, h.session_id) for h in scope if h.assignment_id is None}
    holds = list(scope) + [
        _hold(r, False) for r in others if r.id not in known and (r.volunteer_id, r.session_id) not in replaced
    ]
    sessions = {h.session_id for h in holds}
    targets = [
        TargetRow(str(sid), str(aid), kind.value, group.involves_minors, starts, ends)
        for sid, aid, kind, group, starts, ends in (
            await db.execute(
                select(
                    Session.id, Activity.id, Activity.kind, Activity.target_group, Session.starts_at, Session.ends_at
                )
                .join(Activity, Activity.id == Session.activity_id)
                .where(Session.id.in_(sessions))
                .order_by(Session.starts_at, Session.id)
            )
        ).all()
    ]
    # Held slots are what is checked here, so they must not count as availability, pins or extra places.
    rows = await load_rows(db, partnership, targets, volunteer_ids={h.volunteer_id for h in holds}, with_held=False)
    built = assemble(rows)
    problem = matching.parse_problem(built.problem)
    breaches: list[Breach] = []

    def breach(h: _Hold, code: str, message: str) -> None:
        if h.in_scope and h.status != "completed":
            breaches.append(Breach(h.assignment_id, h.volunteer_id, h.session_id, h.role, code, message))

    volunteers = {v.id for v in problem.volunteers}
    roles = {(s.id, r.role) for s in problem.shifts for r in s.roles}
    planned: list[_Hold] = []
    for h in holds:
        if str(h.volunteer_id) not in volunteers:
            breach(h, "volunteer_inactive", f"{h.volunteer_id} no longer volunteers here")
        elif (str(h.session_id), h.role) not in roles:
            breach(h, "role_removed", f"{h.session_id} no longer needs a {h.role}")
        else:
            planned.append(h)
    by_pair = {(str(h.volunteer_id), str(h.session_id)): h for h in planned}
    plan = matching.parse_plan(
        {
            "format": "matching-plan/1",
            "status": "feasible",
            "assignments": [
                {"volunteer": str(h.volunteer_id), "shift": str(h.session_id), "role": h.role} for h in planned
            ],
        }
    )
    give_way_order = sorted(
        planned, key=lambda h: (not h.in_scope, _FIRMNESS.get(h.status, 1), -h.starts_at.timestamp())
    )
    shift_of = {s.id: s for s in problem.shifts}
    for v in matching.check(problem, plan):
        if v.code == "overlapping_shift" and v.volunteer and v.shift:
            second = shift_of[v.shift]
            clash = [
                h
                for h in give_way_order
                if str(h.volunteer_id) == v.volunteer and h.starts_at < second.end and h.ends_at > second.start
            ]
            # Of the overlapping holds, all but the firmest one give way.
            for h in clash[:-1]:
                breach(h, v.code, v.message)
        elif v.code == "weekly_cap" and v.volunteer:
            cap = next(x.max_minutes_per_week for x in problem.volunteers if x.id == v.volunteer)
            for h in _over_cap(give_way_order, v.volunteer, cap or 0, zone):
                breach(h, v.code, v.message)
        elif v.code == "role_overfilled" and v.shift and v.role:
            on_role = [h for h in give_way_order if str(h.session_id) == v.shift and h.role == v.role]
            places = next(r.count for r in shift_of[v.shift].roles if r.role == v.role)
            for h in on_role[: len(on_role) - places]:
                breach(h, v.code, v.message)
        elif v.volunteer and v.shift and (v.volunteer, v.shift) in by_pair:
            breach(by_pair[(v.volunteer, v.shift)], *relabel(v.code, v.message, v.volunteer, v.shift, built.no_consent))
    if not breaches:
        return []
    # Names and local times in place of the ids, looked up only when something breaks.
    names = await _names(db, holds, problem)
    return _unique([dataclasses.replace(b, message=names(b.message)) for b in breaches])


def _over_cap(order: Sequence[_Hold], volunteer: str, cap: int, zone: ZoneInfo) -> list[_Hold]:
    """The holds that give way, in `order`, until each of the volunteer's weeks is within the cap."""
    weeks: dict[tuple[int, int], list[_Hold]] = defaultdict(list)
    for h in order:
        if str(h.volunteer_id) == volunteer:
            year, week, _ = h.starts_at.astimezone(zone).isocalendar()
            weeks[(year, week)].append(h)
    out = []
    for holds in weeks.values():
        minutes = sum((h.ends_at - h.starts_at).total_seconds() / 60 for h in holds)
        for h in holds:
            if minutes <= cap:
                break
            out.append(h)
            minutes -= (h.ends_at - h.starts_at).total_seconds() / 60
    return out


def _unique(breaches: list[Breach]) -> list[Breach]:
    seen: set[tuple[Any, ...]] = set()
    out = []
    for b in breaches:
        key = (b.assignment_id, b.volunteer_id, b.session_id, b.code)
        if key not in seen:
            seen.add(key)
            out.append(b)
    return out


async def _names(db: AsyncSession, holds: list[_Hold], problem: matching.Problem) -> Any:
    """A function putting names and local times in place of the ids in the matcher's messages."""
    zone = problem.zone
    words: dict[str, str] = {}
    for vid, first, last in (
        await db.execute(
            select(VolunteerProfile.id, VolunteerProfile.first_name, VolunteerProfile.last_name).where(
                VolunteerProfile.id.in_({h.volunteer_id for h in holds})
            )
        )
    ).all():
        words[str(vid)] = f"{first} {last}".strip() or "a volunteer"
    for sid, name in (
        await db.execute(
            select(Session.id, Activity.name)
            .join(Activity, Activity.id == Session.activity_id)
            .where(Session.id.in_({h.session_id for h in holds}))
        )
    ).all():
        shift = next((s for s in problem.shifts if s.id == str(sid)), None)
        when = f" {shift.start.astimezone(zone):%Y-%m-%d %H:%M}" if shift else ""
        words[str(sid)] = f"{name}{when}"

    def replace(message: str) -> str:
        for key, word in words.items():
            if key in message:
                message = message.replace(key, word)
        return message[:1].upper() + message[1:]

    return replace
