"""The two solvers behind one small interface: HiGHS in-process (highspy) on the
model's arrays, kept in one instance across the goals; and CBC through PuLP, with
`to_pulp` turning the arrays into an `LpProblem`.

(PuLP's own `pulp.HiGHS` rebuilds the model column by column on every solve, cannot
warm-start and reports a stop at the time limit as "Optimal"; so we talk to highspy
directly and read its model status and dual bound ourselves.)
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
from typing import Any

import numpy as np
from numpy.typing import NDArray

from matching.formulation import Columns, Linear, RowArrays, Rows
from matching.model import SolverError

FloatArray = NDArray[np.float64]
ABS_GAP = 0.999  # objectives are integral: a gap below 1 is a proof


@dataclass(frozen=True)
class Attempt:
    """What one solver run produced."""

    proven: bool
    values: FloatArray | None  # every column, or None if no solution was found
    bound: float  # best bound on the goal (math.inf when unknown)


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


def _csr(rows: Rows | RowArrays) -> tuple[FloatArray, FloatArray, NDArray[np.int32], NDArray[np.int32], FloatArray]:
    a = rows.arrays() if isinstance(rows, Rows) else rows
    return a.lower, a.upper, a.start.astype(np.int32), a.index.astype(np.int32), a.value


class HighsBackend:
    """The model held in one in-process HiGHS instance across all goals.

    Each goal is solved relaxation first (see `maximise`); the backend keeps its own
    copy of the rows, as arrays, to bound the goal from the relaxation's duals and to
    pick the neighbourhood of the relaxation's fractional columns.
    """

    def __init__(self, columns: Columns, rows: Rows | RowArrays) -> None:
        import highspy

        self.hs = highspy
        with quiet_stdout():
            self.h = highspy.Highs()  # type: ignore[no-untyped-call]
            self.h.setOptionValue("output_flag", False)
        self.h.setOptionValue("log_to_console", False)
        self.h.setOptionValue("mip_rel_gap", 0.0)
        self.h.setOptionValue("mip_abs_gap", ABS_GAP)
        self.n = 0
        self.col_lower = np.zeros(0)
        self.col_upper = np.zeros(0)
        self.integer = np.zeros(0, dtype=bool)
        self._blocks: list[tuple[FloatArray, FloatArray, NDArray[np.int64], NDArray[np.int64], FloatArray]] = []
        self._matrix: _Matrix | None = None
        self.row_dual = np.zeros(0)  # of the last relaxation solved
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
        integer = np.array(columns.integer[first:], dtype=bool)
        where = np.flatnonzero(integer).astype(np.int32) + self.n
        if len(where):
            kind = np.full(len(where), int(self.hs.HighsVarType.kInteger), dtype=np.uint8)
            self._ok(self.h.changeColsIntegrality(len(where), where, kind), "integrality")
        self.n += count
        self.col_lower = np.concatenate([self.col_lower, np.array(columns.lower[first:], dtype=np.float64)])
        self.col_upper = np.concatenate([self.col_upper, np.array(columns.upper[first:], dtype=np.float64)])
        self.integer = np.concatenate([self.integer, integer])
        self.h.changeObjectiveSense(self.hs.ObjSense.kMaximize)

    def add_rows(self, rows: Rows | RowArrays) -> None:
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
        self._remember(lower, upper, start, index, value)

    def _remember(
        self, lower: FloatArray, upper: FloatArray, start: NDArray[Any], index: NDArray[Any], value: FloatArray
    ) -> None:
        first = sum(len(block[0]) for block in self._blocks)
        row_of = np.repeat(np.arange(first, first + len(lower), dtype=np.int64), np.diff(start))
        self._blocks.append((lower, upper, row_of, index.astype(np.int64), value))
        self._matrix = None

    def _rows(self) -> _Matrix:
        if self._matrix is None:
            empty = np.zeros(0, dtype=np.int64)
            blocks = self._blocks or [(np.zeros(0), np.zeros(0), empty, empty, np.zeros(0))]
            lower, upper, row_of, index, value = (np.concatenate(part) for part in zip(*blocks, strict=True))
            self._matrix = _Matrix(lower, upper, row_of, index, value)
        return self._matrix

    def maximise(
        self,
        goal: Linear,
        seconds: float | None,
        warm: FloatArray | None,
        gap: float = 0.0,
        *,
        search: bool = True,
        tight_first: bool = False,
        relaxed: tuple[FloatArray, float] | None = None,
    ) -> Attempt:
        """Maximise `goal` within `seconds`, starting from `warm` (which keeps every row).

        1. The LP relaxation gives a bound, computed from its duals so that it holds
           whatever the LP's tolerances.  Goals are integral, so a plan reaching the
           bound rounded down is optimal: often the warm start already is.
        2. Otherwise a small MIP: the integer columns that the relaxation put at an
           integral value are fixed there, except in the rows that hold a fractional
           column.  Its solution keeps every row; when it reaches the bound it is
           optimal, and no full search is needed.
        3. Otherwise the full MIP from the best plan so far, for the time left.

        With `tight_first`, step 2 first fixes every integer column at an integral value
        (only the fractional ones are free), a much smaller MIP, and widens to the
        neighbourhood only when that finds nothing.

        With `gap` > 0 the search stops once the plan is within that relative gap of
        the bound (the attempt is then not `proven`); with `search` false there is no
        step 3.  `relaxed` (the relaxation's solution and bound for this very goal, as
        `relaxation` returns them) skips step 1's solve.
        """
        h = self.h
        deadline = None if seconds is None else time.perf_counter() + seconds
        cost = np.zeros(self.n)
        cost[goal.index] = goal.value
        self._ok(h.changeColsCost(self.n, np.arange(self.n, dtype=np.int32), cost), "cost")
        best, best_value = warm, (float(cost @ warm) if warm is not None else -math.inf)
        if relaxed is None:
            relaxed = self._relaxation(cost, deadline)
        bound = relaxed[1] if relaxed is not None else math.inf
        target = math.floor(bound + 1e-9) if math.isfinite(bound) else math.inf
        if best_value >= target - 1e-6:
            return Attempt(True, best, bound)
        if relaxed is not None:
            x = relaxed[0]
            for tight in (True, False) if tight_first else (False,):
                fixed = self._fixable(x, tight)
                if not len(fixed):
                    continue
                values = np.round(x[fixed])
                self._ok(h.changeColsBounds(len(fixed), fixed, values, values), "bounds")
                try:
                    # with columns fixed, "infeasible" is an answer, not a failure
                    found, _, _ = self._mip(_share_of(deadline, 0.5), None, restricted=True)
                finally:
                    self._ok(
                        h.changeColsBounds(len(fixed), fixed, self.col_lower[fixed], self.col_upper[fixed]), "bounds"
                    )
                if found is not None and float(cost @ found) > best_value:
                    best, best_value = found, float(cost @ found)
                if best_value >= target - 1e-6:
                    return Attempt(True, best, bound)
                if found is not None:
                    break
        if not search or (gap > 0 and best is not None and bound - best_value <= gap * max(abs(best_value), 1.0)):
            return Attempt(False, best, bound)
        self.h.setOptionValue("mip_rel_gap", gap)
        try:
            found, proven, mip_bound = self._mip(_share_of(deadline, 1.0), best)
        finally:
            self.h.setOptionValue("mip_rel_gap", 0.0)
        if found is not None and float(cost @ found) >= best_value:
            best, best_value = found, float(cost @ found)
        bound = min(bound, mip_bound)
        proven = (proven and gap == 0) or (math.isfinite(bound) and best_value >= math.floor(bound + 1e-9) - 1e-6)
        return Attempt(proven and best is not None, best, bound)

    def _time_limit(self, seconds: float) -> None:
        """Let the next run take `seconds`.  HiGHS (1.x) holds `time_limit` against the
        run time summed over every run of the instance, not against this run's."""
        self.h.setOptionValue("time_limit", self.h.getRunTime() + seconds)

    def _relaxation(self, cost: FloatArray, deadline: float | None) -> tuple[FloatArray, float] | None:
        """The LP relaxation's solution and a bound on the goal; None if not solved."""
        h, hs = self.h, self.hs

        h.setOptionValue("solve_relaxation", True)
        # LP presolve costs ten times the simplex iterations on these models
        h.setOptionValue("presolve", "off")
        self._time_limit(_seconds_left(deadline))
        try:
            h.run()
        finally:
            h.setOptionValue("solve_relaxation", False)
            h.setOptionValue("presolve", "choose")
        if h.getModelStatus() != hs.HighsModelStatus.kOptimal:
            return None
        solution = h.getSolution()
        if not solution.dual_valid:
            return None
        x = np.array(solution.col_value)
        y = self.row_dual = np.array(solution.row_dual)
        return x, min(self._rows().dual_bound(cost, y, self.col_lower, self.col_upper, sign) for sign in (1, -1))

    def _fixable(self, x: FloatArray, tight: bool = False) -> NDArray[np.int32]:
        """Integer columns at an integral value in the relaxation, outside every row
        that holds a column at a fractional value (`tight`: all of them)."""
        fractional = self.integer & (np.abs(x - np.round(x)) > 1e-6)
        free = fractional if tight else self._rows().neighbours(fractional)
        return np.flatnonzero(self.integer & ~free).astype(np.int32)

    def _mip(
        self, seconds: float, warm: FloatArray | None, *, restricted: bool = False
    ) -> tuple[FloatArray | None, bool, float]:
        """One MIP run: its solution (None if none), whether proven, its bound."""
        h, hs = self.h, self.hs
        self._time_limit(max(seconds, 0.01))
        if warm is not None:
            solution = hs.HighsSolution()
            solution.col_value = warm.tolist()
            solution.value_valid = True
            h.setSolution(solution)
        h.run()
        status = h.getModelStatus()
        info = h.getInfo()
        if restricted and status == hs.HighsModelStatus.kInfeasible:
            return None, False, math.inf
        if status in (
            hs.HighsModelStatus.kInfeasible,
            hs.HighsModelStatus.kModelError,
            hs.HighsModelStatus.kSolveError,
        ):
            raise SolverError(f"HiGHS: {h.modelStatusToString(status)}")
        found = info.primal_solution_status == hs.kSolutionStatusFeasible
        values = np.array(h.getSolution().col_value) if found else None
        bound = float(info.mip_dual_bound)
        return values, status == hs.HighsModelStatus.kOptimal and found, bound if math.isfinite(bound) else math.inf

    def keep(self, goal: Linear, value: float) -> None:
        self._ok(self.h.addRow(value, self.hs.kHighsInf, len(goal), goal.index, goal.value), "addRow")
        self._remember(
            np.array([value]),
            np.array([math.inf]),
            np.array([0, len(goal)]),
            goal.index.astype(np.int64),
            goal.value.astype(np.float64),
        )


@dataclass(frozen=True)
class _Matrix:
    """Rows as coordinate arrays: lower[i] <= sum(value * x[index]) over row_of == i <= upper[i]."""

    lower: FloatArray
    upper: FloatArray
    row_of: NDArray[np.int64]
    index: NDArray[np.int64]
    value: FloatArray

    def dual_bound(self, cost: FloatArray, y: FloatArray, lower: FloatArray, upper: FloatArray, sign: int) -> float:
        """An upper bound on max cost @ x over the rows and column bounds, valid for any
        row multipliers (weak duality): cost @ x = (cost - A'y) @ x + y @ (A x), each
        term at its most favourable bound.  Multipliers that would meet an infinite
        bound are set to 0 first, so the bound stays finite whenever it can."""
        y = sign * y[: len(self.lower)]
        y = np.where((y > 0) & ~np.isfinite(self.upper), 0.0, y)
        y = np.where((y < 0) & ~np.isfinite(self.lower), 0.0, y)
        reduced = cost - np.bincount(self.index, weights=self.value * y[self.row_of], minlength=len(cost))
        with np.errstate(invalid="ignore"):
            columns = np.where(reduced > 0, reduced * upper, np.where(reduced < 0, reduced * lower, 0.0))
            rows = np.where(y > 0, y * self.upper, np.where(y < 0, y * self.lower, 0.0))
        total = float(columns.sum() + rows.sum())
        return total if math.isfinite(total) else math.inf

    def neighbours(self, columns: NDArray[np.bool_]) -> NDArray[np.bool_]:
        """The columns that share a row with one of `columns` (and those themselves)."""
        rows = np.zeros(len(self.lower), dtype=bool)
        rows[self.row_of[columns[self.index]]] = True
        out = columns.copy()
        out[self.index[rows[self.row_of]]] = True
        return out


def _seconds_left(deadline: float | None) -> float:
    return math.inf if deadline is None else max(deadline - time.perf_counter(), 0.01)


def _share_of(deadline: float | None, share: float) -> float:
    return math.inf if deadline is None else max((deadline - time.perf_counter()) * share, 0.01)


def to_pulp(columns: Columns, rows: Rows, name: str = "staffing") -> tuple[Any, list[Any]]:
    """The model as a PuLP `LpProblem` (maximising; objective set per goal) and its variables."""
    import pulp  # type: ignore[import-untyped]  # imported by the CBC path only

    model = pulp.LpProblem(name, pulp.LpMaximize)
    variables: list[Any] = []
    _pulp_columns(model, variables, columns, 0)
    _pulp_rows(model, variables, rows)
    return model, variables


def _pulp_columns(model: Any, variables: list[Any], columns: Columns, first: int) -> None:
    import pulp  # imported by the CBC path only

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
    import pulp  # imported by the CBC path only

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

    def maximise(
        self, goal: Linear, seconds: float | None, warm: FloatArray | None, gap: float = 0.0, *, search: bool = True
    ) -> Attempt:
        import pulp  # imported by the CBC path only

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
        import pulp  # imported by the CBC path only

        expr = pulp.LpAffineExpression(
            [(self.variables[j], c) for j, c in zip(goal.index.tolist(), goal.value.tolist(), strict=True)]
        )
        self.model.addConstraint(
            pulp.LpConstraint(expr, pulp.LpConstraintGE, f"keep{self.model.numConstraints()}", value)
        )
