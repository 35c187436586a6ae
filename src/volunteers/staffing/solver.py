"""Solving off the event loop: a worker process, so the server keeps answering."""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import time
from concurrent.futures import Executor, ProcessPoolExecutor
from typing import Any

from volunteers.staffing.assembly import ProblemRows, assemble
from volunteers.workers import follow_parent

# However long building took, the matcher gets at least this long (or the whole limit if
# that is less): about what it needs to prove coverage for a partnership's weeks.
MIN_SOLVE_SECONDS = 0.5


def solve_rows(rows: ProblemRows, time_limit: float) -> dict[str, Any]:
    """Build the problem from its rows, check the pins, solve (in the worker).

    Returns the plan and the checked problem (as JSON text) and the warnings about pins it
    dropped. The time limit covers the building too: it is the run's, not only the matcher's.
    """
    import matching
    from volunteers.staffing.pins import drop_broken_pins

    started = time.perf_counter()
    problem = assemble(rows).problem
    warnings = drop_broken_pins(problem)
    loaded = matching.parse_problem(problem)
    left = max(min(MIN_SOLVE_SECONDS, time_limit), time_limit - (time.perf_counter() - started))
    plan = matching.solve(loaded, time_limit=left)
    # As JSON text: one string crosses back to the server, and is stored as it is.
    return {"plan_json": json.dumps(plan.to_dict()), "problem_json": json.dumps(problem), "warnings": warnings}


def _warm() -> bool:
    # Pays the imports once per worker.
    import matching  # noqa: F401
    import volunteers.staffing.pins  # noqa: F401

    return True


class Solver:
    """Runs `solve_json` in an executor: a process pool by default, injectable for tests."""

    def __init__(self, executor: Executor | None = None):
        self._executor = executor
        self._owned = executor is None

    def _pool(self) -> Executor:
        if self._executor is None:
            # Spawned, not forked: a forked worker would inherit the server's sockets and keep
            # clients' connections open after the server itself is gone.
            # The worker follows its parent: no orphaned solver when the server is killed.
            self._executor = ProcessPoolExecutor(
                max_workers=1, mp_context=multiprocessing.get_context("spawn"), initializer=follow_parent
            )
        return self._executor

    async def warm(self) -> None:
        await asyncio.get_running_loop().run_in_executor(self._pool(), _warm)

    async def solve(self, rows: ProblemRows, time_limit: float) -> dict[str, Any]:
        # The rows are pickled by the executor's feeder thread, not on the event loop.
        return await asyncio.get_running_loop().run_in_executor(self._pool(), solve_rows, rows, time_limit)

    def shutdown(self) -> None:
        if self._owned and self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None
