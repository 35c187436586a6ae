"""Solving the goals of a `Formulation` one after the other (lexicographically).

For each goal in the contract's order we maximise it, then add rows that keep what was
reached (``goal >= value found``) before the next goal is optimised, warm-started from
the previous solution.  No weight ever trades a unit of a higher goal: the higher goal
is a constraint by the time a lower one is looked at.

Every goal takes integer values at integer points, so an absolute gap below 1 proves a
goal optimal; we set that tolerance explicitly (``mip_rel_gap = 0``,
``mip_abs_gap = 0.999``; CBC: ``ratio 0``, ``allow 0.999``).  A goal counts as
`optimal` only when the solver proved it; when the time limit stops the search we keep
the best solution found, report `feasible` and its relative gap, and still keep what
was reached before moving on.

The solvers themselves are in `backends`.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Literal, Protocol

import numpy as np
from numpy.typing import NDArray

from matching.backends import Attempt, CbcBackend, HighsBackend
from matching.formulation import Columns, Formulation, Goal, Linear, Rows
from matching.model import SolverError, TierResult

FloatArray = NDArray[np.float64]
TierStatus = Literal["optimal", "feasible", "skipped"]


class Backend(Protocol):
    def add_columns(self, columns: Columns, first: int) -> None: ...

    def add_rows(self, rows: Rows) -> None: ...

    def maximise(self, goal: Linear, seconds: float | None, warm: FloatArray | None) -> Attempt: ...

    def keep(self, goal: Linear, value: float) -> None: ...


@dataclass(frozen=True)
class Outcome:
    """The chosen triples and how each goal was solved."""

    chosen: NDArray[np.bool_]
    tiers: tuple[TierResult, ...]
    variables: int
    constraints: int


def run_goals(
    form: Formulation, solver: str, deadline: float | None, start: NDArray[np.bool_] | None = None
) -> Outcome:
    """Optimise the goals of `form` in order, within `deadline` (a perf_counter time),
    starting from the chosen triples `start` (which must keep every hard rule)."""
    backend: Backend
    if solver == "highs":
        backend = HighsBackend(form.columns, form.rows)
    elif solver == "cbc":
        backend = CbcBackend(form.columns, form.rows)
    else:
        raise SolverError(f"unknown solver {solver!r}: expected 'highs' or 'cbc'")
    values: FloatArray | None = None
    if start is not None:
        values = _extend(start.astype(np.float64), form.rows, form.n_triples, form.columns)
    tiers: list[TierResult] = []
    rows = len(form.rows)
    for k, item in enumerate(form.goals):
        started = time.perf_counter()
        goals_left = len(form.goals) - k
        if not isinstance(item, Goal):
            # Building the soft goals costs about what the hard rules cost again; skip
            # them rather than overrun the time limit.
            left = None if deadline is None else deadline - time.perf_counter()
            if left is not None and values is not None and left < 3 * form.build_seconds + 0.25:
                tiers.append(TierResult("soft", "skipped", 0.0, math.inf, 1.0, 0.0))
                continue
            known = len(form.columns)
            item = item()
            backend.add_columns(form.columns, known)
            if values is not None:
                values = _extend(values, item.rows, known, form.columns)
        goal = item
        if not len(goal.objective):
            tiers += [TierResult(name, "optimal", 0, 0, 0.0, 0.0) for name, _, _ in goal.parts]
            continue
        seconds = _share(deadline, goals_left)
        if seconds is not None and seconds < 0.05 and values is not None:
            tiers += [TierResult(name, "skipped", expr.at(values), math.inf, 1.0, 0.0) for name, expr, _ in goal.parts]
            continue
        backend.add_rows(goal.rows)
        rows += len(goal.rows)
        if k == 0 and solver == "highs":
            attempt = _by_component(form, goal.objective, seconds, values)
        else:
            attempt = backend.maximise(goal.objective, seconds, values)
        attempt = Attempt(
            attempt.proven, attempt.values, min(attempt.bound, _trivial_bound(goal.objective, form.columns))
        )
        if attempt.values is not None:
            values = attempt.values
        current = values if values is not None else _pins_only(form)
        tiers += _results(goal, attempt, current, time.perf_counter() - started)
        if goals_left > 1:
            # One row per contract goal, not one for the weighted sum: the relaxation of
            # a single row could trade a fraction of coverage for a lot of stability.
            for _, expr, _ in goal.parts:
                if len(expr):
                    backend.keep(expr, math.floor(expr.at(current) + 1e-6))
                    rows += 1
    final = values if values is not None else _pins_only(form)
    return Outcome(
        chosen=final[: form.n_triples] > 0.5, tiers=tuple(tiers), variables=len(form.columns), constraints=rows
    )


def components(form: Formulation) -> NDArray[np.int64]:
    """Per column, its independent part of the hard rules' model (-1: in no row).

    Columns of one ISO week are one part (weekly caps tie a volunteer's shifts within a
    week, not across); a row that spans weeks (two shifts overlapping Monday midnight)
    joins them.  Parts are solved one by one for the first goal: their sum is
    optimal when each part is, and small problems are solved much faster than one big
    one.
    """
    ix_week = form.triple_week
    labels = np.full(len(form.columns), -1, dtype=np.int64)
    labels[: form.n_triples] = ix_week
    rows = form.rows
    if not len(rows):
        return labels
    start = np.array(rows.start, dtype=np.int64)
    index = np.array(rows.index, dtype=np.int64)
    lengths = np.diff(start)
    row_of = np.repeat(np.arange(len(rows)), lengths)
    first = labels[index[start[:-1]]]  # every row starts with a triple's column
    missing = labels[index] < 0
    labels[index[missing]] = first[row_of[missing]]
    entry = labels[index]
    low = np.minimum.reduceat(entry, start[:-1])
    high = np.maximum.reduceat(entry, start[:-1])
    parent = list(range(int(labels.max(initial=0)) + 1))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for r in np.flatnonzero(low != high).tolist():
        root = find(int(low[r]))
        for label in set(entry[start[r] : start[r + 1]].tolist()):
            parent[find(label)] = root
    roots = np.array([find(a) for a in range(len(parent))], dtype=np.int64)
    return np.where(labels >= 0, roots[np.maximum(labels, 0)], -1)


def _by_component(form: Formulation, goal: Linear, seconds: float | None, warm: FloatArray | None) -> Attempt:
    """Maximise `goal` over the hard rules' model, one independent part at a time."""
    part = components(form)
    labels = sorted(set(part[part >= 0].tolist()))
    rows = form.rows.arrays()
    row_part = part[rows.index[rows.start[:-1]]] if len(rows) else np.zeros(0, dtype=np.int64)
    n = len(form.columns)
    values = np.zeros(n) if warm is None else warm.copy()
    cost = np.zeros(n)
    cost[goal.index] = goal.value
    lower, upper = np.array(form.columns.lower), np.array(form.columns.upper)
    integer = np.array(form.columns.integer, dtype=bool)
    deadline = None if seconds is None else time.perf_counter() + seconds
    proven, bound, found = True, 0.0, True
    for k, label in enumerate(labels):
        cols = np.flatnonzero(part == label)
        sub_columns = Columns(lower[cols].tolist(), upper[cols].tolist(), integer[cols].tolist())
        sub_rows = rows.take(np.flatnonzero(row_part == label), cols, n)
        sub_goal = Linear(np.flatnonzero(cost[cols]).astype(np.int32), cost[cols][cost[cols] != 0])
        left = None if deadline is None else max(0.0, deadline - time.perf_counter()) / (len(labels) - k)
        attempt = HighsBackend(sub_columns, sub_rows).maximise(
            sub_goal, left, values[cols] if warm is not None else None
        )
        proven = proven and attempt.proven
        if attempt.values is not None:
            values[cols] = attempt.values
        else:
            found = found and warm is not None
        bound += min(attempt.bound, _trivial_bound(sub_goal, sub_columns))
    return Attempt(proven=proven and found, values=values if found else None, bound=bound)


def _trivial_bound(goal: Linear, columns: Columns) -> float:
    """A bound that needs no solver: every column at its most favourable bound."""
    upper = np.array(columns.upper)[goal.index]
    lower = np.array(columns.lower)[goal.index]
    return float(np.where(goal.value > 0, goal.value * upper, goal.value * lower).sum())


def _pins_only(form: Formulation) -> FloatArray:
    """A plan that always keeps every rule: the pins alone (a plan, not a warm start)."""
    values = np.zeros(len(form.columns))
    values[form.pinned] = 1.0
    return values


def _extend(values: FloatArray, rows: Rows, known: int, columns: Columns) -> FloatArray:
    """The previous solution with values for new columns that keep the new rows.

    An aggregate (``sum - total == 0``) gets its sum; the other new columns are raised,
    in column order, as far as their bounds and every row they appear in allow.  For
    the soft goals that is exactly their value for the previous assignments (a
    continuity pair is 1 when both sessions are taken; fairness fills the steepest
    quarter first), so the soft goals start from a true, rule-keeping solution.
    """
    out = np.zeros(len(columns))
    out[:known] = values[:known]
    if not len(rows):
        return out
    a = rows.arrays()
    row_of = a.row_of()
    old_entry = a.index < known
    old = np.bincount(row_of[old_entry], weights=a.value[old_entry] * out[a.index[old_entry]], minlength=len(a))
    equal = a.lower == a.upper
    last = a.start[1:] - 1
    aggregate = equal & (a.lower == 0.0) & (np.diff(a.start) > 0)
    aggregate[aggregate] = (a.index[last[aggregate]] >= known) & (a.value[last[aggregate]] == -1.0)
    out[a.index[last[aggregate]]] = old[aggregate]
    slack = (a.upper - old).tolist()
    # the columns still to set, in column order, with the rows (not equalities) they are in
    new_entry = np.flatnonzero((a.index >= known) & ~equal[row_of])
    new_entry = new_entry[np.lexsort((row_of[new_entry], a.index[new_entry]))]
    entry_col = a.index[new_entry].tolist()
    entry_row = row_of[new_entry].tolist()
    entry_coef = a.value[new_entry].tolist()
    upper = columns.upper
    i, m = 0, len(entry_col)
    while i < m:
        j, k = entry_col[i], i
        while k < m and entry_col[k] == j:
            k += 1
        room = min((slack[entry_row[e]] / entry_coef[e] for e in range(i, k) if entry_coef[e] > 0), default=0.0)
        out[j] = level = max(0.0, min(room, upper[j]))
        for e in range(i, k):
            slack[entry_row[e]] -= entry_coef[e] * level
        i = k
    return out


def _results(goal: Goal, attempt: Attempt, values: FloatArray, seconds: float) -> list[TierResult]:
    """One result per contract goal in `goal`, each with its own bound and gap."""
    bound = goal.objective.at(values) if attempt.proven else attempt.bound
    out: list[TierResult] = []
    settled = True  # every earlier part is proven optimal
    for name, expr, weight in goal.parts:
        value = expr.at(values)
        # Later parts stay below `weight` (that is how the weights were chosen), so the
        # bound on the total bounds this part once the parts before it are fixed.
        part_bound = math.floor(bound / weight + 1e-9) if math.isfinite(bound) and settled else math.inf
        proven = attempt.proven or (settled and value >= part_bound)
        shown = value if proven else part_bound
        gap = 0.0 if proven else _gap(value, shown)
        out.append(TierResult(name, "optimal" if proven else "feasible", value, shown, gap, seconds))
        if math.isfinite(bound):
            bound -= value * weight
        settled = settled and proven
    return out


def _share(deadline: float | None, goals_left: int) -> float | None:
    """The seconds the next goal may use: most for coverage, which matters most."""
    if deadline is None:
        return None
    left = deadline - time.perf_counter()
    return max(0.0, left * {1: 1.0, 2: 0.6}.get(goals_left, 0.5))


def _gap(value: float, bound: float) -> float:
    if not math.isfinite(bound):
        return 1.0
    return max(0.0, bound - value) / max(abs(value), 1.0)
