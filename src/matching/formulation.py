"""The staffing model in PuLP: one binary per eligible (volunteer, shift, role) triple.

Rows:

- role: at most `count` volunteers per role (only where more are eligible);
- clique: for every volunteer and every start of one of their eligible shifts, the
  shifts running at that moment take at most one of their roles.  One row per maximal
  clique of the volunteer's interval graph replaces one row per overlapping pair, and
  it also says "one role per shift";
- week: the seconds of the shifts a volunteer starts in an ISO week (in the problem's
  time zone) stay within `max_minutes_per_week` (only where the cap can bind);
- continuity and fairness: links for the soft goals (see `SOFT_WEIGHTS`).

Pins are variables with lower bound 1; exclusions never become variables.

The goals, in the contract's strict order, are three objectives that `solvers` solves one
after the other, fixing each optimum before the next: coverage (priority of filled
places), stability (kept `previous` assignments), then one weighted soft objective.
Every goal takes integer values at integer points, which lets the solvers prove each
optimum exactly (an absolute gap below 1).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pulp  # type: ignore[import-untyped]

from matching.eligibility import IntArray, Pairs, ProblemIndex, word_bits
from matching.model import Assignment

# Points per unit of each soft goal; they only ever trade against each other, never
# against coverage or stability, which are fixed before the soft goals are optimised.
SOFT_WEIGHTS = {
    "preferences": 600,  # per assignment to an activity type the volunteer prefers
    "employability": 1200,  # per assignment whose role develops one of their learning goals
    "employability_seeking_work": 1200,  # on top of that when they are seeking work
    "continuity": 900,  # per session beyond a volunteer's first in the same activity
}
# Fairness: a concave reward per minute of a volunteer's load: 3 points a minute in the
# first quarter of their reference load, 2 in the second, 1 in the third, 0 beyond.
# The reference is their weekly cap (or UNCAPPED_REFERENCE_MINUTES) times the weeks of
# the problem, so minutes go first to those furthest below their own cap.
FAIRNESS_SLOPES = (3, 2, 1)
UNCAPPED_REFERENCE_MINUTES = 600


@dataclass(frozen=True)
class Goal:
    """One objective to maximise, made of contract goals weighted so that none can trade
    a unit of the one before it; `rows` are constraints only this objective needs."""

    name: str
    expression: Any  # pulp.LpAffineExpression
    parts: tuple[tuple[str, Any, int], ...]  # (contract goal, expression, weight)
    rows: tuple[Any, ...] = ()


@dataclass(frozen=True)
class Formulation:
    """A built model: the PuLP problem, its columns and the goals in order."""

    model: Any  # pulp.LpProblem
    triples: Pairs
    columns: list[Any]  # every LpVariable in column order; the first len(triples) are x
    goals: list[Goal]  # in strict order
    pinned: IntArray  # triple indices
    previous: IntArray
    preference: IntArray  # 0/1 per triple
    employability: IntArray  # 0/1 per triple

    @property
    def n_triples(self) -> int:
        return len(self.triples.volunteer)


def triple_positions(ix: ProblemIndex, triples: Pairs, assignments: Sequence[Assignment]) -> IntArray:
    """The triple index of every assignment that is an eligible triple (others dropped)."""
    keys = triples.volunteer * max(ix.n_roles, 1) + triples.role
    wanted = np.array(
        [ix.volunteer_pos[a.volunteer] * max(ix.n_roles, 1) + ix.role_pos[(a.shift, a.role)] for a in assignments],
        dtype=np.int64,
    )
    at = np.searchsorted(keys, wanted)
    found = at < len(keys)
    found[found] = keys[at[found]] == wanted[found]
    return np.asarray(at[found], dtype=np.int64)


def build(ix: ProblemIndex, triples: Pairs) -> Formulation:
    """The PuLP model of a problem whose eligible triples are `triples`."""
    model = pulp.LpProblem("staffing", pulp.LpMaximize)
    n = len(triples.volunteer)
    x = [model.add_variable(f"x{i}", 0, 1, pulp.LpBinary) for i in range(n)]
    pinned = triple_positions(ix, triples, ix.problem.pinned)
    for t in pinned.tolist():
        x[t].lowBound = 1
    previous = triple_positions(ix, triples, ix.problem.previous)
    columns: list[Any] = list(x)

    filled = _role_rows(model, ix, triples, x, columns)
    _clique_rows(model, ix, triples, x)
    _week_rows(model, ix, triples, x)

    # Goals are sums of integer aggregates, not of the binaries themselves: HiGHS
    # partitions the binaries of an objective into cliques before it starts, which
    # takes minutes on a city-sized model, and with the aggregates it has nothing to do.
    coverage = pulp.LpAffineExpression([(f, int(ix.role_priority[r])) for r, f in filled.items()])
    stability, kept_rows = _aggregate(model, "kept", [(x[t], 1) for t in previous.tolist()], columns)
    for row in kept_rows:
        model.addConstraint(row)
    # Stability lies in [0, len(previous)], so with coverage weighted len(previous) + 1
    # one unit of coverage outweighs any stability: one solve settles both goals in
    # their strict order, and every coefficient stays a small integer.
    first = pulp.LpAffineExpression()
    weight = len(previous) + 1
    for var, coef in coverage.items():
        first.addterm(var, coef * weight)
    for var, coef in stability.items():
        first.addterm(var, coef)

    preference, employability = _affinities(ix, triples)
    seeking = np.array([v.seeking_work for v in ix.problem.volunteers], dtype=bool)
    reward = np.asarray(
        SOFT_WEIGHTS["preferences"] * preference
        + SOFT_WEIGHTS["employability"] * employability
        + SOFT_WEIGHTS["employability_seeking_work"] * employability * seeking[triples.volunteer].astype(np.int64),
        dtype=np.int64,
    )
    soft_rows: list[Any] = []
    soft_terms = _continuity(model, ix, triples, x, columns, soft_rows)
    soft_terms += _fairness(model, ix, triples, x, columns, soft_rows)
    per_role: dict[int, list[tuple[Any, int]]] = {}
    for t, (w, r) in enumerate(zip(reward.tolist(), triples.role.tolist(), strict=True)):
        if w:
            per_role.setdefault(r, []).append((x[t], w))
    soft = pulp.LpAffineExpression()
    for var, coef in soft_terms:
        soft.addterm(var, coef)
    for r, terms in per_role.items():
        total, rows = _aggregate(model, f"reward{r}", terms, columns)
        soft_rows += rows
        for var, coef in total.items():
            soft.addterm(var, coef)
    goals = [
        Goal("coverage+stability", first, (("coverage", coverage, weight), ("stability", stability, 1))),
        Goal("soft", soft, (("soft", soft, 1),), tuple(soft_rows)),
    ]
    model.setObjective(first)
    return Formulation(model, triples, columns, goals, pinned, previous, preference, employability)


def _add(model: Any, name: str, terms: list[tuple[Any, int]], sense: int, rhs: float) -> None:
    model.addConstraint(_row(name, terms, sense, rhs))


def _groups(keys: IntArray) -> tuple[IntArray, list[int], list[int]]:
    """Order that sorts `keys`, with the [start, end) bounds of each run of equal keys."""
    order = np.argsort(keys, kind="stable")
    if len(keys) == 0:
        return order, [], []
    sorted_keys = keys[order]
    cut = np.flatnonzero(sorted_keys[1:] != sorted_keys[:-1]) + 1
    starts = [0, *cut.tolist()]
    ends = [*cut.tolist(), len(keys)]
    return order, starts, ends


def _role_rows(model: Any, ix: ProblemIndex, triples: Pairs, x: list[Any], columns: list[Any]) -> dict[int, Any]:
    """filled[r] = the volunteers in role r, an integer at most its `count`."""
    order, starts, ends = _groups(triples.role)
    roles = triples.role[order].tolist()
    idx = order.tolist()
    filled: dict[int, Any] = {}
    for a, b in zip(starts, ends, strict=True):
        r = roles[a]
        f = model.add_variable(f"filled{r}", 0, min(int(ix.role_count[r]), b - a), pulp.LpInteger)
        columns.append(f)
        filled[r] = f
        _add(model, f"role{r}", [*((x[t], 1) for t in idx[a:b]), (f, -1)], pulp.LpConstraintEQ, 0)
    return filled


def _row(name: str, terms: list[tuple[Any, int]], sense: int, rhs: float) -> Any:
    return pulp.LpConstraint(pulp.LpAffineExpression(terms), sense, name, rhs)


def _aggregate(model: Any, name: str, terms: list[tuple[Any, int]], columns: list[Any]) -> tuple[Any, list[Any]]:
    """An integer variable equal to a sum of weighted binaries, and the row saying so."""
    if not terms:
        return pulp.LpAffineExpression(), []
    total = model.add_variable(name, 0, sum(w for _, w in terms), pulp.LpInteger)
    columns.append(total)
    return (pulp.LpAffineExpression([(total, 1)]), [_row(name, [*terms, (total, -1)], pulp.LpConstraintEQ, 0)])


def _clique_rows(model: Any, ix: ProblemIndex, triples: Pairs, x: list[Any]) -> None:
    """One row per volunteer and shift start where the shifts running then overlap."""
    start = ix.shift_start[triples.shift]
    order = np.lexsort((triples.shift, start, triples.volunteer))
    vol = triples.volunteer[order].tolist()
    st = start[order].tolist()
    en = ix.shift_end[triples.shift][order].tolist()
    idx = order.tolist()
    n, i, row = len(idx), 0, 0
    while i < n:
        v, j = vol[i], i
        active: list[int] = []  # positions (into idx) of triples running now
        while j < n and vol[j] == v:
            now = st[j]
            active = [k for k in active if en[k] > now]
            while j < n and vol[j] == v and st[j] == now:
                active.append(j)
                j += 1
            # The clique at `now` is maximal unless the next start keeps all of it.
            nxt = st[j] if j < n and vol[j] == v else None
            if len(active) > 1 and (nxt is None or min(en[k] for k in active) <= nxt):
                _add(model, f"clique{row}", [(x[idx[k]], 1) for k in active], pulp.LpConstraintLE, 1)
                row += 1
        i = j


def _week_rows(model: Any, ix: ProblemIndex, triples: Pairs, x: list[Any]) -> None:
    cap = ix.cap_seconds[triples.volunteer]
    capped = np.flatnonzero(cap >= 0)
    if len(capped) == 0:
        return
    weeks = max(len(ix.weeks), 1)
    keys = triples.volunteer[capped] * weeks + ix.shift_week[triples.shift[capped]]
    order, starts, ends = _groups(keys)
    idx = capped[order].tolist()
    shift = triples.shift.tolist()
    # in units of the largest common divisor (a minute, usually a quarter or half hour)
    unit = math.gcd(*ix.shift_seconds.tolist(), *cap[capped].tolist()) or 1
    seconds = (ix.shift_seconds // unit).tolist()
    caps = (cap // unit).tolist()
    for a, b in zip(starts, ends, strict=True):
        members = idx[a:b]
        if sum(seconds[s] for s in {shift[t] for t in members}) <= caps[members[0]]:
            continue  # even every eligible shift of that week fits under the cap
        v, w = divmod(int(keys[order[a]]), weeks)
        _add(model, f"week{v}_{w}", [(x[t], seconds[shift[t]]) for t in members], pulp.LpConstraintLE, caps[members[0]])


def _affinities(ix: ProblemIndex, triples: Pairs) -> tuple[IntArray, IntArray]:
    """Per triple: does the activity type suit the volunteer; does the role develop a goal."""
    problem = ix.problem
    types = {s.activity_type for s in problem.shifts}
    type_vocab = {t: i for i, t in enumerate(sorted(types))}
    goals = {g for s in problem.shifts for r in s.roles for g in r.develops}
    goal_vocab = {g: i for i, g in enumerate(sorted(goals))}
    prefers = word_bits([v.preferred_activity_types for v in problem.volunteers], type_vocab)
    is_type = word_bits([frozenset([s.activity_type]) for s in problem.shifts], type_vocab)
    wants = word_bits([v.learning_goals for v in problem.volunteers], goal_vocab)
    develops = word_bits([r.develops for s in problem.shifts for r in s.roles], goal_vocab)
    v, s, r = triples.volunteer, triples.shift, triples.role
    preference = np.any(prefers[v] & is_type[s], axis=1).astype(np.int64)
    employability = np.any(wants[v] & develops[r], axis=1).astype(np.int64)
    return preference, employability


def _continuity(
    model: Any, ix: ProblemIndex, triples: Pairs, x: list[Any], columns: list[Any], rows: list[Any]
) -> list[tuple[Any, int]]:
    """Reward a volunteer taking two consecutive sessions of the same activity.

    For consecutive eligible sessions k and k+1 of one activity, z <= (roles taken in
    k) and z <= (roles taken in k + 1), so z is 1 exactly when both are taken.  This
    linearisation of a minimum is tight, unlike a "works in this activity at all"
    switch (sessions <= m * y), whose weak relaxation leaves the solver a large gap.
    """
    weight = SOFT_WEIGHTS["continuity"]
    names = {a: i for i, a in enumerate(sorted({s.activity for s in ix.problem.shifts}))}
    activity = np.array([names[s.activity] for s in ix.problem.shifts], dtype=np.int64)
    keys = triples.volunteer * max(len(names), 1) + activity[triples.shift]
    order, starts, ends = _groups(keys)
    idx = order.tolist()
    shift = triples.shift.tolist()
    start = ix.shift_start.tolist()
    terms: list[tuple[Any, int]] = []
    for a, b in zip(starts, ends, strict=True):
        sessions: dict[int, list[tuple[Any, int]]] = {}
        for t in idx[a:b]:
            sessions.setdefault(shift[t], []).append((x[t], 1))
        if len(sessions) < 2:
            continue
        ordered = sorted(sessions, key=lambda s: (start[s], s))
        for first, second in itertools.pairwise(ordered):
            z = model.add_variable(f"z{len(columns)}", 0, 1, pulp.LpContinuous)
            columns.append(z)
            for s in (first, second):
                rows.append(
                    _row(
                        f"continuity{len(columns)}_{s}",
                        [(z, 1), *((v, -c) for v, c in sessions[s])],
                        pulp.LpConstraintLE,
                        0,
                    )
                )
            terms.append((z, weight))
    return terms


def _fairness(
    model: Any, ix: ProblemIndex, triples: Pairs, x: list[Any], columns: list[Any], rows: list[Any]
) -> list[tuple[Any, int]]:
    """A concave reward of each volunteer's minutes, relative to their own cap."""
    order, starts, ends = _groups(triples.volunteer)
    idx = order.tolist()
    minutes = ix.shift_minutes[triples.shift].tolist()
    weeks = max(len(ix.weeks), 1)
    terms: list[tuple[Any, int]] = []
    for a, b in zip(starts, ends, strict=True):
        v = int(triples.volunteer[order[a]])
        cap = ix.problem.volunteers[v].max_minutes_per_week
        reference = (UNCAPPED_REFERENCE_MINUTES if cap is None else cap) * weeks
        quarter = max(1, round(reference / 4))
        pieces = []
        for k, slope in enumerate(FAIRNESS_SLOPES):
            u = model.add_variable(f"u{v}_{k}", 0, quarter, pulp.LpContinuous)
            columns.append(u)
            pieces.append((u, 1))
            terms.append((u, slope))
        rows.append(_row(f"fairness{v}", [*pieces, *((x[t], -minutes[t]) for t in idx[a:b])], pulp.LpConstraintLE, 0))
    return terms
