"""One case per hard rule where it bites: `solve` respects it, `why_not` names it, `check`
reports it in a hand-made plan, and the shortage explanation counts it."""

from __future__ import annotations

from typing import Any

import pytest

from matching import Assignment, Plan, Problem, check, solve, why_not


def codes(reasons: list[Any]) -> set[str]:
    return {r.code for r in reasons}


def hand_plan(*triples: tuple[str, str, str]) -> Plan:
    return Plan(status="feasible", assignments=tuple(Assignment(*t) for t in triples))


def assert_rule_bites(
    problem: Problem, code: str, rule: int, triple: tuple[str, str, str] = ("v-1", "s-1", "helper")
) -> None:
    plan = solve(problem)
    assert Assignment(*triple) not in plan.assignments
    assert code in codes(why_not(problem, *triple))
    broken = check(problem, hand_plan(triple))
    assert (rule, code) in {(v.rule, v.code) for v in broken}
    shortage = next(s for s in plan.shortages if (s.shift, s.role) == triple[1:])
    reason = next(r for r in shortage.reasons if r.code == code)
    assert reason.count == 1 and reason.message


def test_role_needs_every_skill(mk: Any) -> None:
    p = mk.problem(
        [mk.volunteer(skills=["first_aid"])], [mk.shift(roles=[{"role": "helper", "skills": ["first_aid", "cooking"]}])]
    )
    assert_rule_bites(p, "missing_skill", 1)
    assert "cooking" in why_not(p, "v-1", "s-1", "helper")[0].message


def test_volunteer_with_the_skills_is_placed(mk: Any) -> None:
    p = mk.problem(
        [mk.volunteer(skills=["first_aid", "cooking"])],
        [mk.shift(roles=[{"role": "helper", "skills": ["first_aid", "cooking"]}])],
    )
    assert solve(p).assignments == (Assignment("v-1", "s-1", "helper"),)
    assert why_not(p, "v-1", "s-1", "helper") == []


def test_role_needs_every_language(mk: Any) -> None:
    p = mk.problem(
        [mk.volunteer(languages=["sv", "en"])], [mk.shift(roles=[{"role": "helper", "languages": ["sv", "ar"]}])]
    )
    assert_rule_bites(p, "missing_language", 2)


def test_too_young_for_the_roles_minimum_age_on_the_shift_date(mk: Any) -> None:
    # turns 18 the day after the shift
    p = mk.problem([mk.volunteer(birth_date="2008-03-18")], [mk.shift(roles=[{"role": "helper", "min_age": 18}])])
    assert_rule_bites(p, "too_young", 3)


def test_old_enough_on_the_birthday_itself(mk: Any) -> None:
    p = mk.problem([mk.volunteer(birth_date="2008-03-17")], [mk.shift(roles=[{"role": "helper", "min_age": 18}])])
    assert len(solve(p).assignments) == 1


def test_unknown_age_never_meets_a_minimum_age(mk: Any) -> None:
    v = mk.volunteer()
    del v["birth_date"]
    p = mk.problem([v], [mk.shift(roles=[{"role": "helper", "min_age": 16}])])
    assert_rule_bites(p, "unknown_age", 3)


def test_nobody_under_the_minimum_volunteer_age(mk: Any) -> None:
    p = mk.problem([mk.volunteer(birth_date="2013-06-01")], [mk.shift()])  # 12 years old
    assert_rule_bites(p, "under_min_volunteer_age", 3)


def test_childrens_shift_needs_a_background_check(mk: Any) -> None:
    p = mk.problem([mk.volunteer(background_check=None)], [mk.shift(children=True)])
    assert_rule_bites(p, "no_valid_check", 4)


def test_background_check_expires_after_the_valid_days(mk: Any) -> None:
    # 2025-03-16 + 365 days = 2026-03-16, the day before the shift
    p = mk.problem([mk.volunteer(background_check="2025-03-16")], [mk.shift(children=True)])
    assert_rule_bites(p, "no_valid_check", 4)
    valid = mk.problem([mk.volunteer(background_check="2025-03-17")], [mk.shift(children=True)])
    assert len(solve(valid).assignments) == 1


def test_background_check_from_after_the_shift_does_not_count(mk: Any) -> None:
    p = mk.problem([mk.volunteer(background_check="2026-03-18")], [mk.shift(children=True)])
    assert_rule_bites(p, "no_valid_check", 4)


def test_unknown_age_needs_a_check_for_children(mk: Any) -> None:
    v = mk.volunteer(background_check=None)
    del v["birth_date"]
    p = mk.problem([v], [mk.shift(children=True)])
    assert_rule_bites(p, "no_valid_check", 4)


def test_fourteen_year_old_needs_no_check(mk: Any) -> None:
    p = mk.problem([mk.volunteer(birth_date="2011-06-01", background_check=None)], [mk.shift(children=True)])
    assert len(solve(p).assignments) == 1


def test_policy_changes_the_check_age(mk: Any) -> None:
    p = mk.problem(
        [mk.volunteer(birth_date="2011-06-01", background_check=None)],
        [mk.shift(children=True)],
        policy={"background_check_min_age": 14},
    )
    assert_rule_bites(p, "no_valid_check", 4)


def test_under_16_works_only_until_20(mk: Any) -> None:
    p = mk.problem(
        [mk.volunteer(birth_date="2011-01-01")],
        [mk.shift(start="2026-03-17T19:00:00+01:00", end="2026-03-17T20:30:00+01:00")],
    )
    assert_rule_bites(p, "minor_hours", 5)
    ok = mk.problem(
        [mk.volunteer(birth_date="2011-01-01")],
        [mk.shift(start="2026-03-17T18:00:00+01:00", end="2026-03-17T20:00:00+01:00")],
    )
    assert len(solve(ok).assignments) == 1


def test_under_16_not_before_six(mk: Any) -> None:
    p = mk.problem(
        [mk.volunteer(birth_date="2011-01-01")],
        [mk.shift(start="2026-03-17T05:30:00+01:00", end="2026-03-17T07:00:00+01:00")],
    )
    assert_rule_bites(p, "minor_hours", 5)


def test_sixteen_and_seventeen_work_until_22_but_not_later(mk: Any) -> None:
    ok = mk.problem(
        [mk.volunteer(birth_date="2009-01-01")],
        [mk.shift(start="2026-03-17T20:00:00+01:00", end="2026-03-17T22:00:00+01:00")],
    )
    assert len(solve(ok).assignments) == 1
    late = mk.problem(
        [mk.volunteer(birth_date="2009-01-01")],
        [mk.shift(start="2026-03-17T21:00:00+01:00", end="2026-03-17T22:30:00+01:00")],
    )
    assert_rule_bites(late, "minor_hours", 5)


def test_minors_never_past_midnight(mk: Any) -> None:
    v = mk.volunteer(birth_date="2009-01-01", availability=[["2026-03-17T00:00:00+01:00", "2026-03-19T00:00:00+01:00"]])
    p = mk.problem([v], [mk.shift(start="2026-03-17T21:00:00+01:00", end="2026-03-18T01:00:00+01:00")])
    assert_rule_bites(p, "minor_hours", 5)


def test_minors_hours_are_local_time(mk: Any) -> None:
    # 18:30 UTC is 20:30 in Stockholm in summer time: too late for a 15-year-old
    p = mk.problem(
        [mk.volunteer(birth_date="2011-01-01", availability=[["2026-06-10T00:00:00Z", "2026-06-11T00:00:00Z"]])],
        [mk.shift(start="2026-06-10T17:00:00Z", end="2026-06-10T18:30:00Z")],
    )
    assert_rule_bites(p, "minor_hours", 5)


def test_shift_must_lie_inside_one_availability_window(mk: Any) -> None:
    p = mk.problem(
        [mk.volunteer(availability=[["2026-03-17T17:30:00+01:00", "2026-03-17T20:00:00+01:00"]])], [mk.shift()]
    )
    assert_rule_bites(p, "not_available", 6)


def test_two_touching_windows_do_not_make_one(mk: Any) -> None:
    p = mk.problem(
        [
            mk.volunteer(
                availability=[
                    ["2026-03-17T16:00:00+01:00", "2026-03-17T17:45:00+01:00"],
                    ["2026-03-17T17:45:00+01:00", "2026-03-17T20:00:00+01:00"],
                ]
            )
        ],
        [mk.shift()],
    )
    assert_rule_bites(p, "not_available", 6)


def test_window_found_among_many_of_one_volunteer(mk: Any) -> None:
    windows = [[f"2026-03-{d:02d}T16:00:00+01:00", f"2026-03-{d:02d}T21:00:00+01:00"] for d in range(10, 25)]
    windows.insert(0, ["2026-03-01T00:00:00+01:00", "2026-03-02T00:00:00+01:00"])
    p = mk.problem([mk.volunteer(availability=windows)], [mk.shift()])
    assert len(solve(p).assignments) == 1


def test_excluded_pair_never_meets(mk: Any) -> None:
    p = mk.problem([mk.volunteer()], [mk.shift()], excluded=[{"volunteer": "v-1", "shift": "s-1"}])
    assert_rule_bites(p, "excluded", 7)


def test_at_most_count_per_role(mk: Any) -> None:
    p = mk.problem([mk.volunteer(f"v-{i}") for i in range(1, 4)], [mk.shift(roles=[{"role": "helper", "count": 2}])])
    plan = solve(p)
    assert len(plan.assignments) == 2
    broken = check(p, hand_plan(("v-1", "s-1", "helper"), ("v-2", "s-1", "helper"), ("v-3", "s-1", "helper")))
    assert [v.code for v in broken] == ["role_overfilled"]
    others = [Assignment("v-1", "s-1", "helper"), Assignment("v-2", "s-1", "helper")]
    assert "role_full" in codes(why_not(p, "v-3", "s-1", "helper", assignments=others))


def test_one_role_per_shift(mk: Any) -> None:
    p = mk.problem([mk.volunteer()], [mk.shift(roles=[{"role": "helper"}, {"role": "cook"}])])
    plan = solve(p)
    assert len(plan.assignments) == 1
    broken = check(p, hand_plan(("v-1", "s-1", "helper"), ("v-1", "s-1", "cook")))
    assert "two_roles_in_shift" in {v.code for v in broken}
    shortage = plan.shortages[0]
    assert [r.code for r in shortage.reasons] == ["already_in_shift"]


def test_overlapping_shifts_are_never_both_taken(mk: Any) -> None:
    p = mk.problem(
        [mk.volunteer()],
        [
            mk.shift("s-1", "2026-03-17T17:00:00+01:00", "2026-03-17T18:30:00+01:00"),
            mk.shift(
                "s-2",
                "2026-03-17T18:00:00+01:00",
                "2026-03-17T19:00:00+01:00",
                roles=[{"role": "helper", "priority": 2}],
            ),
        ],
    )
    plan = solve(p)
    assert plan.assignments == (Assignment("v-1", "s-2", "helper"),)  # the higher priority
    assert [r.code for r in plan.shortages[0].reasons] == ["overlapping_shift"]
    broken = check(p, hand_plan(("v-1", "s-1", "helper"), ("v-1", "s-2", "helper")))
    assert [(v.rule, v.code) for v in broken] == [(9, "overlapping_shift")]
    assert codes(why_not(p, "v-1", "s-1", "helper", assignments=[Assignment("v-1", "s-2", "helper")])) == {
        "overlapping_shift"
    }


def test_back_to_back_shifts_do_not_overlap(mk: Any) -> None:
    p = mk.problem(
        [mk.volunteer()],
        [
            mk.shift("s-1", "2026-03-17T16:00:00+01:00", "2026-03-17T17:00:00+01:00"),
            mk.shift("s-2", "2026-03-17T17:00:00+01:00", "2026-03-17T18:00:00+01:00"),
        ],
    )
    assert len(solve(p).assignments) == 2


def test_a_long_shift_overlapping_two_short_ones(mk: Any) -> None:
    p = mk.problem(
        [mk.volunteer()],
        [
            mk.shift(
                "s-1",
                "2026-03-17T16:00:00+01:00",
                "2026-03-17T20:00:00+01:00",
                roles=[{"role": "helper", "priority": 3}],
            ),
            mk.shift("s-2", "2026-03-17T16:30:00+01:00", "2026-03-17T17:00:00+01:00"),
            mk.shift("s-3", "2026-03-17T19:00:00+01:00", "2026-03-17T19:30:00+01:00"),
        ],
    )
    plan = solve(p)
    assert plan.assignments == (Assignment("v-1", "s-1", "helper"),)
    assert check(p, plan) == []


def test_weekly_cap(mk: Any) -> None:
    v = mk.volunteer(
        max_minutes_per_week=120, availability=[["2026-03-16T00:00:00+01:00", "2026-03-23T00:00:00+01:00"]]
    )
    p = mk.problem(
        [v],
        [
            mk.shift("s-1", "2026-03-17T17:00:00+01:00", "2026-03-17T18:30:00+01:00"),
            mk.shift("s-2", "2026-03-19T17:00:00+01:00", "2026-03-19T18:30:00+01:00"),
        ],
    )
    plan = solve(p)
    assert len(plan.assignments) == 1
    assert [r.code for r in plan.shortages[0].reasons] == ["weekly_cap"]
    broken = check(p, hand_plan(("v-1", "s-1", "helper"), ("v-1", "s-2", "helper")))
    assert [(v.rule, v.code) for v in broken] == [(10, "weekly_cap")]
    reasons = why_not(p, "v-1", "s-2", "helper", assignments=[Assignment("v-1", "s-1", "helper")])
    assert codes(reasons) == {"weekly_cap"}
    assert reasons[0].params["minutes"] == 180


@pytest.mark.parametrize("cap, expected", [(90, 1), (89, 0)])
def test_weekly_cap_is_inclusive(mk: Any, cap: int, expected: int) -> None:
    p = mk.problem([mk.volunteer(max_minutes_per_week=cap)], [mk.shift()])
    assert len(solve(p).assignments) == expected
