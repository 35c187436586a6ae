"""`solve`: problem in, plan out."""

from __future__ import annotations

import itertools
import time

import numpy as np
from numpy.typing import NDArray

from matching.checking import validate_pins
from matching.eligibility import IntArray, Pairs, ProblemIndex, eligible_triples, index_for
from matching.explain import shortages
from matching.formulation import (
    FAIRNESS_SLOPES,
    SOFT_WEIGHTS,
    UNCAPPED_REFERENCE_MINUTES,
    Formulation,
    build,
    placeable,
)
from matching.greedy import greedy_plan
from matching.model import Assignment, Plan, Problem, SolverError, SolveStats, Status
from matching.solvers import run_goals

SOLVERS = ("highs", "cbc")


def solve(problem: Problem, *, time_limit: float | None = None, solver: str = "highs") -> Plan:
    """The best plan for `problem`: coverage first, then stability, then the soft goals.

    `time_limit` bounds the whole call in seconds (model building included); when it
    stops the search the plan still keeps every hard rule, its status is `feasible` and
    `stats.gap` says how far from proven the first unproven goal is.  Raises
    `ProblemError` for an invalid pin and `SolverError` if the solver fails.
    """
    started = time.perf_counter()
    if solver not in SOLVERS:
        raise SolverError(f"unknown solver {solver!r}: expected one of {', '.join(SOLVERS)}")
    deadline = None
    if time_limit is not None:
        # leave room for explaining the shortages and writing the plan
        deadline = started + time_limit - min(0.1 * time_limit, 5.0)
    validate_pins(problem)
    ix = index_for(problem)
    triples = placeable(ix, eligible_triples(ix))
    form = build(ix, triples)
    outcome = run_goals(form, solver, deadline, greedy_plan(ix, form))
    chosen = triples.take(outcome.chosen)
    assignments = _assignments(ix, chosen)
    status: Status = "optimal" if all(t.status == "optimal" for t in outcome.tiers) else "feasible"
    gap = next((t.gap for t in outcome.tiers if t.status != "optimal"), 0.0)
    explained = tuple(shortages(ix, chosen))
    objective = _objective(ix, form, outcome.chosen)
    stats = SolveStats(
        solver=solver,
        seconds=time.perf_counter() - started,
        gap=gap,
        variables=outcome.variables,
        constraints=outcome.constraints,
        tiers=outcome.tiers,
    )
    return Plan(status=status, assignments=assignments, shortages=explained, objective=objective, stats=stats)


def _assignments(ix: ProblemIndex, chosen: Pairs) -> tuple[Assignment, ...]:
    problem = ix.problem
    order = np.lexsort((chosen.volunteer, chosen.role))  # by shift and role, as in the problem
    out = []
    for t in order.tolist():
        s = int(chosen.shift[t])
        shift = problem.shifts[s]
        role = shift.roles[int(chosen.role[t]) - int(ix.shift_first_role[s])]
        out.append(Assignment(problem.volunteers[int(chosen.volunteer[t])].id, shift.id, role.role))
    return tuple(out)


def _consecutive_pairs(ix: ProblemIndex, t: Pairs, chosen: NDArray[np.bool_], activity: IntArray) -> int:
    """Continuity as the model counts it: for each volunteer and activity, the
    consecutive sessions (among those they could take) that they take both of."""
    sessions: dict[tuple[int, int], dict[int, bool]] = {}
    for v, s, c in zip(t.volunteer.tolist(), t.shift.tolist(), chosen.tolist(), strict=True):
        taken = sessions.setdefault((v, int(activity[s])), {})
        taken[s] = taken.get(s, False) or c
    start = ix.shift_start.tolist()
    pairs = 0
    for taken in sessions.values():
        ordered = sorted(taken, key=lambda s: (start[s], s))
        pairs += sum(1 for a, b in itertools.pairwise(ordered) if taken[a] and taken[b])
    return pairs


def _objective(ix: ProblemIndex, form: Formulation, chosen: NDArray[np.bool_]) -> dict[str, int | float]:
    """Each goal's value for the chosen triples, in its own unit."""
    t = form.triples
    picked = np.flatnonzero(chosen)
    v, s = t.volunteer[picked], t.shift[picked]
    names = {a: i for i, a in enumerate(sorted({sh.activity for sh in ix.problem.shifts}))}
    activity = np.array([names[sh.activity] for sh in ix.problem.shifts], dtype=np.int64)
    # per volunteer and ISO week, against the weekly cap (see formulation.FAIRNESS_SLOPES)
    weeks = max(len(ix.weeks), 1)
    minutes = np.bincount(v * weeks + ix.shift_week[s], weights=ix.shift_minutes[s], minlength=ix.n_volunteers * weeks)
    fairness = 0.0
    for slot in np.flatnonzero(minutes).tolist():
        cap = ix.problem.volunteers[slot // weeks].max_minutes_per_week
        quarter = max(1, round((UNCAPPED_REFERENCE_MINUTES if cap is None else cap) / 4))
        left = float(minutes[slot])
        for slope in FAIRNESS_SLOPES:
            fairness += slope * min(left, quarter)
            left = max(0.0, left - quarter)
    seeking = np.array([vol.seeking_work for vol in ix.problem.volunteers], dtype=bool)
    preferences = int(form.preference[picked].sum())
    employability = int(form.employability[picked].sum())
    employability_seeking = int((form.employability[picked] * seeking[v]).sum())
    if form.soft_terms is not None:
        taken = form.soft_terms.taken(chosen)
        continuity = int(np.count_nonzero(taken[form.soft_terms.pair_first] & taken[form.soft_terms.pair_second]))
    else:
        continuity = _consecutive_pairs(ix, t, chosen, activity)
    soft = (
        SOFT_WEIGHTS["preferences"] * preferences
        + SOFT_WEIGHTS["employability"] * employability
        + SOFT_WEIGHTS["employability_seeking_work"] * employability_seeking
        + SOFT_WEIGHTS["continuity"] * continuity
        + fairness
    )
    return {
        "coverage": int(ix.role_priority[t.role[picked]].sum()),
        "stability": int(np.isin(picked, form.previous).sum()),
        "continuity": continuity,
        "fairness": round(fairness, 3),
        "employability": employability,
        "preferences": preferences,
        "soft": round(soft, 3),
    }
