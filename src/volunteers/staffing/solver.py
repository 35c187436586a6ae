"""Solving off the event loop: a worker process, so the server keeps answering."""

from __future__ import annotations

import asyncio
import multiprocessing
from concurrent.futures import Executor, ProcessPoolExecutor
from typing import Any


def solve_json(problem_data: dict[str, Any], time_limit: float) -> dict[str, Any]:
    """Check the pins, solve, and return the plan, the checked problem and its warnings (in the worker)."""
    import matching
    from volunteers.staffing.pins import drop_broken_pins

    warnings = drop_broken_pins(problem_data)
    plan = matching.solve(matching.parse_problem(problem_data), time_limit=time_limit)
    return {"plan": plan.to_dict(), "problem": problem_data, "warnings": warnings}


def _warm() -> bool:
    import matching  # noqa: F401  (pays the import once per worker)
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
            self._executor = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
        return self._executor

    async def warm(self) -> None:
        await asyncio.get_running_loop().run_in_executor(self._pool(), _warm)

    async def solve(self, problem: dict[str, Any], time_limit: float) -> dict[str, Any]:
        # The dict is pickled by the executor's feeder thread, not on the event loop.
        return await asyncio.get_running_loop().run_in_executor(self._pool(), solve_json, problem, time_limit)

    def shutdown(self) -> None:
        if self._owned and self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None
