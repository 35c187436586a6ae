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
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
import pulp  # type: ignore[import-untyped]
from numpy.typing import NDArray

from matching.formulation import Columns, Linear, Rows
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
