"""Executes match runs in the background of the app that received them."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy import or_, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import defer

from volunteers.db.models import MatchRun, MatchRunStatus, Partnership
from volunteers.settings import Settings
from volunteers.staffing.publishing import publish
from volunteers.staffing.solver import RunFailed, Solver
from volunteers.workers import writing

log = logging.getLogger("samverka.runs")
# Longer than the longest time limit a run may have (600 s) plus building and storing.
STALE_AFTER_SECONDS = 900


class RunScheduler:
    """Starts a task per run; the run itself (load, solve, store) happens in the solver's worker process."""

    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        settings: Settings,
        clock: Callable[[], Any],
        solver: Solver | None = None,
    ):
        self.sessionmaker = sessionmaker
        self.settings = settings
        self.clock = clock
        self.solver = solver or Solver()
        self.tasks: dict[uuid.UUID, asyncio.Task[None]] = {}

    def writing(self) -> Any:
        return writing(self.sessionmaker, self.settings)

    def schedule(self, run_id: uuid.UUID) -> None:
        task = asyncio.get_running_loop().create_task(self._execute(run_id))
        self.tasks[run_id] = task
        task.add_done_callback(lambda _: self.tasks.pop(run_id, None))

    async def wait(self, run_id: uuid.UUID, seconds: float) -> None:
        """Wait (at most `seconds`) for a run of this instance to finish."""
        task = self.tasks.get(run_id)
        if task is not None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(task), seconds)

    async def _execute(self, run_id: uuid.UUID) -> None:
        try:
            # The worker claims, loads, solves and stores the run; the event loop only waits.
            outcome = await self.solver.run(self.settings, run_id, self.clock(), self.settings.match_time_limit_seconds)
            if outcome != "done":
                return
            async with self.sessionmaker() as db:
                run = await db.get(MatchRun, run_id, options=[defer(MatchRun.problem), defer(MatchRun.plan)])
                assert run is not None
                partnership = await db.get(Partnership, run.partnership_id)
                auto = (
                    run.kind in ("leader_request", "replan")
                    and partnership is not None
                    and partnership.leader_requests_publish_directly
                )
            if auto:
                async with self.writing() as db:
                    await publish(db, None, run_id, self.clock(), self.settings.base_url)
                    await db.commit()
        except Exception as exc:
            log.exception("match run %s failed", run_id)
            async with self.writing() as db:
                await db.execute(
                    update(MatchRun)
                    .where(
                        MatchRun.id == run_id,
                        MatchRun.status.in_([MatchRunStatus.QUEUED, MatchRunStatus.RUNNING, MatchRunStatus.DONE]),
                    )
                    .values(
                        status=MatchRunStatus.FAILED,
                        error=_reason(exc)[:2000],
                        finished_at=self.clock(),
                    )
                )
                await db.commit()

    async def fail_interrupted(self) -> None:
        """Runs that an instance left unfinished (it stopped) will never finish: say so.

        An instance's own unfinished runs are failed at its start whatever their age: a
        run is solved in the process that started it, so none of them can still be going.
        Another instance's (or one recorded before instances were) only once past any time
        it could still legitimately take, so that the start of one instance never fails
        the runs of another that is still working.
        """
        now = self.clock()
        mine = self.settings.resolved_instance_id
        async with self.writing() as db:
            await db.execute(
                update(MatchRun)
                .where(
                    MatchRun.status.in_([MatchRunStatus.QUEUED, MatchRunStatus.RUNNING]),
                    or_(
                        MatchRun.instance_id == mine,
                        MatchRun.created_at < now - dt.timedelta(seconds=STALE_AFTER_SECONDS),
                    ),
                )
                .values(
                    status=MatchRunStatus.FAILED,
                    error="interrupted: the server stopped during the run",
                    finished_at=now,
                )
            )
            await db.commit()

    async def close(self) -> None:
        for task in list(self.tasks.values()):
            task.cancel()
        self.solver.shutdown()


def _reason(exc: Exception) -> str:
    """Why a run failed: the worker's own words, or the error's type and message."""
    return str(exc) if isinstance(exc, RunFailed) else f"{type(exc).__name__}: {exc}"
