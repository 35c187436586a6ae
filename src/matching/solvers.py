"""Solving the goals of a `Formulation` one after the other (lexicographically).

For each goal in the contract's order we maximise it, then add a row that keeps its
value (``goal >= value found``) before the next goal is optimised, warm-started from
the previous solution.  No weight ever trades a unit of a higher goal: the higher goal is
a constraint by the time a lower one is looked at.

Every goal takes integer values at integer points, so an absolute gap below 1 proves a
goal optimal; we set that tolerance explicitly (``mip_rel_gap = 0``,
``mip_abs_gap = 0.999``).  A goal counts as `optimal` only when the solver proved it;
when the time limit stops the search we keep the best solution found, report
`feasible` and its relative gap, and still fix what was reached before moving on.

HiGHS runs in-process through highspy.  We convert the PuLP model once into HiGHS's
arrays and keep it there between goals: PuLP's own `pulp.HiGHS` rebuilds the model one
column at a time on every solve, cannot warm-start and maps a stop at the time limit
to "Optimal".  CBC runs through PuLP's command-line interface, one solve per goal.
"""

from __future__ import annotations

import math
import os
import re
import sys
import tempfile
import time
import warnings
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal, Protocol

import numpy as np
import pulp  # type: ignore[import-untyped]
from numpy.typing import NDArray

from matching.formulation import Formulation, Goal
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
    def add_rows(self, rows: Sequence[Any]) -> None: ...

    def maximise(self, goal: Any, seconds: float | None, warm: FloatArray | None) -> Attempt: ...

    def keep(self, name: str, goal: Any, value: float) -> None: ...


@dataclass(frozen=True)
class Outcome:
    """The chosen triples and how each goal was solved."""

    chosen: NDArray[np.bool_]
    tiers: tuple[TierResult, ...]
    variables: int
    constraints: int


def goal_value(goal: Any, columns: dict[int, int], values: FloatArray) -> float:
    """The value of a PuLP expression at a column vector."""
    return float(sum(coef * values[columns[id(var)]] for var, coef in goal.items()))


def run_goals(form: Formulation, solver: str, deadline: float | None) -> Outcome:
    """Optimise the goals of `form` in order, within `deadline` (a perf_counter time)."""
    columns = {id(var): i for i, var in enumerate(form.columns)}
    backend: Backend
    if solver == "highs":
        backend = HighsBackend(form, columns)
    elif solver == "cbc":
        backend = CbcBackend(form)
    else:
        raise SolverError(f"unknown solver {solver!r}: expected 'highs' or 'cbc'")
    values: FloatArray | None = None
    fallback = np.zeros(len(form.columns))
    fallback[form.pinned] = 1.0  # pins alone always keep every rule
    tiers: list[TierResult] = []
    rows = form.model.numConstraints()
    todo = [goal for goal in form.goals if len(goal.expression)]
    for goal in form.goals:
        started = time.perf_counter()
        if not len(goal.expression):
            tiers += [TierResult(name, "optimal", 0, 0, 0.0, 0.0) for name, _, _ in goal.parts]
            continue
        seconds = _share(deadline, len(todo))
        todo.pop(0)
        if seconds is not None and seconds < 0.05 and values is not None:
            tiers += [
                TierResult(name, "skipped", goal_value(expr, columns, values), math.inf, 1.0, 0.0)
                for name, expr, _ in goal.parts
            ]
            continue
        backend.add_rows(goal.rows)
        rows += len(goal.rows)
        attempt = backend.maximise(goal.expression, seconds, values)
        if attempt.values is not None:
            values = attempt.values
        current = values if values is not None else fallback
        tiers += _results(goal, attempt, current, columns, time.perf_counter() - started)
        if todo:
            # One row per contract goal, not one for the weighted sum: the relaxation of
            # a single row could trade a fraction of coverage for a lot of stability.
            for name, expr, _ in goal.parts:
                backend.keep(name, expr, math.floor(goal_value(expr, columns, current) + 1e-6))
                rows += 1
    final = values if values is not None else fallback
    return Outcome(
        chosen=final[: form.n_triples] > 0.5, tiers=tuple(tiers), variables=len(form.columns), constraints=rows
    )


def _results(
    goal: Goal, attempt: Attempt, values: FloatArray, columns: dict[int, int], seconds: float
) -> list[TierResult]:
    """One result per contract goal in `goal`, each with its own bound and gap."""
    total = goal_value(goal.expression, columns, values)
    bound = total if attempt.proven else attempt.bound
    out: list[TierResult] = []
    settled = True  # every earlier part is proven optimal
    for name, expr, weight in goal.parts:
        value = goal_value(expr, columns, values)
        # Later parts stay below `weight` (that is how the weights were chosen), so the
        # bound on the total bounds this part once the parts before it are fixed.
        part_bound = math.floor(bound / weight + 1e-9) if math.isfinite(bound) and settled else math.inf
        proven = attempt.proven or (settled and value >= part_bound)
        shown = value if proven else part_bound
        out.append(
            TierResult(
                name, "optimal" if proven else "feasible", value, shown, 0.0 if proven else _gap(value, shown), seconds
            )
        )
        if math.isfinite(bound):
            bound -= value * weight
        settled = settled and proven
    return out


def _share(deadline: float | None, goals_left: int) -> float | None:
    """The seconds the next goal may use: most for coverage, which matters most."""
    if deadline is None:
        return None
    left = deadline - time.perf_counter()
    return max(0.0, left * {1: 1.0, 2: 0.5}.get(goals_left, 0.6))


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


class HighsBackend:
    """The PuLP model held in one in-process HiGHS instance across all goals."""

    def __init__(self, form: Formulation, columns: dict[int, int]) -> None:
        import highspy

        self.highspy = highspy
        self.columns = columns
        with quiet_stdout():
            self.h = highspy.Highs()  # type: ignore[no-untyped-call]
            self.h.setOptionValue("output_flag", False)
        self.h.setOptionValue("log_to_console", False)
        self.h.setOptionValue("mip_rel_gap", 0.0)
        self.h.setOptionValue("mip_abs_gap", ABS_GAP)
        lp = highspy.HighsLp()
        n = len(form.columns)
        lp.num_col_ = n
        lp.col_cost_ = np.zeros(n)
        lp.col_lower_ = np.array(
            [v.lowBound if v.lowBound is not None else -highspy.kHighsInf for v in form.columns], dtype=np.float64
        )
        lp.col_upper_ = np.array(
            [v.upBound if v.upBound is not None else highspy.kHighsInf for v in form.columns], dtype=np.float64
        )
        lower, upper, starts, index, value = self._matrix(form.model.constraints())
        lp.num_row_ = len(lower)
        lp.row_lower_ = lower
        lp.row_upper_ = upper
        lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
        lp.a_matrix_.num_col_ = n
        lp.a_matrix_.num_row_ = len(lower)
        lp.a_matrix_.start_ = starts
        lp.a_matrix_.index_ = index
        lp.a_matrix_.value_ = value
        lp.sense_ = highspy.ObjSense.kMaximize
        integer = highspy.HighsVarType.kInteger
        continuous = highspy.HighsVarType.kContinuous
        lp.integrality_ = [integer if v.cat == pulp.LpInteger else continuous for v in form.columns]
        self.n = n
        if n:
            self._ok(self.h.passModel(lp), "passModel")

    def _matrix(
        self, rows: Iterable[Any]
    ) -> tuple[FloatArray, FloatArray, NDArray[np.int32], NDArray[np.int32], FloatArray]:
        """PuLP constraints as row bounds and a row-wise sparse matrix."""
        inf = self.highspy.kHighsInf
        starts, index, value, lower, upper = [0], [], [], [], []
        columns = self.columns
        for row in rows:
            for var, coef in row.items():
                index.append(columns[id(var)])
                value.append(coef)
            starts.append(len(index))
            lb, ub = row.getLb(), row.getUb()
            lower.append(-inf if lb is None else lb)
            upper.append(inf if ub is None else ub)
        return (
            np.array(lower, dtype=np.float64),
            np.array(upper, dtype=np.float64),
            np.array(starts, dtype=np.int32),
            np.array(index, dtype=np.int32),
            np.array(value, dtype=np.float64),
        )

    def add_rows(self, rows: Sequence[Any]) -> None:
        if not rows:
            return
        lower, upper, starts, index, value = self._matrix(rows)
        self._ok(self.h.addRows(len(lower), lower, upper, len(index), starts[:-1], index, value), "addRows")

    def _ok(self, status: Any, what: str) -> None:
        if status == self.highspy.HighsStatus.kError:
            raise SolverError(f"HiGHS {what} failed")

    def _dense(self, goal: Any) -> tuple[NDArray[np.int32], FloatArray]:
        idx = np.fromiter((self.columns[id(v)] for v in goal.keys()), dtype=np.int32, count=len(goal))
        return idx, np.fromiter(goal.values(), dtype=np.float64, count=len(goal))

    def maximise(self, goal: Any, seconds: float | None, warm: FloatArray | None) -> Attempt:
        h, hs = self.h, self.highspy
        cost = np.zeros(self.n)
        idx, val = self._dense(goal)
        cost[idx] = val
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

    def keep(self, name: str, goal: Any, value: float) -> None:
        idx, val = self._dense(goal)
        self._ok(self.h.addRow(value, self.highspy.kHighsInf, len(idx), idx, val), "addRow")


class CbcBackend:
    """CBC through PuLP's command-line interface: one subprocess per goal."""

    _BOUND = re.compile(r"^(?:Lower bound|Upper bound|Best possible)\s*:?\s*(-?[\d.e+]+)", re.IGNORECASE | re.MULTILINE)

    def __init__(self, form: Formulation) -> None:
        self.form = form

    def add_rows(self, rows: Sequence[Any]) -> None:
        for row in rows:
            self.form.model.addConstraint(row)

    def maximise(self, goal: Any, seconds: float | None, warm: FloatArray | None) -> Attempt:
        model = self.form.model
        model.setObjective(goal)
        if warm is not None:
            for var, value in zip(self.form.columns, warm.tolist(), strict=True):
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
            text = open(log, encoding="utf-8", errors="replace").read()
        if model.sol_status in (pulp.LpSolutionInfeasible, pulp.LpSolutionUnbounded):
            raise SolverError(f"CBC: {pulp.LpStatus[model.status]}")
        found = model.sol_status in (pulp.LpSolutionOptimal, pulp.LpSolutionIntegerFeasible)
        values = np.array([v.varValue or 0.0 for v in self.form.columns]) if found else None
        bounds = [abs(float(b)) for b in self._BOUND.findall(text)]
        return Attempt(
            proven=model.sol_status == pulp.LpSolutionOptimal, values=values, bound=bounds[-1] if bounds else math.inf
        )

    def keep(self, name: str, goal: Any, value: float) -> None:
        self.form.model.addConstraint(pulp.LpConstraint(goal, pulp.LpConstraintGE, f"keep_{name}", value))
