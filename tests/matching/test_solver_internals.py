"""The pieces that make the city size fast: a tightened model and proofs from the LP."""

from __future__ import annotations

import math
import time
from typing import Any

import numpy as np
import pytest

from matching import check, generate_problem, parse_problem, solve
from matching.backends import HighsBackend
from matching.eligibility import eligible_triples, index_for
from matching.formulation import Columns, Linear, Rows, build, placeable
from matching.greedy import greedy_plan
from matching.solvers import _extend, _soft_by_component, run_goals


def _knapsack() -> tuple[Columns, Rows, Linear]:
    """max 5a + 4b + 3c subject to 2a + 2b + 2c <= 3 (a, b, c binary): LP 7, integer 5."""
    columns = Columns([0.0] * 3, [1.0] * 3, [True] * 3)
    rows = Rows()
    rows.add([0, 1, 2], [2.0, 2.0, 2.0], -math.inf, 3.0)
    return columns, rows, Linear(np.array([0, 1, 2], dtype=np.int32), np.array([5.0, 4.0, 3.0]))


def test_dual_bound_holds_for_any_multipliers_and_is_tight_at_the_lp_duals() -> None:
    columns, rows, _ = _knapsack()
    backend = HighsBackend(columns, rows)
    cost = np.array([5.0, 4.0, 3.0])
    backend.h.changeColsCost(3, np.arange(3, dtype=np.int32), cost)
    relaxed = backend._relaxation(cost, None)
    assert relaxed is not None
    assert abs(relaxed[1] - 7.0) < 1e-9
    matrix = backend._rows()
    lower, upper = backend.col_lower, backend.col_upper
    for y in (0.0, 0.5, 1.0, 2.5, -1.0):
        # every multiplier gives an upper bound on the integer (and LP) optimum
        assert matrix.dual_bound(cost, np.array([y]), lower, upper, 1) >= 7.0 - 1e-9


def test_solution_reaching_the_rounded_bound_is_proven_without_search() -> None:
    columns, rows, goal = _knapsack()
    attempt = HighsBackend(columns, rows).maximise(goal, None, np.array([1.0, 0.0, 0.0]))
    assert attempt.proven
    assert attempt.values is not None
    assert float(attempt.values @ np.array([5.0, 4.0, 3.0])) == 5.0
    assert math.floor(attempt.bound) == 5


def test_search_finds_the_optimum_from_a_poor_start() -> None:
    columns, rows, goal = _knapsack()
    attempt = HighsBackend(columns, rows).maximise(goal, None, np.array([0.0, 0.0, 1.0]))
    assert attempt.proven
    assert attempt.values is not None
    assert list(np.round(attempt.values)) == [1.0, 0.0, 0.0]


def _capped(mk: Any) -> Any:
    day = "2026-03-17T{}:00+01:00"
    shifts = [
        mk.shift("s-long", day.format("08:00"), day.format("11:00")),  # 180 minutes
        mk.shift("s-a", day.format("12:00"), day.format("13:30")),  # 90
        mk.shift("s-b", day.format("14:00"), day.format("15:30")),  # 90
        mk.shift("s-c", day.format("16:00"), day.format("17:30")),  # 90
    ]
    morning = [[day.format("08:00"), day.format("11:00")]]
    volunteers = [mk.volunteer("v-1", max_minutes_per_week=120), mk.volunteer("v-2", availability=morning)]
    return mk.problem(volunteers, shifts)


def test_shift_longer_than_the_cap_is_never_a_column(mk: Any) -> None:
    ix = index_for(_capped(mk))
    triples = eligible_triples(ix)
    kept = placeable(ix, triples)
    ids = {(ix.problem.volunteers[v].id, ix.problem.shifts[s].id) for v, s in zip(kept.volunteer, kept.shift)}
    assert ("v-1", "s-long") not in ids
    assert ("v-2", "s-long") in ids
    assert len(kept.volunteer) == len(triples.volunteer) - 1


def test_week_rows_count_the_shifts_that_can_fit(mk: Any) -> None:
    ix = index_for(_capped(mk))
    form = build(ix, placeable(ix, eligible_triples(ix)))
    mine = set(np.flatnonzero(form.triples.volunteer == 0).tolist())
    rows = [(*form.rows.row(i), form.rows.upper[i]) for i in range(len(form.rows))]
    week = [(index, value, upper) for index, value, upper in rows if set(index) == mine]
    # the knapsack (90-minute shifts in units of 30 minutes under a cap of 4) and "at most one"
    assert sorted((tuple(value), upper) for _, value, upper in week) == [((1.0,) * 3, 1.0), ((3.0,) * 3, 4.0)]


def test_capped_volunteer_gets_one_shift_and_coverage_is_proven(mk: Any) -> None:
    plan = solve(_capped(mk))
    assert plan.status == "optimal"
    taken = [a.shift for a in plan.assignments if a.volunteer == "v-1"]
    assert len(taken) == 1
    assert plan.objective["coverage"] == 2
    assert check(_capped(mk), plan) == []


def test_soft_goals_by_week_keep_every_rule_and_bound_the_optimum() -> None:
    """With a time limit the soft goals are solved week by week first: the plan keeps
    every rule and the goals before them, and its bound is never below the optimum."""
    problem = parse_problem(generate_problem(80, 48, weeks=3, seed=4))
    exact = solve(problem)
    assert exact.status == "optimal"
    ix = index_for(problem)
    form = build(ix, placeable(ix, eligible_triples(ix)))
    first = run_goals(form, "highs", None, greedy_plan(ix, form))
    assert [t.status for t in first.tiers] == ["optimal"] * 3
    form = build(ix, placeable(ix, eligible_triples(ix)))
    form.goals = form.goals[:1]
    hard = run_goals(form, "highs", None, greedy_plan(ix, form))
    values = _extend(hard.chosen.astype(np.float64), form.rows, form.n_triples, form.columns)
    split = _soft_by_component(form, values, time.perf_counter() + 30)
    assert form.soft_terms is not None
    start = form.soft_terms.value(hard.chosen)
    assert start <= split.value <= exact.objective["soft"] <= split.bound < math.inf
    plan = solve(problem, time_limit=30)
    assert check(problem, plan) == []
    assert plan.objective["coverage"] == exact.objective["coverage"]
    assert plan.objective["stability"] == exact.objective["stability"]
    assert plan.objective["soft"] <= exact.objective["soft"]


def test_soft_goals_are_skipped_with_a_time_limit_above_the_size_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    """A problem too big for the soft goals within a time limit still gets a plan that
    keeps every rule with coverage and stability proven; the soft goals say skipped and
    the gap is reported as 1."""
    import matching.solvers

    problem = parse_problem(generate_problem(60, 30, weeks=1, seed=2))
    exact = solve(problem, time_limit=20)
    assert exact.status == "optimal"
    monkeypatch.setattr(matching.solvers, "SOFT_MAX_COLUMNS", 10)
    capped = solve(problem, time_limit=20)
    assert check(problem, capped) == []
    assert capped.status == "feasible" and capped.stats.gap == 1.0
    assert capped.objective["coverage"] == exact.objective["coverage"]
    assert capped.objective["stability"] == exact.objective["stability"]
    assert [t.status for t in capped.stats.tiers if t.goal == "soft"] == ["skipped"]
    assert solve(problem).status == "optimal"  # without a time limit the cap does not apply


def test_one_week_with_a_time_limit_is_proven_like_without() -> None:
    problem = parse_problem(generate_problem(60, 30, weeks=1, seed=2))
    exact = solve(problem)
    limited = solve(problem, time_limit=20)
    assert limited.status == exact.status == "optimal"
    assert limited.objective["soft"] == exact.objective["soft"]
    assert check(problem, limited) == []


def test_each_highs_run_gets_its_own_time_limit() -> None:
    """HiGHS holds `time_limit` against the run time of all runs of an instance: a
    second run with the same seconds must be given more than the first."""

    rows = Rows()
    rows.add([0, 1], [1.0, 1.0], -math.inf, 1.0)
    backend = HighsBackend(Columns([0.0, 0.0], [1.0, 1.0], [True, True]), rows)
    limits, run_times = [], []
    for _ in range(2):
        run_times.append(backend.h.getRunTime())
        backend._time_limit(5.0)
        value = backend.h.getOptionValue("time_limit")
        limits.append(value[1] if isinstance(value, tuple) else value)  # (status, value)
        backend.h.run()
    assert run_times[1] > run_times[0]
    assert limits == [pytest.approx(run_times[0] + 5.0), pytest.approx(run_times[1] + 5.0)]
