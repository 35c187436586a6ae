"""Reading problems and plans from JSON, validating every field on the way.

Every error is a `ProblemError` (or `PlanError`) whose message starts with the path of
the offending field, e.g. ``shifts[3].end: must be after start`` or
``pinned[0].volunteer: unknown volunteer 'v-99'``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from matching.model import (
    PLAN_FORMAT,
    PROBLEM_FORMAT,
    Assignment,
    Exclusion,
    MatchingError,
    Plan,
    PlanError,
    Policy,
    Problem,
    ProblemError,
    Role,
    Shift,
    Volunteer,
)

T = TypeVar("T")

_PROBLEM_KEYS = {"format", "timezone", "policy", "volunteers", "shifts", "pinned", "previous", "excluded"}
_POLICY_KEYS = {"background_check_valid_days", "background_check_min_age", "min_volunteer_age"}
_VOLUNTEER_KEYS = {
    "id",
    "birth_date",
    "skills",
    "languages",
    "background_check",
    "availability",
    "max_minutes_per_week",
    "preferred_activity_types",
    "learning_goals",
    "seeking_work",
}
_SHIFT_KEYS = {"id", "activity", "activity_type", "start", "end", "children", "roles"}
_ROLE_KEYS = {"role", "count", "skills", "languages", "min_age", "priority", "develops"}


class _Reader:
    """Typed access to one JSON object, naming the path in every error."""

    def __init__(self, data: object, path: str, error: type[MatchingError]) -> None:
        self.error = error
        self.path = path
        if not isinstance(data, dict):
            raise error(f"{path or 'document'}: must be an object")
        self.data: dict[str, Any] = data

    def fail(self, key: str, message: str) -> MatchingError:
        return self.error(f"{self._at(key)}: {message}")

    def _at(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def only(self, allowed: set[str]) -> None:
        for key in self.data:
            if key not in allowed:
                raise self.fail(key, "unknown field")

    def has(self, key: str) -> bool:
        return self.data.get(key) is not None

    def _get(self, key: str, required: bool) -> Any:
        if key not in self.data or self.data[key] is None:
            if required:
                raise self.fail(key, "is required")
            return None
        return self.data[key]

    def text(self, key: str, *, required: bool = True, default: str = "") -> str:
        value = self._get(key, required)
        if value is None:
            return default
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, "must be a non-empty string")
        return value

    def integer(self, key: str, default: int | None, *, minimum: int = 0) -> int | None:
        value = self._get(key, False)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(key, "must be an integer")
        if value < minimum:
            raise self.fail(key, f"must be at least {minimum}")
        return value

    def flag(self, key: str) -> bool:
        value = self._get(key, False)
        if value is None:
            return False
        if not isinstance(value, bool):
            raise self.fail(key, "must be true or false")
        return value

    def words(self, key: str) -> frozenset[str]:
        value = self._get(key, False)
        if value is None:
            return frozenset()
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise self.fail(key, "must be a list of non-empty strings")
        return frozenset(value)

    def day(self, key: str) -> date | None:
        value = self._get(key, False)
        if value is None:
            return None
        try:
            if not isinstance(value, str) or len(value) != 10:
                raise ValueError
            return date.fromisoformat(value)
        except ValueError:
            raise self.fail(key, f"must be an ISO date like 2026-03-17, not {value!r}") from None

    def moment(self, key: str) -> datetime:
        return parse_moment(self._get(key, True), self._at(key), self.error)

    def items(self, key: str, *, required: bool = False) -> list[tuple[str, Any]]:
        value = self._get(key, required)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(key, "must be a list")
        return [(f"{self._at(key)}[{i}]", item) for i, item in enumerate(value)]


def parse_moment(value: object, path: str, error: type[MatchingError] = ProblemError) -> datetime:
    """An ISO 8601 time with a UTC offset."""
    if not isinstance(value, str):
        raise error(f"{path}: must be an ISO 8601 time string")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise error(f"{path}: not an ISO 8601 time: {value!r}") from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise error(f"{path}: needs a UTC offset, like 2026-03-17T17:00:00+01:00")
    return moment


def load_problem(text: str | bytes) -> Problem:
    """Parse and validate a `matching-problem/1` JSON document."""
    return parse_problem(_decode(text, ProblemError))


def load_plan(text: str | bytes) -> Plan:
    """Parse a `matching-plan/1` JSON document (only what `check` needs is validated)."""
    return parse_plan(_decode(text, PlanError))


def _decode(text: str | bytes, error: type[MatchingError]) -> Any:
    try:
        return json.loads(text)
    except (ValueError, UnicodeDecodeError) as exc:
        raise error(f"not valid JSON: {exc}") from None


def parse_problem(data: object) -> Problem:
    """Validate a decoded `matching-problem/1` document and build a `Problem`.

    Checks structure, types and references; `solve`, `check` and `validate_pins`
    additionally check that the pins keep the hard rules.
    """
    top = _Reader(data, "", ProblemError)
    top.only(_PROBLEM_KEYS)
    fmt = top.data.get("format")
    if fmt != PROBLEM_FORMAT:
        raise ProblemError(f"format: expected {PROBLEM_FORMAT!r}, got {fmt!r}")
    timezone = top.text("timezone")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ProblemError(f"timezone: unknown time zone {timezone!r}") from None
    policy = _policy(top.data.get("policy"))
    volunteers = _unique(top.items("volunteers", required=True), _volunteer, "volunteer")
    shifts = _unique(top.items("shifts", required=True), _shift, "shift")
    by_volunteer = {v.id: v for v in volunteers}
    by_shift = {s.id: s for s in shifts}
    pinned = tuple(_assignment(p, item, by_volunteer, by_shift, ProblemError) for p, item in top.items("pinned"))
    _no_repeats(pinned, "pinned", "pin")
    previous = tuple(_assignment(p, item, by_volunteer, by_shift, ProblemError) for p, item in top.items("previous"))
    excluded = tuple(_exclusion(p, item, by_volunteer, by_shift) for p, item in top.items("excluded"))
    return Problem(
        timezone=timezone,
        volunteers=volunteers,
        shifts=shifts,
        policy=policy,
        pinned=pinned,
        previous=previous,
        excluded=excluded,
    )


def _policy(data: object) -> Policy:
    if data is None:
        return Policy()
    r = _Reader(data, "policy", ProblemError)
    r.only(_POLICY_KEYS)
    default = Policy()
    return Policy(
        background_check_valid_days=_int(r.integer("background_check_valid_days", default.background_check_valid_days)),
        background_check_min_age=_int(r.integer("background_check_min_age", default.background_check_min_age)),
        min_volunteer_age=_int(r.integer("min_volunteer_age", default.min_volunteer_age)),
    )


def _int(value: int | None) -> int:
    assert value is not None
    return value


def _unique(items: list[tuple[str, Any]], build: Callable[[str, Any], T], kind: str) -> tuple[T, ...]:
    seen: set[str] = set()
    out: list[T] = []
    for path, item in items:
        thing = build(path, item)
        ident: str = getattr(thing, "id")  # noqa: B009
        if ident in seen:
            raise ProblemError(f"{path}.id: duplicate {kind} id {ident!r}")
        seen.add(ident)
        out.append(thing)
    return tuple(out)


def _volunteer(path: str, data: object) -> Volunteer:
    r = _Reader(data, path, ProblemError)
    r.only(_VOLUNTEER_KEYS)
    windows: list[tuple[datetime, datetime]] = []
    for wpath, window in r.items("availability"):
        if not isinstance(window, list) or len(window) != 2:
            raise ProblemError(f"{wpath}: must be a pair [start, end]")
        start = parse_moment(window[0], f"{wpath}[0]")
        end = parse_moment(window[1], f"{wpath}[1]")
        if end <= start:
            raise ProblemError(f"{wpath}: end must be after start")
        windows.append((start, end))
    return Volunteer(
        id=r.text("id"),
        birth_date=r.day("birth_date"),
        skills=r.words("skills"),
        languages=r.words("languages"),
        background_check=r.day("background_check"),
        availability=tuple(windows),
        max_minutes_per_week=r.integer("max_minutes_per_week", None),
        preferred_activity_types=r.words("preferred_activity_types"),
        learning_goals=r.words("learning_goals"),
        seeking_work=r.flag("seeking_work"),
    )


def _shift(path: str, data: object) -> Shift:
    r = _Reader(data, path, ProblemError)
    r.only(_SHIFT_KEYS)
    ident = r.text("id")
    start = r.moment("start")
    end = r.moment("end")
    if end <= start:
        raise ProblemError(f"{path}.end: must be after start")
    roles: list[Role] = []
    for rpath, item in r.items("roles", required=True):
        role = _role(rpath, item)
        if any(other.role == role.role for other in roles):
            raise ProblemError(f"{rpath}.role: shift {ident!r} already has a role {role.role!r}")
        roles.append(role)
    return Shift(
        id=ident,
        activity=r.text("activity"),
        activity_type=r.text("activity_type"),
        start=start,
        end=end,
        children=r.flag("children"),
        roles=tuple(roles),
    )


def _role(path: str, data: object) -> Role:
    r = _Reader(data, path, ProblemError)
    r.only(_ROLE_KEYS)
    return Role(
        role=r.text("role"),
        count=_int(r.integer("count", 1, minimum=1)),
        skills=r.words("skills"),
        languages=r.words("languages"),
        min_age=r.integer("min_age", None),
        priority=_int(r.integer("priority", 1, minimum=1)),
        develops=r.words("develops"),
    )


def _assignment(
    path: str,
    data: object,
    volunteers: Mapping[str, Volunteer],
    shifts: Mapping[str, Shift],
    error: type[MatchingError],
) -> Assignment:
    r = _Reader(data, path, error)
    r.only({"volunteer", "shift", "role"})
    volunteer, shift_id, role = r.text("volunteer"), r.text("shift"), r.text("role")
    if volunteer not in volunteers:
        raise r.fail("volunteer", f"unknown volunteer {volunteer!r}")
    shift = shifts.get(shift_id)
    if shift is None:
        raise r.fail("shift", f"unknown shift {shift_id!r}")
    if shift.role(role) is None:
        raise r.fail("role", f"shift {shift_id!r} has no role {role!r}")
    return Assignment(volunteer, shift_id, role)


def _exclusion(path: str, data: object, volunteers: Mapping[str, Volunteer], shifts: Mapping[str, Shift]) -> Exclusion:
    r = _Reader(data, path, ProblemError)
    r.only({"volunteer", "shift"})
    volunteer, shift = r.text("volunteer"), r.text("shift")
    if volunteer not in volunteers:
        raise r.fail("volunteer", f"unknown volunteer {volunteer!r}")
    if shift not in shifts:
        raise r.fail("shift", f"unknown shift {shift!r}")
    return Exclusion(volunteer, shift)


def _no_repeats(assignments: tuple[Assignment, ...], path: str, kind: str) -> None:
    seen: set[Assignment] = set()
    for i, a in enumerate(assignments):
        if a in seen:
            raise ProblemError(f"{path}[{i}]: duplicate {kind} of {a.volunteer!r} to {a.shift!r} as {a.role!r}")
        seen.add(a)


def parse_plan(data: object) -> Plan:
    """Build a `Plan` from a decoded `matching-plan/1` document."""
    top = _Reader(data, "", PlanError)
    fmt = top.data.get("format")
    if fmt != PLAN_FORMAT:
        raise PlanError(f"format: expected {PLAN_FORMAT!r}, got {fmt!r}")
    status = top.data.get("status", "feasible")
    if status not in ("optimal", "feasible"):
        raise PlanError(f"status: expected 'optimal' or 'feasible', got {status!r}")
    assignments: list[Assignment] = []
    for path, item in top.items("assignments", required=True):
        r = _Reader(item, path, PlanError)
        assignments.append(Assignment(r.text("volunteer"), r.text("shift"), r.text("role")))
    return Plan(status=status, assignments=tuple(assignments))
