"""Turn the rows a match run loads from the database into a `matching-problem/1`.

Pure and picklable: no database, no ORM objects, only plain rows in and a dict out, so
that the CPU-heavy part (availability expanded for every volunteer, the problem's
dicts) runs in the solver's worker process instead of on the server's event loop.
Imports nothing but the standard library and the availability rules.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from volunteers.people.availability import DatedException, WeeklyRule, expand_availability, merge

# Assignment statuses as stored (the values of `AssignmentStatus`).
PINNED = frozenset({"accepted", "confirmed", "completed"})
OPEN = frozenset({"proposed"})
HOLDS_SLOT = PINNED | OPEN


class TargetRow(NamedTuple):
    """A session the run staffs."""

    session_id: str
    activity_id: str
    activity_type: str
    children: bool
    starts_at: dt.datetime
    ends_at: dt.datetime


class NeedRow(NamedTuple):
    """A staffing need: the activity's (session_id empty) or one session's."""

    activity_id: str
    session_id: str | None
    role: str
    count: int  # type: ignore[assignment]  # shadows tuple.count on purpose: nothing calls the method
    skills: list[str]
    languages: list[str]
    min_age: int | None
    priority: int
    develops: list[str]


class HeldRow(NamedTuple):
    """An assignment (any status) in a scheduled session of the run's weeks."""

    volunteer_id: str
    role: str
    status: str
    excludes: bool  # the volunteer said no to this session: never propose it again
    session_id: str
    activity_id: str
    activity_type: str
    starts_at: dt.datetime
    ends_at: dt.datetime


class VolunteerRow(NamedTuple):
    id: str
    languages: list[str]
    preferred_activity_kinds: list[str]
    learning_goals: list[str]
    seeking_work: bool
    birth_date: dt.date | None
    max_minutes_per_week: int | None
    # A guardian's consent is on record (only asked of those under GUARDIAN_AGE).
    guardian_consent: bool = True


# Under this age on a session's date a volunteer needs a guardian's consent on record to be placed.
GUARDIAN_AGE = 16
# The rule code for a place refused or released for want of that consent (the matching
# contract has no field for it: the service excludes the pair, and names the reason itself).
GUARDIAN_CONSENT = "guardian_consent"


@dataclass
class ProblemRows:
    """Everything a problem is built from, as loaded by `problem.load_rows`."""

    policy: dict[str, Any]
    timezone: str
    first_day: dt.date
    last_day: dt.date
    targets: list[TargetRow]
    needs: list[NeedRow] = field(default_factory=list)
    held: list[HeldRow] = field(default_factory=list)
    volunteers: list[VolunteerRow] = field(default_factory=list)
    # (profile id, weekday, start, end, valid_from, valid_until)
    rules: list[tuple[str, int, dt.time, dt.time, dt.date | None, dt.date | None]] = field(default_factory=list)
    # (profile id, available, date_from, date_to, start, end)
    exceptions: list[tuple[str, bool, dt.date, dt.date, dt.time | None, dt.time | None]] = field(default_factory=list)
    skills: list[tuple[str, str]] = field(default_factory=list)  # (profile id, skill code), stated or endorsed
    checks: list[tuple[str, dt.date]] = field(default_factory=list)  # (profile id, latest check seen)
    vetoes: list[tuple[str, str]] = field(default_factory=list)  # (volunteer id, activity id)


@dataclass
class BuiltProblem:
    problem: dict[str, Any]
    target_sessions: list[str]
    context_sessions: list[str] = field(default_factory=list)
    warnings: list[dict[str, str]] = field(default_factory=list)
    # (volunteer, shift) pairs excluded because a minor has no guardian's consent on record.
    no_consent: set[tuple[str, str]] = field(default_factory=set)


def age_on(birth: dt.date, day: dt.date) -> int:
    """Whole years of age on a day."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def no_consent_message(volunteer: str, shift: str) -> str:
    """The coordinator's sentence for a pair excluded for want of a guardian's consent (ids, named later)."""
    return f"{volunteer} is under {GUARDIAN_AGE} on {shift} and no guardian's consent is on record"


def relabel(
    code: str, message: str, volunteer: str | None, shift: str | None, no_consent: set[tuple[str, str]]
) -> tuple[str, str]:
    """The matcher's `excluded` for a pair excluded only for want of consent, named as what it is."""
    if code == "excluded" and volunteer and shift and (volunteer, shift) in no_consent:
        return GUARDIAN_CONSENT, no_consent_message(volunteer, shift)
    return code, message


def empty_problem(timezone: str, policy: dict[str, Any]) -> dict[str, Any]:
    return {
        "format": "matching-problem/1",
        "timezone": timezone,
        "policy": dict(policy),
        "volunteers": [],
        "shifts": [],
        "pinned": [],
        "previous": [],
        "excluded": [],
    }


def effective_roles(needs: list[NeedRow], targets: list[TargetRow]) -> dict[str, list[dict[str, Any]]]:
    """Each target session's roles: the activity's needs, a session's own need replacing the activity's role.

    The same rule as `activities.services.effective_needs`, applied to all sessions at once.
    """
    of_activity: dict[str, dict[str, NeedRow]] = defaultdict(dict)
    of_session: dict[str, dict[str, NeedRow]] = defaultdict(dict)
    for n in needs:
        if n.session_id is None:
            of_activity[n.activity_id][n.role] = n
        else:
            of_session[n.session_id][n.role] = n
    out = {}
    for t in targets:
        by_role = {**of_activity.get(t.activity_id, {}), **of_session.get(t.session_id, {})}
        out[t.session_id] = [_role_dict(by_role[r]) for r in sorted(by_role)]
    return out


def _role_dict(need: NeedRow) -> dict[str, Any]:
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


def assemble(rows: ProblemRows) -> BuiltProblem:
    """The matching problem for the rows' target sessions, with every volunteer of the partnership.

    The target sessions are open to the matcher; every other session of the same weeks
    where a volunteer holds a slot is context, pinned, so the matcher sees each
    volunteer's real week (no overlap, weekly caps) without being able to move them.
    """
    zone = ZoneInfo(rows.timezone)
    target_ids = [t.session_id for t in rows.targets]
    if not rows.targets:
        return BuiltProblem(problem=empty_problem(rows.timezone, rows.policy), target_sessions=[])

    # Formatting a datetime in the zone is most of the work for a city: do it once per moment.
    iso_cache: dict[dt.datetime, str] = {}

    def iso(moment: dt.datetime) -> str:
        text = iso_cache.get(moment)
        if text is None:
            text = iso_cache[moment] = moment.astimezone(zone).isoformat()
        return text

    def shift(sid: str, aid: str, kind: str, children: bool, start: dt.datetime, end: dt.datetime, roles: Any) -> Any:
        return {
            "id": sid,
            "activity": aid,
            "activity_type": kind,
            "start": iso(start),
            "end": iso(end),
            "children": children,
            "roles": roles,
        }

    roles_of = effective_roles(rows.needs, rows.targets)
    shifts: dict[str, dict[str, Any]] = {
        t.session_id: shift(
            t.session_id, t.activity_id, t.activity_type, t.children, t.starts_at, t.ends_at, roles_of[t.session_id]
        )
        for t in rows.targets
    }

    pinned: list[dict[str, str]] = []
    previous: list[dict[str, str]] = []
    excluded: list[dict[str, str]] = []
    context_roles: dict[str, Counter[str]] = defaultdict(Counter)
    context_rows: dict[str, HeldRow] = {}
    busy_with_pin: dict[str, list[tuple[dt.datetime, dt.datetime]]] = defaultdict(list)
    for h in rows.held:
        if h.session_id in shifts:  # a target (context shifts are added after this loop)
            if h.status in PINNED:
                # A target's held slot is checked against today's availability like any other rule:
                # one that no longer fits is dropped from the pins with a warning (`drop_broken_pins`).
                pinned.append({"volunteer": h.volunteer_id, "shift": h.session_id, "role": h.role})
            elif h.status in OPEN:
                previous.append({"volunteer": h.volunteer_id, "shift": h.session_id, "role": h.role})
            elif h.excludes:
                excluded.append({"volunteer": h.volunteer_id, "shift": h.session_id})
        elif h.status in HOLDS_SLOT:
            # A slot outside the target sessions: pinned context, so the week is real.
            context_roles[h.session_id][h.role] += 1
            context_rows[h.session_id] = h
            pinned.append({"volunteer": h.volunteer_id, "shift": h.session_id, "role": h.role})
            busy_with_pin[h.volunteer_id].append((h.starts_at, h.ends_at))
    for sid, counts in context_roles.items():
        h = context_rows[sid]
        # Context slots are only there for time and weekly caps: no rule of their own to break.
        roles = [{"role": r, "count": c} for r, c in sorted(counts.items())]
        shifts[sid] = shift(sid, h.activity_id, h.activity_type, False, h.starts_at, h.ends_at, roles)

    sessions_of: dict[str, list[str]] = defaultdict(list)
    for t in rows.targets:
        sessions_of[t.activity_id].append(t.session_id)
    for vid, aid in rows.vetoes:
        excluded += [{"volunteer": vid, "shift": sid} for sid in sessions_of[aid]]
    # A minor without a guardian's consent on record is not placed on a session before they turn 16.
    no_consent: set[tuple[str, str]] = set()
    first_day = min(t.starts_at for t in rows.targets).astimezone(zone).date()
    for p in rows.volunteers:
        # Adults have no consent on record and need none: only those under 16 on the first day are looked at.
        if p.guardian_consent or p.birth_date is None or age_on(p.birth_date, first_day) >= GUARDIAN_AGE:
            continue
        for t in rows.targets:
            if age_on(p.birth_date, t.starts_at.astimezone(zone).date()) < GUARDIAN_AGE:
                no_consent.add((p.id, t.session_id))
    excluded += [{"volunteer": v, "shift": s} for v, s in sorted(no_consent)]

    rules: dict[str, list[WeeklyRule]] = defaultdict(list)
    for pid, weekday, start, end, valid_from, valid_until in rows.rules:
        rules[pid].append(WeeklyRule(weekday, start, end, valid_from, valid_until))
    exceptions: dict[str, list[DatedException]] = defaultdict(list)
    for pid, available, date_from, date_to, start_t, end_t in rows.exceptions:
        exceptions[pid].append(DatedException(available, date_from, date_to, start_t, end_t))
    skills: dict[str, set[str]] = defaultdict(set)
    for pid, code in rows.skills:
        skills[pid].add(code)
    checks = dict(rows.checks)

    volunteers = []
    for p in rows.volunteers:
        own_rules, own_exceptions = rules.get(p.id, ()), exceptions.get(p.id, ())
        intervals = expand_availability(own_rules, own_exceptions, rows.first_day, rows.last_day, zone)
        # A volunteer who holds a slot is available for it: they said yes to that time.
        intervals += busy_with_pin.get(p.id, [])
        v: dict[str, Any] = {
            "id": p.id,
            "skills": sorted(skills.get(p.id, ())),
            "languages": sorted(p.languages),
            "availability": [[iso(a), iso(b)] for a, b in merge(intervals)],
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

    # A slot held in a target for a role the session no longer lists is not pinned (the run
    # warns, publishing releases it); context shifts list exactly the roles held there.
    warnings: list[dict[str, str]] = []
    kept_pins = []
    for pin in pinned:
        if any(r["role"] == pin["role"] for r in shifts[pin["shift"]]["roles"]):
            kept_pins.append(pin)
        else:
            warnings.append(
                {
                    "volunteer": pin["volunteer"],
                    "shift": pin["shift"],
                    "code": "role_removed",
                    "message": f"{pin['shift']} no longer needs a {pin['role']}",
                }
            )
            excluded.append({"volunteer": pin["volunteer"], "shift": pin["shift"]})
    pinned = kept_pins

    open_roles = {sid: {r["role"] for r in sh["roles"]} for sid, sh in shifts.items()}
    previous = [p for p in previous if p["role"] in open_roles[p["shift"]]]

    problem = empty_problem(rows.timezone, rows.policy)
    problem.update(
        volunteers=volunteers,
        shifts=list(shifts.values()),
        pinned=pinned,
        previous=previous,
        excluded=_unique(excluded),
    )
    targets = set(target_ids)
    return BuiltProblem(
        problem=problem,
        target_sessions=target_ids,
        context_sessions=[sid for sid in shifts if sid not in targets],
        warnings=warnings,
        no_consent=no_consent,
    )


def _unique(pairs: list[dict[str, str]]) -> list[dict[str, str]]:
    seen: set[tuple[str, str]] = set()
    out = []
    for p in pairs:
        key = (p["volunteer"], p["shift"])
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out
