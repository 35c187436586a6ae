"""Typed problem and plan models (`matching-problem/1`, `matching-plan/1`).

Exceptions, all raised by this package::

    MatchingError            base class
    ├── ProblemError         a problem is malformed, refers to unknown ids or has an invalid pin
    ├── PlanError            a plan is malformed
    └── SolverError          the solver failed or is not available

The models are frozen dataclasses.  Parsing and validation live in `loading`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

PROBLEM_FORMAT = "matching-problem/1"
PLAN_FORMAT = "matching-plan/1"

Status = Literal["optimal", "feasible"]


class MatchingError(Exception):
    """Base class of every error this package raises."""


class ProblemError(MatchingError, ValueError):
    """A problem is malformed; the message names the offending field or id."""


class PlanError(MatchingError, ValueError):
    """A plan is malformed; the message names the offending field."""


class SolverError(MatchingError, RuntimeError):
    """The solver failed or is not installed."""


@dataclass(frozen=True)
class Policy:
    """The partnership's child-safety and age policy."""

    background_check_valid_days: int = 365
    background_check_min_age: int = 15
    min_volunteer_age: int = 13


@dataclass(frozen=True)
class Volunteer:
    """A volunteer as the matcher sees them."""

    id: str
    birth_date: date | None = None
    skills: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    background_check: date | None = None
    availability: tuple[tuple[datetime, datetime], ...] = ()
    max_minutes_per_week: int | None = None
    preferred_activity_types: frozenset[str] = frozenset()
    learning_goals: frozenset[str] = frozenset()
    seeking_work: bool = False


@dataclass(frozen=True)
class Role:
    """A staffing need of one shift: `count` places that need the same things."""

    role: str
    count: int = 1
    skills: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    min_age: int | None = None
    priority: int = 1
    develops: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Shift:
    """One dated session of an activity (a *tillfälle*)."""

    id: str
    activity: str
    activity_type: str
    start: datetime
    end: datetime
    children: bool = False
    roles: tuple[Role, ...] = ()

    def role(self, name: str) -> Role | None:
        """The role called `name`, or None."""
        for role in self.roles:
            if role.role == name:
                return role
        return None


@dataclass(frozen=True, order=True)
class Assignment:
    """A volunteer in a role of a shift."""

    volunteer: str
    shift: str
    role: str

    def to_dict(self) -> dict[str, str]:
        """The JSON form."""
        return {"volunteer": self.volunteer, "shift": self.shift, "role": self.role}


@dataclass(frozen=True)
class Exclusion:
    """A volunteer and a shift that never meet."""

    volunteer: str
    shift: str


@dataclass(frozen=True, eq=False)
class Problem:
    """A staffing problem.  Compared by identity; build one with `parse_problem`."""

    timezone: str
    volunteers: tuple[Volunteer, ...]
    shifts: tuple[Shift, ...]
    policy: Policy = field(default_factory=Policy)
    pinned: tuple[Assignment, ...] = ()
    previous: tuple[Assignment, ...] = ()
    excluded: tuple[Exclusion, ...] = ()

    @property
    def zone(self) -> ZoneInfo:
        """The problem's time zone."""
        return ZoneInfo(self.timezone)


@dataclass(frozen=True)
class Reason:
    """Why a rule turns a volunteer away: a stable `code` and a sentence for a coordinator.

    `count` is how many volunteers the rule turned away (None when the reason is about
    one volunteer, as from `why_not`); `params` holds the numbers and names in the
    sentence so that the service can translate it by `code`.
    """

    code: str
    message: str
    count: int | None = None
    params: Mapping[str, str | int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form used in a plan's shortages."""
        out: dict[str, Any] = {"code": self.code}
        if self.count is not None:
            out["count"] = self.count
        out["message"] = self.message
        return out


@dataclass(frozen=True)
class Violation:
    """A hard rule (numbered as in the contract) that a plan breaks."""

    rule: int
    code: str
    message: str
    volunteer: str | None = None
    shift: str | None = None
    role: str | None = None

    def __str__(self) -> str:
        return f"rule {self.rule} ({self.code}): {self.message}"


@dataclass(frozen=True)
class Shortage:
    """Places of a role left empty, and why."""

    shift: str
    role: str
    missing: int
    reasons: tuple[Reason, ...]

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            "shift": self.shift,
            "role": self.role,
            "missing": self.missing,
            "reasons": [reason.to_dict() for reason in self.reasons],
        }


@dataclass(frozen=True)
class TierResult:
    """How one goal of the lexicographic order was solved."""

    goal: str
    status: Literal["optimal", "feasible", "skipped"]
    value: float
    bound: float
    gap: float
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            "goal": self.goal,
            "status": self.status,
            "value": _number(self.value),
            "bound": _number(self.bound),
            "gap": round(self.gap, 6),
            "seconds": round(self.seconds, 3),
        }


@dataclass(frozen=True)
class SolveStats:
    """Solver figures reported with a plan."""

    solver: str
    seconds: float
    gap: float
    variables: int
    constraints: int
    tiers: tuple[TierResult, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            "solver": self.solver,
            "seconds": round(self.seconds, 3),
            "gap": round(self.gap, 6),
            "variables": self.variables,
            "constraints": self.constraints,
            "tiers": [tier.to_dict() for tier in self.tiers],
        }


@dataclass(frozen=True)
class Plan:
    """A staffing plan: assignments, the shortages left and how sure we are of it."""

    status: Status
    assignments: tuple[Assignment, ...]
    shortages: tuple[Shortage, ...] = ()
    objective: Mapping[str, int | float] = field(default_factory=dict)
    stats: SolveStats | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON form, `matching-plan/1`."""
        out: dict[str, Any] = {
            "format": PLAN_FORMAT,
            "status": self.status,
            "assignments": [a.to_dict() for a in self.assignments],
            "shortages": [s.to_dict() for s in self.shortages],
            "objective": {k: _number(v) for k, v in self.objective.items()},
        }
        if self.stats is not None:
            out["stats"] = self.stats.to_dict()
        return out


def _number(value: float) -> int | float | None:
    """An integral float as an int, so that JSON shows `12`, not `12.0`; None if unknown."""
    if isinstance(value, int):
        return value
    if not math.isfinite(value):
        return None
    rounded = round(value)
    return int(rounded) if abs(value - rounded) < 1e-6 else round(value, 6)
