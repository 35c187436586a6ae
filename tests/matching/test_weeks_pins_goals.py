"""ISO weeks across the daylight-saving changes, pins, exclusions, `previous`, and the
strict order of the goals."""

from __future__ import annotations

from typing import Any

import pytest

from matching import Assignment, ProblemError, check, solve, validate_pins


def two_shifts_capped(mk: Any, first: tuple[str, str], second: tuple[str, str], cap: int) -> Any:
    v = mk.volunteer(
        max_minutes_per_week=cap, availability=[["2026-03-01T00:00:00+01:00", "2026-11-30T00:00:00+01:00"]]
    )
    return mk.problem([v], [mk.shift("s-1", *first), mk.shift("s-2", *second)])


@pytest.mark.parametrize(
    "first, second",
    [
        # spring: Sunday 29 March 2026 (clocks go 02:00 -> 03:00) and the Monday after
        (
            ("2026-03-29T23:00:00+02:00", "2026-03-29T23:45:00+02:00"),
            ("2026-03-30T00:15:00+02:00", "2026-03-30T01:00:00+02:00"),
        ),
        # autumn: Sunday 25 October 2026 (clocks go 03:00 -> 02:00) and the Monday after
        (
            ("2026-10-25T23:00:00+01:00", "2026-10-25T23:45:00+01:00"),
            ("2026-10-26T00:15:00+01:00", "2026-10-26T01:00:00+01:00"),
        ),
    ],
)
def test_monday_after_dst_change_starts_a_new_week(mk: Any, first: tuple[str, str], second: tuple[str, str]) -> None:
    # In UTC both shifts fall on the Sunday; in Stockholm they are in different weeks.
    p = two_shifts_capped(mk, first, second, cap=60)
    assert len(solve(p).assignments) == 2


@pytest.mark.parametrize(
    "first, second",
    [
        # Monday 00:30 local is still Sunday in UTC, but belongs to the week it starts
        (
            ("2026-03-23T00:30:00+01:00", "2026-03-23T01:15:00+01:00"),
            ("2026-03-29T10:00:00+02:00", "2026-03-29T10:45:00+02:00"),
        ),
        (
            ("2026-10-19T00:30:00+02:00", "2026-10-19T01:15:00+02:00"),
            ("2026-10-25T10:00:00+01:00", "2026-10-25T10:45:00+01:00"),
        ),
    ],
)
def test_week_of_the_dst_change_is_one_week(mk: Any, first: tuple[str, str], second: tuple[str, str]) -> None:
    p = two_shifts_capped(mk, first, second, cap=60)
    plan = solve(p)
    assert len(plan.assignments) == 1
    assert check(p, plan) == []
    both = plan.__class__(
        status="feasible", assignments=(Assignment("v-1", "s-1", "helper"), Assignment("v-1", "s-2", "helper"))
    )
    assert [v.code for v in check(p, both)] == ["weekly_cap"]


def test_minutes_across_the_spring_change_are_real_minutes(mk: Any) -> None:
    # 01:30 CET to 03:30 CEST is one hour of work, which fits a 60-minute cap
    v = mk.volunteer(max_minutes_per_week=60, availability=[["2026-03-29T00:00:00+01:00", "2026-03-30T00:00:00+02:00"]])
    p = mk.problem([v], [mk.shift(start="2026-03-29T01:30:00+01:00", end="2026-03-29T03:30:00+02:00")])
    assert len(solve(p).assignments) == 1


def test_pins_are_kept_even_when_coverage_suffers(mk: Any) -> None:
    # v-1 could fill both shifts' only places... pinned to the low-priority one instead
    p = mk.problem(
        [mk.volunteer()],
        [
            mk.shift("s-1", "2026-03-17T17:00:00+01:00", "2026-03-17T18:00:00+01:00"),
            mk.shift(
                "s-2",
                "2026-03-17T17:30:00+01:00",
                "2026-03-17T18:30:00+01:00",
                roles=[{"role": "helper", "priority": 3}],
            ),
        ],
        pinned=[{"volunteer": "v-1", "shift": "s-1", "role": "helper"}],
    )
    plan = solve(p)
    assert plan.assignments == (Assignment("v-1", "s-1", "helper"),)
    assert check(p, plan) == []
    without_pin = plan.__class__(status="feasible", assignments=())
    assert [v.code for v in check(p, without_pin)] == ["pin_missing"]


def test_pin_breaking_a_rule_makes_the_problem_invalid(mk: Any) -> None:
    p = mk.problem(
        [mk.volunteer(skills=[])],
        [mk.shift(roles=[{"role": "helper", "skills": ["first_aid"]}])],
        pinned=[{"volunteer": "v-1", "shift": "s-1", "role": "helper"}],
    )
    with pytest.raises(ProblemError, match=r"pinned\[0\].*first_aid"):
        solve(p)


def test_overlapping_pins_make_the_problem_invalid(mk: Any) -> None:
    p = mk.problem(
        [mk.volunteer()],
        [mk.shift("s-1"), mk.shift("s-2")],
        pinned=[
            {"volunteer": "v-1", "shift": "s-1", "role": "helper"},
            {"volunteer": "v-1", "shift": "s-2", "role": "helper"},
        ],
    )
    with pytest.raises(ProblemError, match="overlap"):
        validate_pins(p)


def test_too_many_pins_for_a_role_make_the_problem_invalid(mk: Any) -> None:
    p = mk.problem(
        [mk.volunteer("v-1"), mk.volunteer("v-2")],
        [mk.shift()],
        pinned=[
            {"volunteer": "v-1", "shift": "s-1", "role": "helper"},
            {"volunteer": "v-2", "shift": "s-1", "role": "helper"},
        ],
    )
    with pytest.raises(ProblemError, match="2 volunteers for 1 place"):
        solve(p)


def test_excluded_volunteer_leaves_the_place_to_another(mk: Any) -> None:
    p = mk.problem(
        [mk.volunteer("v-1"), mk.volunteer("v-2")], [mk.shift()], excluded=[{"volunteer": "v-1", "shift": "s-1"}]
    )
    assert solve(p).assignments == (Assignment("v-2", "s-1", "helper"),)


def test_previous_plan_is_kept_when_it_costs_nothing(mk: Any) -> None:
    volunteers = [mk.volunteer(f"v-{i}") for i in range(1, 5)]
    for previous in ("v-3", "v-4"):
        p = mk.problem(volunteers, [mk.shift()], previous=[{"volunteer": previous, "shift": "s-1", "role": "helper"}])
        plan = solve(p)
        assert plan.assignments == (Assignment(previous, "s-1", "helper"),)
        assert plan.objective["stability"] == 1


def test_stability_never_costs_coverage(mk: Any) -> None:
    # keeping v-1 in s-1 would leave s-2 (which only v-1 can take) empty
    p = mk.problem(
        [mk.volunteer("v-1", skills=["cooking"]), mk.volunteer("v-2")],
        [
            mk.shift("s-1"),
            mk.shift(
                "s-2",
                "2026-03-17T18:00:00+01:00",
                "2026-03-17T19:00:00+01:00",
                roles=[{"role": "helper", "skills": ["cooking"]}],
            ),
        ],
        previous=[{"volunteer": "v-1", "shift": "s-1", "role": "helper"}],
    )
    plan = solve(p)
    assert set(plan.assignments) == {Assignment("v-2", "s-1", "helper"), Assignment("v-1", "s-2", "helper")}
    assert plan.objective["coverage"] == 2 and plan.objective["stability"] == 0


def test_priority_weighs_coverage(mk: Any) -> None:
    p = mk.problem(
        [mk.volunteer()],
        [
            mk.shift("s-1", roles=[{"role": "helper", "priority": 1}]),
            mk.shift("s-2", roles=[{"role": "leader", "priority": 2}]),
        ],
    )
    plan = solve(p)
    assert plan.assignments == (Assignment("v-1", "s-2", "leader"),)
    assert plan.objective["coverage"] == 2


def test_soft_goals_never_cost_coverage_or_stability(mk: Any) -> None:
    # v-1 prefers the sport session and would learn from it, but the stability of
    # previous (v-2 there) and the coverage of s-2 come first
    p = mk.problem(
        [
            mk.volunteer("v-1", preferred_activity_types=["sport"], learning_goals=["coaching"], seeking_work=True),
            mk.volunteer("v-2"),
        ],
        [
            mk.shift("s-1", roles=[{"role": "helper", "develops": ["coaching"]}]),
            mk.shift("s-2", activity_type="culture"),
        ],
        previous=[{"volunteer": "v-2", "shift": "s-1", "role": "helper"}],
    )
    plan = solve(p)
    assert set(plan.assignments) == {Assignment("v-2", "s-1", "helper"), Assignment("v-1", "s-2", "helper")}


def test_preferences_and_employability_decide_between_equals(mk: Any) -> None:
    p = mk.problem(
        [mk.volunteer("v-1"), mk.volunteer("v-2", learning_goals=["coaching"], seeking_work=True)],
        [mk.shift(roles=[{"role": "helper", "develops": ["coaching"]}])],
    )
    assert solve(p).assignments == (Assignment("v-2", "s-1", "helper"),)
    q = mk.problem([mk.volunteer("v-1"), mk.volunteer("v-2", preferred_activity_types=["sport"])], [mk.shift()])
    assert solve(q).assignments == (Assignment("v-2", "s-1", "helper"),)


def test_continuity_keeps_the_same_person_on_an_activity(mk: Any) -> None:
    week = [["2026-03-16T00:00:00+01:00", "2026-03-30T00:00:00+02:00"]]
    p = mk.problem(
        [mk.volunteer("v-1", availability=week), mk.volunteer("v-2", availability=week)],
        [
            mk.shift("s-1", "2026-03-17T17:00:00+01:00", "2026-03-17T18:00:00+01:00"),
            mk.shift("s-2", "2026-03-24T17:00:00+01:00", "2026-03-24T18:00:00+01:00"),
        ],
    )
    plan = solve(p)
    assert len({a.volunteer for a in plan.assignments}) == 1
    assert plan.objective["continuity"] == 1


def test_fairness_is_measured_week_by_week(mk: Any) -> None:
    """Caps are weekly and so is fairness: in the week both are free, its two sessions go
    one to each, although v-2 works all of the next week (against the whole month, v-1
    would take both: v-2 is already a quarter into a month's worth of their cap)."""
    both = [["2026-03-16T00:00:00+01:00", "2026-03-30T00:00:00+02:00"]]
    first = [["2026-03-16T00:00:00+01:00", "2026-03-23T00:00:00+01:00"]]
    shifts = [
        mk.shift(f"s-{d}", f"2026-03-{d}T17:00:00+01:00", f"2026-03-{d}T18:00:00+01:00", activity=f"a-{d}")
        for d in (17, 18, 24, 25)
    ]
    p = mk.problem(
        [
            mk.volunteer("v-1", availability=first, max_minutes_per_week=240),
            mk.volunteer("v-2", availability=both, max_minutes_per_week=240),
        ],
        shifts,
    )
    plan = solve(p)
    assert plan.status == "optimal"
    assert sorted(a.volunteer for a in plan.assignments if a.shift in ("s-17", "s-18")) == ["v-1", "v-2"]
    assert sorted(a.volunteer for a in plan.assignments if a.shift in ("s-24", "s-25")) == ["v-2", "v-2"]
    # per week, a quarter of the cap (60 minutes) at 3 points a minute for each of them
    # in week 1, then 60 at 3 and 60 at 2 for v-2 in week 2
    assert plan.objective["fairness"] == 60 * 3 * 2 + 60 * 3 + 60 * 2


def test_fairness_spreads_minutes_across_people(mk: Any) -> None:
    week = [["2026-03-16T00:00:00+01:00", "2026-03-23T00:00:00+01:00"]]
    shifts = [
        mk.shift(f"s-{d}", f"2026-03-{d}T17:00:00+01:00", f"2026-03-{d}T18:30:00+01:00", activity=f"a-{d}")
        for d in (16, 17, 18, 19)
    ]
    p = mk.problem(
        [
            mk.volunteer("v-1", availability=week, max_minutes_per_week=360),
            mk.volunteer("v-2", availability=week, max_minutes_per_week=360),
        ],
        shifts,
    )
    plan = solve(p)
    per_person = [sum(1 for a in plan.assignments if a.volunteer == v) for v in ("v-1", "v-2")]
    assert per_person == [2, 2]
