"""Every empty place is explained: how many volunteers each rule turned away."""

from __future__ import annotations

from typing import Any

from matching import generate_problem, parse_problem, solve


def test_every_empty_place_has_a_counted_reason_per_volunteer(mk: Any) -> None:
    volunteers = [
        mk.volunteer("v-1", skills=[]),  # lacks the skill
        mk.volunteer("v-2", skills=["first_aid"], languages=["en"]),  # no Swedish
        mk.volunteer("v-3", skills=["first_aid"], background_check=None),  # no check
        mk.volunteer("v-4", skills=["first_aid"], background_check="2024-01-01"),  # expired
        mk.volunteer("v-5", skills=["first_aid"], availability=[]),  # not available
    ]
    p = mk.problem(
        volunteers,
        [mk.shift(children=True, roles=[{"role": "helper", "count": 2, "skills": ["first_aid"], "languages": ["sv"]}])],
    )
    plan = solve(p)
    assert plan.assignments == ()
    [shortage] = plan.shortages
    assert (shortage.shift, shortage.role, shortage.missing) == ("s-1", "helper", 2)
    counted = {r.code: r.count for r in shortage.reasons}
    assert counted == {
        "unavoidable": 0,
        "missing_skill": 1,
        "missing_language": 1,
        "not_available": 1,
        "no_valid_check": 2,
    }
    check_reason = next(r for r in shortage.reasons if r.code == "no_valid_check")
    assert check_reason.message == ("2 volunteers have the skills and time but no valid background check on 2026-03-17")
    assert shortage.reasons[0].message.startswith("Unavoidable: nobody meets")


def test_shortage_is_unavoidable_when_fewer_are_eligible_than_places(mk: Any) -> None:
    p = mk.problem(
        [mk.volunteer("v-1"), mk.volunteer("v-2", skills=[])], [mk.shift(roles=[{"role": "helper", "count": 3}])]
    )
    plan = solve(p)
    [shortage] = plan.shortages
    assert shortage.missing == 1
    unavoidable = shortage.reasons[0]
    assert unavoidable.code == "unavoidable"
    assert unavoidable.count == 2
    assert "only 2 volunteers meet every requirement for the 3 places" in unavoidable.message


def test_busy_volunteers_are_explained_against_the_plan(mk: Any) -> None:
    # Both shifts need one person; only v-1 exists and takes the higher priority.
    p = mk.problem(
        [mk.volunteer()],
        [mk.shift("s-1", roles=[{"role": "helper", "priority": 3}]), mk.shift("s-2", roles=[{"role": "helper"}])],
    )
    plan = solve(p)
    [shortage] = plan.shortages
    assert shortage.shift == "s-2"
    assert [(r.code, r.count) for r in shortage.reasons] == [("overlapping_shift", 1)]
    assert "already in an overlapping shift" in shortage.reasons[0].message


def test_no_shortage_when_everything_is_filled(mk: Any) -> None:
    plan = solve(mk.problem([mk.volunteer()], [mk.shift()]))
    assert plan.shortages == ()
    assert plan.to_dict()["shortages"] == []


def test_generated_problem_explains_every_missing_place() -> None:
    problem = parse_problem(generate_problem(60, 40, seed=5))
    plan = solve(problem)
    assert plan.status == "optimal"
    places = {(s.id, r.role): r.count for s in problem.shifts for r in s.roles}
    filled: dict[tuple[str, str], int] = {}
    for a in plan.assignments:
        filled[(a.shift, a.role)] = filled.get((a.shift, a.role), 0) + 1
    short = {(s.shift, s.role): s.missing for s in plan.shortages}
    for key, count in places.items():
        assert short.get(key, 0) == count - filled.get(key, 0)
    for shortage in plan.shortages:
        assert shortage.reasons, shortage
        total = sum(r.count or 0 for r in shortage.reasons if r.code != "unavoidable")
        # every volunteer not in the role is counted exactly once
        assert total == len(problem.volunteers) - filled.get((shortage.shift, shortage.role), 0)
        assert all(r.message[0].isupper() or r.message[0].isdigit() for r in shortage.reasons)


def test_the_greedy_start_keeps_every_hard_rule() -> None:
    from matching import Assignment, Plan, check
    from matching.eligibility import eligible_triples, index_for
    from matching.formulation import build
    from matching.greedy import greedy_plan

    problem = parse_problem(generate_problem(120, 90, seed=2))
    ix = index_for(problem)
    triples = eligible_triples(ix)
    chosen = triples.take(greedy_plan(ix, build(ix, triples)))
    plan = Plan(
        status="feasible",
        assignments=tuple(
            Assignment(
                problem.volunteers[v].id,
                problem.shifts[s].id,
                problem.shifts[s].roles[r - int(ix.shift_first_role[s])].role,
            )
            for v, r, s in zip(chosen.volunteer.tolist(), chosen.role.tolist(), chosen.shift.tolist(), strict=True)
        ),
    )
    assert len(plan.assignments) > 50
    assert check(problem, plan) == []
