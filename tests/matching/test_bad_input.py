"""Every kind of bad input is refused with a message naming the field or id."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest

from matching import (
    Assignment,
    Plan,
    PlanError,
    ProblemError,
    check,
    load_plan,
    load_problem,
    parse_problem,
    why_not,
)


def valid(mk: Any) -> dict[str, Any]:
    data: dict[str, Any] = mk.problem_dict(
        [mk.volunteer("v-1"), mk.volunteer("v-2")], [mk.shift("s-1"), mk.shift("s-2")]
    )
    return data


Edit = Callable[[dict[str, Any]], None]


def _set(path: str, value: Any) -> Edit:
    def edit(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = data
        for key in parents:
            node = node[int(key)] if key.isdigit() else node[key]
        if last.isdigit():
            node[int(last)] = value
        else:
            node[last] = value

    return edit


def _delete(path: str) -> Edit:
    def edit(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = data
        for key in parents:
            node = node[int(key)] if key.isdigit() else node[key]
        del node[last]

    return edit


CASES: list[tuple[str, Edit, str]] = [
    ("wrong format", _set("format", "matching-problem/2"), "format: expected"),
    ("missing format", _delete("format"), "format: expected"),
    ("unknown timezone", _set("timezone", "Europe/Atlantis"), "timezone: unknown"),
    ("missing timezone", _delete("timezone"), "timezone: is required"),
    ("unknown top field", _set("planned", []), "planned: unknown field"),
    ("volunteers not a list", _set("volunteers", {}), "volunteers: must be a list"),
    ("missing shifts", _delete("shifts"), "shifts: is required"),
    ("volunteer not an object", _set("volunteers.0", "v-1"), "volunteers[0]: must be an object"),
    ("missing volunteer id", _delete("volunteers.1.id"), "volunteers[1].id: is required"),
    ("duplicate volunteer id", _set("volunteers.1.id", "v-1"), "volunteers[1].id: duplicate volunteer id 'v-1'"),
    ("bad birth date", _set("volunteers.0.birth_date", "1990-13-01"), "volunteers[0].birth_date: must be an ISO date"),
    ("skills not strings", _set("volunteers.0.skills", [1]), "volunteers[0].skills: must be"),
    (
        "negative cap",
        _set("volunteers.0.max_minutes_per_week", -5),
        "volunteers[0].max_minutes_per_week: must be at least 0",
    ),
    (
        "cap not an int",
        _set("volunteers.0.max_minutes_per_week", "240"),
        "volunteers[0].max_minutes_per_week: must be an integer",
    ),
    (
        "seeking_work not a bool",
        _set("volunteers.0.seeking_work", "yes"),
        "volunteers[0].seeking_work: must be true or false",
    ),
    (
        "time without offset",
        _set("volunteers.0.availability.0.0", "2026-03-17T00:00:00"),
        "volunteers[0].availability[0][0]: needs a UTC offset",
    ),
    (
        "window backwards",
        _set("volunteers.0.availability.0", ["2026-03-17T20:00:00+01:00", "2026-03-17T10:00:00+01:00"]),
        "volunteers[0].availability[0]: end must be after start",
    ),
    (
        "window not a pair",
        _set("volunteers.0.availability.0", ["2026-03-17T20:00:00+01:00"]),
        "volunteers[0].availability[0]: must be a pair",
    ),
    ("end before start", _set("shifts.1.end", "2026-03-17T16:00:00+01:00"), "shifts[1].end: must be after start"),
    ("end equals start", _set("shifts.1.end", "2026-03-17T17:00:00+01:00"), "shifts[1].end: must be after start"),
    ("not a time", _set("shifts.0.start", "tomorrow"), "shifts[0].start: not an ISO 8601 time"),
    ("duplicate shift id", _set("shifts.1.id", "s-1"), "shifts[1].id: duplicate shift id 's-1'"),
    ("missing roles", _delete("shifts.0.roles"), "shifts[0].roles: is required"),
    (
        "duplicate role",
        _set("shifts.0.roles", [{"role": "a"}, {"role": "a"}]),
        "shifts[0].roles[1].role: shift 's-1' already has a role 'a'",
    ),
    ("zero count", _set("shifts.0.roles.0.count", 0), "shifts[0].roles[0].count: must be at least 1"),
    ("zero priority", _set("shifts.0.roles.0.priority", 0), "shifts[0].roles[0].priority: must be at least 1"),
    ("unknown role field", _set("shifts.0.roles.0.skils", ["x"]), "shifts[0].roles[0].skils: unknown field"),
    ("bad policy", _set("policy", {"min_volunteer_age": "13"}), "policy.min_volunteer_age: must be an integer"),
    (
        "pin unknown volunteer",
        _set("pinned", [{"volunteer": "v-99", "shift": "s-1", "role": "helper"}]),
        "pinned[0].volunteer: unknown volunteer 'v-99'",
    ),
    (
        "pin unknown shift",
        _set("pinned", [{"volunteer": "v-1", "shift": "s-9", "role": "helper"}]),
        "pinned[0].shift: unknown shift 's-9'",
    ),
    (
        "pin unknown role",
        _set("pinned", [{"volunteer": "v-1", "shift": "s-1", "role": "cook"}]),
        "pinned[0].role: shift 's-1' has no role 'cook'",
    ),
    (
        "duplicate pin",
        _set("pinned", [{"volunteer": "v-1", "shift": "s-1", "role": "helper"}] * 2),
        "pinned[1]: duplicate pin",
    ),
    (
        "previous unknown volunteer",
        _set("previous", [{"volunteer": "v-7", "shift": "s-1", "role": "helper"}]),
        "previous[0].volunteer: unknown volunteer 'v-7'",
    ),
    (
        "excluded unknown shift",
        _set("excluded", [{"volunteer": "v-1", "shift": "s-7"}]),
        "excluded[0].shift: unknown shift 's-7'",
    ),
    ("excluded missing volunteer", _set("excluded", [{"shift": "s-1"}]), "excluded[0].volunteer: is required"),
]


@pytest.mark.parametrize("name, edit, message", CASES, ids=[c[0] for c in CASES])
def test_bad_problem_is_refused_naming_the_field(mk: Any, name: str, edit: Edit, message: str) -> None:
    data = copy.deepcopy(valid(mk))
    edit(data)
    with pytest.raises(ProblemError) as caught:
        parse_problem(data)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_valid_problem_parses(mk: Any) -> None:
    problem = parse_problem(valid(mk))
    assert [v.id for v in problem.volunteers] == ["v-1", "v-2"]


def test_not_json_is_refused() -> None:
    with pytest.raises(ProblemError, match="not valid JSON"):
        load_problem("{")
    with pytest.raises(ProblemError, match="document: must be an object"):
        load_problem("[]")


def test_bad_plans_are_refused(mk: Any) -> None:
    with pytest.raises(PlanError, match="format"):
        load_plan(json.dumps({"format": "matching-problem/1", "assignments": []}))
    with pytest.raises(PlanError, match=r"assignments\[0\].role: is required"):
        load_plan(json.dumps({"format": "matching-plan/1", "assignments": [{"volunteer": "v-1", "shift": "s-1"}]}))
    problem = parse_problem(valid(mk))
    stranger = Plan(status="feasible", assignments=(Assignment("v-9", "s-1", "helper"),))
    with pytest.raises(PlanError, match=r"assignments\[0\].volunteer: unknown volunteer 'v-9'"):
        check(problem, stranger)


def test_why_not_names_unknown_ids(mk: Any) -> None:
    problem = parse_problem(valid(mk))
    with pytest.raises(ProblemError, match="unknown volunteer 'v-9'"):
        why_not(problem, "v-9", "s-1", "helper")
    with pytest.raises(ProblemError, match="unknown shift 's-9'"):
        why_not(problem, "v-1", "s-9", "helper")
    with pytest.raises(ProblemError, match="has no role 'cook'"):
        why_not(problem, "v-1", "s-1", "cook")
