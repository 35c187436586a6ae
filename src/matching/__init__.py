"""Staff shifts with volunteers: `matching-problem/1` in, a proven-optimal `matching-plan/1` out.

Public API::

    load_problem(text) / parse_problem(data) -> Problem     validate JSON (ProblemError)
    load_plan(text) / parse_plan(data) -> Plan              read a plan (PlanError)
    solve(problem, *, time_limit=None, solver="highs") -> Plan
    check(problem, plan) -> list[Violation]                 hard rules a plan breaks
    why_not(problem, volunteer_id, shift_id, role) -> list[Reason]
    eligible_volunteers(problem, shift_id, role) -> list[str]   rules 1-7, all volunteers at once
    validate_pins(problem)                                  raise ProblemError for a bad pin
    generate_problem(volunteers, shifts, *, weeks=4, seed=0) -> dict

Errors: MatchingError > ProblemError, PlanError, SolverError (see `matching.model`).
"""

from matching.candidates import eligible_volunteers
from matching.checking import check, validate_pins
from matching.explain import why_not
from matching.generate import generate_problem
from matching.loading import load_plan, load_problem, parse_plan, parse_problem
from matching.model import (
    Assignment,
    Exclusion,
    MatchingError,
    Plan,
    PlanError,
    Policy,
    Problem,
    ProblemError,
    Reason,
    Role,
    Shift,
    Shortage,
    SolverError,
    SolveStats,
    TierResult,
    Violation,
    Volunteer,
)
from matching.planning import solve

__all__ = [
    "Assignment",
    "Exclusion",
    "MatchingError",
    "Plan",
    "PlanError",
    "Policy",
    "Problem",
    "ProblemError",
    "Reason",
    "Role",
    "Shift",
    "Shortage",
    "SolveStats",
    "SolverError",
    "TierResult",
    "Violation",
    "Volunteer",
    "check",
    "eligible_volunteers",
    "generate_problem",
    "load_plan",
    "load_problem",
    "parse_plan",
    "parse_problem",
    "solve",
    "validate_pins",
    "why_not",
]
