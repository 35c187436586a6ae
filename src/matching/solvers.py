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

HiGHS runs in-process through highspy on the model's arrays, kept in one instance
across the goals.  (PuLP's own `pulp.HiGHS` rebuilds the model column by column on
every solve, cannot warm-start and reports a stop at the time limit as "Optimal".)
CBC runs through PuLP: `to_pulp` turns the arrays into an `LpProblem`.
"""

from __future__ import annotations

import math
import os
import re
import sys
import tempfile
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal, Protocol

import numpy as np
import pulp  # type: ignore[import-untyped]
from numpy.typing import NDArray

from matching.formulation import Columns, Formulation, Goal, Linear, Rows
from matching.model import SolverError, TierResult

FloatArray = NDArray[np.float64]
ABS_GAP = 0.999  # objectives are integral: a gap below 1 is a proof
TierStatus = Literal["optimal", "feasible", "skipped"]


@dataclass(frozen=True)
class Attempt:
    """What one solver run produced."""

    proven: bool
    values: FloatArray | None  # every column, or None if no solution was found
    bound: float  # best bound on the goal (math.inf when unknown)


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
            if left is not None and values is not None and left < 3 * form.build_seconds + 2.0:
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
    rows = form.rows
    start = np.array(rows.start, dtype=np.int64)
    index = np.array(rows.index, dtype=np.int64)
    value = np.array(rows.value, dtype=np.float64)
    row_part = part[index[start[:-1]]] if len(rows) else np.zeros(0, dtype=np.int64)
    values = np.zeros(len(form.columns)) if warm is None else warm.copy()
    cost = np.zeros(len(form.columns))
    cost[goal.index] = goal.value
    lower, upper = np.array(form.columns.lower), np.array(form.columns.upper)
    integer = np.array(form.columns.integer, dtype=bool)
    deadline = None if seconds is None else time.perf_counter() + seconds
    proven, bound, found = True, 0.0, True
    for k, label in enumerate(labels):
        cols = np.flatnonzero(part == label)
        local = np.full(len(form.columns), -1, dtype=np.int64)
        local[cols] = np.arange(len(cols))
        sub_columns = Columns(lower[cols].tolist(), upper[cols].tolist(), integer[cols].tolist())
        sub_rows = Rows()
        for r in np.flatnonzero(row_part == label).tolist():
            a, b = start[r], start[r + 1]
            sub_rows.add(local[index[a:b]].tolist(), value[a:b].tolist(), rows.lower[r], rows.upper[r])
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
    slack: list[float] = []
    uses: dict[int, list[tuple[int, float]]] = {}
    for i in range(len(rows)):
        index, value = rows.row(i)
        old = sum(c * out[j] for j, c in zip(index, value, strict=True) if j < known)
        if rows.lower[i] == rows.upper[i] == 0.0 and index[-1] >= known and value[-1] == -1.0:
            out[index[-1]] = old
        slack.append(rows.upper[i] - old)
        for j, c in zip(index, value, strict=True):
            if j >= known and not (rows.lower[i] == rows.upper[i]):
                uses.setdefault(j, []).append((i, c))
    for j in sorted(uses):
        room = min((slack[i] / c for i, c in uses[j] if c > 0), default=0.0)
        out[j] = max(0.0, min(room, columns.upper[j]))
        for i, c in uses[j]:
            slack[i] -= c * out[j]
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


@contextmanager
def quiet_stdout() -> Iterator[None]:
    """Point file descriptor 1 at /dev/null: highspy prints a banner from C++ on creation."""
    sys.stdout.flush()
    saved = os.dup(1)
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, 1)
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(null)


def _csr(rows: Rows) -> tuple[FloatArray, FloatArray, NDArray[np.int32], NDArray[np.int32], FloatArray]:
    return (
        np.array(rows.lower, dtype=np.float64),
        np.array(rows.upper, dtype=np.float64),
        np.array(rows.start, dtype=np.int32),
        np.array(rows.index, dtype=np.int32),
        np.array(rows.value, dtype=np.float64),
    )


class HighsBackend:
    """The model held in one in-process HiGHS instance across all goals."""

    def __init__(self, columns: Columns, rows: Rows) -> None:
        import highspy

        self.hs = highspy
        with quiet_stdout():
            self.h = highspy.Highs()  # type: ignore[no-untyped-call]
            self.h.setOptionValue("output_flag", False)
        self.h.setOptionValue("log_to_console", False)
        self.h.setOptionValue("mip_rel_gap", 0.0)
        self.h.setOptionValue("mip_abs_gap", ABS_GAP)
        self.n = 0
        self.add_columns(columns, 0)
        self.add_rows(rows)

    def _ok(self, status: Any, what: str) -> None:
        if status == self.hs.HighsStatus.kError:
            raise SolverError(f"HiGHS {what} failed")

    def add_columns(self, columns: Columns, first: int) -> None:
        count = len(columns) - first
        if count <= 0:
            return
        inf = self.hs.kHighsInf
        lower = np.clip(np.array(columns.lower[first:], dtype=np.float64), -inf, inf)
        upper = np.clip(np.array(columns.upper[first:], dtype=np.float64), -inf, inf)
        none = np.zeros(count, dtype=np.int32)
        self._ok(self.h.addCols(count, np.zeros(count), lower, upper, 0, none, none[:0], np.zeros(0)), "addCols")
        integer = np.flatnonzero(np.array(columns.integer[first:], dtype=bool)).astype(np.int32) + self.n
        if len(integer):
            kind = np.full(len(integer), int(self.hs.HighsVarType.kInteger), dtype=np.uint8)
            self._ok(self.h.changeColsIntegrality(len(integer), integer, kind), "integrality")
        self.n += count
        self.h.changeObjectiveSense(self.hs.ObjSense.kMaximize)

    def add_rows(self, rows: Rows) -> None:
        if not len(rows):
            return
        inf = self.hs.kHighsInf
        lower, upper, start, index, value = _csr(rows)
        self._ok(
            self.h.addRows(
                len(lower), np.clip(lower, -inf, inf), np.clip(upper, -inf, inf), len(index), start[:-1], index, value
            ),
            "addRows",
        )

    def maximise(self, goal: Linear, seconds: float | None, warm: FloatArray | None) -> Attempt:
        h, hs = self.h, self.hs
        cost = np.zeros(self.n)
        cost[goal.index] = goal.value
        self._ok(h.changeColsCost(self.n, np.arange(self.n, dtype=np.int32), cost), "cost")
        h.setOptionValue("time_limit", math.inf if seconds is None else max(seconds, 0.01))
        if warm is not None:
            solution = hs.HighsSolution()
            solution.col_value = warm.tolist()
            solution.value_valid = True
            h.setSolution(solution)
        h.run()
        status = h.getModelStatus()
        info = h.getInfo()
        if status in (
            hs.HighsModelStatus.kInfeasible,
            hs.HighsModelStatus.kModelError,
            hs.HighsModelStatus.kSolveError,
        ):
            raise SolverError(f"HiGHS: {h.modelStatusToString(status)}")
        found = info.primal_solution_status == hs.kSolutionStatusFeasible
        values = np.array(h.getSolution().col_value) if found else None
        bound = float(info.mip_dual_bound)
        return Attempt(
            proven=status == hs.HighsModelStatus.kOptimal and found,
            values=values,
            bound=bound if math.isfinite(bound) else math.inf,
        )

    def keep(self, goal: Linear, value: float) -> None:
        self._ok(self.h.addRow(value, self.hs.kHighsInf, len(goal), goal.index, goal.value), "addRow")


def to_pulp(columns: Columns, rows: Rows, name: str = "staffing") -> tuple[Any, list[Any]]:
    """The model as a PuLP `LpProblem` (maximising; objective set per goal) and its variables."""
    model = pulp.LpProblem(name, pulp.LpMaximize)
    variables: list[Any] = []
    _pulp_columns(model, variables, columns, 0)
    _pulp_rows(model, variables, rows)
    return model, variables


def _pulp_columns(model: Any, variables: list[Any], columns: Columns, first: int) -> None:
    for i in range(first, len(columns)):
        lower, upper = columns.lower[i], columns.upper[i]
        variables.append(
            model.add_variable(
                f"c{i}",
                None if lower == -math.inf else lower,
                None if upper == math.inf else upper,
                pulp.LpInteger if columns.integer[i] else pulp.LpContinuous,
            )
        )


def _pulp_rows(model: Any, variables: list[Any], rows: Rows) -> None:
    first = model.numConstraints()
    for i in range(len(rows)):
        index, value = rows.row(i)
        expr = pulp.LpAffineExpression([(variables[j], c) for j, c in zip(index, value, strict=True)])
        lower, upper = rows.lower[i], rows.upper[i]
        if lower == upper:
            model.addConstraint(pulp.LpConstraint(expr, pulp.LpConstraintEQ, f"r{first + i}", upper))
            continue
        if upper != math.inf:
            model.addConstraint(pulp.LpConstraint(expr, pulp.LpConstraintLE, f"r{first + i}", upper))
        if lower != -math.inf:
            model.addConstraint(pulp.LpConstraint(expr, pulp.LpConstraintGE, f"r{first + i}_lo", lower))


class CbcBackend:
    """CBC through PuLP's command-line interface: one subprocess per goal."""

    _BOUND = re.compile(r"^(?:Lower bound|Upper bound|Best possible)\s*:?\s*(-?[\d.e+]+)", re.IGNORECASE | re.MULTILINE)

    def __init__(self, columns: Columns, rows: Rows) -> None:
        self.model, self.variables = to_pulp(columns, rows)

    def add_columns(self, columns: Columns, first: int) -> None:
        _pulp_columns(self.model, self.variables, columns, first)

    def add_rows(self, rows: Rows) -> None:
        _pulp_rows(self.model, self.variables, rows)

    def maximise(self, goal: Linear, seconds: float | None, warm: FloatArray | None) -> Attempt:
        model = self.model
        model.setObjective(
            pulp.LpAffineExpression(
                [(self.variables[j], c) for j, c in zip(goal.index.tolist(), goal.value.tolist(), strict=True)]
            )
        )
        if warm is not None:
            for var, value in zip(self.variables, warm.tolist(), strict=True):
                var.setInitialValue(round(value) if var.cat == pulp.LpInteger else value)
        with tempfile.TemporaryDirectory() as tmp:
            log = os.path.join(tmp, "cbc.log")
            options: dict[str, Any] = {
                "msg": False,
                "gapRel": 0.0,
                "gapAbs": ABS_GAP,
                "warmStart": warm is not None,
                "logPath": log,
                "timeLimit": None if seconds is None else max(1, math.ceil(seconds)),
            }
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                cmd = pulp.COIN_CMD(**options) if pulp.COIN_CMD().available() else pulp.PULP_CBC_CMD(**options)
                try:
                    cmd.tmpDir = tmp
                    model.solve(cmd)
                except pulp.PulpSolverError as exc:
                    raise SolverError(f"CBC: {exc}") from exc
            with open(log, encoding="utf-8", errors="replace") as f:
                text = f.read()
        if model.sol_status in (pulp.LpSolutionInfeasible, pulp.LpSolutionUnbounded):
            raise SolverError(f"CBC: {pulp.LpStatus[model.status]}")
        found = model.sol_status in (pulp.LpSolutionOptimal, pulp.LpSolutionIntegerFeasible)
        values = np.array([v.varValue or 0.0 for v in self.variables]) if found else None
        bounds = [abs(float(b)) for b in self._BOUND.findall(text)]
        return Attempt(
            proven=model.sol_status == pulp.LpSolutionOptimal, values=values, bound=bounds[-1] if bounds else math.inf
        )

    def keep(self, goal: Linear, value: float) -> None:
        expr = pulp.LpAffineExpression(
            [(self.variables[j], c) for j, c in zip(goal.index.tolist(), goal.value.tolist(), strict=True)]
        )
        self.model.addConstraint(
            pulp.LpConstraint(expr, pulp.LpConstraintGE, f"keep{self.model.numConstraints()}", value)
        )
