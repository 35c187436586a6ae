"""Executes match runs in the background of the app that received them."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy import Text, cast, literal, update
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import defer

from volunteers.db.models import MatchRun, MatchRunStatus, Partnership
from volunteers.settings import Settings
from volunteers.staffing import runs
from volunteers.staffing.solver import Solver

log = logging.getLogger("samverka.runs")
# Longer than the longest time limit a run may have (600 s) plus building and storing.
STALE_AFTER_SECONDS = 900


class RunScheduler:
    """Starts a task per run; the solve itself happens in the solver's worker process."""

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
        return _writing(self.sessionmaker, self.settings)

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
            async with self.writing() as db:
                run = await db.get(MatchRun, run_id)
                if run is None or run.status != MatchRunStatus.QUEUED:
                    return
                rows = await runs.prepare_run(db, run, self.clock(), self.settings.match_time_limit_seconds)
                limit = run.time_limit_seconds
                await db.commit()
            solved = await self.solver.solve(rows, limit)
            async with self.writing() as db:
                run = await db.get(MatchRun, run_id, options=[defer(MatchRun.problem), defer(MatchRun.plan)])
                assert run is not None
                # The problem and plan arrive as JSON text and are stored as they are: a city's
                # megabytes are never turned into Python objects and back on the event loop.
                await db.execute(
                    update(MatchRun)
                    .where(MatchRun.id == run_id)
                    .values(
                        problem=_json_text(db, solved["problem_json"]),
                        plan=_json_text(db, solved["plan_json"]),
                        warnings=solved["warnings"],
                        status=MatchRunStatus.DONE,
                        finished_at=self.clock(),
                    )
                    .execution_options(synchronize_session=False)
                )
                await db.commit()
                partnership = await db.get(Partnership, run.partnership_id)
                auto = (
                    run.kind in ("leader_request", "replan")
                    and partnership
                    and partnership.leader_requests_publish_directly
                )
            if auto:
                async with self.writing() as db:
                    await runs.publish(db, None, run_id, self.clock(), self.settings.base_url)
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
                        error=f"{type(exc).__name__}: {exc}"[:2000],
                        finished_at=self.clock(),
                    )
                )
                await db.commit()

    async def fail_interrupted(self) -> None:
        """Runs that an instance left unfinished (it stopped) will never finish: say so.

        Only runs past any time they could still legitimately take, so that the start
        of one instance never fails the runs of another that is still working.
        """
        now = self.clock()
        async with self.writing() as db:
            await db.execute(
                update(MatchRun)
                .where(
                    MatchRun.status.in_([MatchRunStatus.QUEUED, MatchRunStatus.RUNNING]),
                    MatchRun.created_at < now - dt.timedelta(seconds=STALE_AFTER_SECONDS),
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


def _json_text(db: AsyncSession, text: str) -> Any:
    """A JSON column's value from text already serialised (PostgreSQL casts it; SQLite stores it)."""
    value = literal(text, Text)
    return cast(value, JSONB) if db.bind.dialect.name == "postgresql" else value


@contextlib.asynccontextmanager
async def _writing(sessionmaker: async_sessionmaker[AsyncSession], settings: Settings) -> Any:
    async with sessionmaker() as db:
        if settings.is_sqlite:
            await db.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
        yield db
