"""Match runs executed in a worker process that reads and writes the database itself.

The server only queues a run and awaits a one-word answer. Loading the rows (tens of
thousands for a city), building and solving the problem and storing the problem and plan
(megabytes of JSON) all happen in the worker, on its own connection: none of these long
steps holds the server's event loop or its interpreter lock. (When the server loaded the
rows and pickled them across, its `/health` stalled for up to 150 ms per run.)

The worker's transactions, in order: claim the run (queued -> running, a short write),
read its rows (one snapshot), and store the problem and plan with the status done (one
short write, only if the run is still running). A crash anywhere leaves either nothing
or a complete run; the server records a failure and why.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import time
import uuid
from concurrent.futures import Executor
from typing import Any

from sqlalchemy import Text, cast, literal, update
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import configure_mappers, defer

from volunteers.db.models import MatchRun, MatchRunStatus, Partnership
from volunteers.settings import Settings
from volunteers.staffing.assembly import ProblemRows, assemble
from volunteers.staffing.problem import TargetRow, load_rows, target_sessions
from volunteers.staffing.runs import local_range
from volunteers.workers import own_engine, worker_pool, writing

# However long building took, the matcher gets at least this long (or the whole limit if
# that is less): about what it needs to prove coverage for a partnership's weeks.
MIN_SOLVE_SECONDS = 0.5


class RunFailed(Exception):
    """A run's worker failed; the message says why (the original error's type and text)."""


def auto_time_limit(sessions: int, max_seconds: float) -> float:
    """How long the matcher may search when the coordinator did not say.

    Coverage and stability are proven within a fraction of a second at a partnership's
    size; the soft goals (continuity, fairness, ...) can take far longer to prove for a
    gain of a fraction of a percent, so the search stops while the coordinator still
    waits for the review, and the plan says its remaining gap. About 1.9 s for a
    partnership's 8 weeks (130 sessions: the soft goals' value at 1.9 s was within 0.5 %
    of their value at 5 and 8 s), 11.5 s for a city's thousand sessions (coverage alone
    takes 5 to 6 s there).
    """
    return min(max_seconds, 0.5 + sessions * 0.011)


def solve_rows(rows: ProblemRows, time_limit: float) -> dict[str, Any]:
    """Build the problem from its rows, check the pins, solve.

    Returns the plan and the checked problem (as JSON text) and the warnings about pins it
    dropped. The time limit covers the building too: it is the run's, not only the matcher's.
    """
    import matching
    from volunteers.staffing.pins import drop_broken_pins

    started = time.perf_counter()
    built = assemble(rows)
    problem = built.problem
    warnings = built.warnings + drop_broken_pins(problem, built.no_consent)
    loaded = matching.parse_problem(problem)
    left = max(min(MIN_SOLVE_SECONDS, time_limit), time_limit - (time.perf_counter() - started))
    plan = matching.solve(loaded, time_limit=left)
    return {"plan_json": json.dumps(plan.to_dict()), "problem_json": json.dumps(problem), "warnings": warnings}


def execute_run(settings: Settings, run_id: uuid.UUID, now: dt.datetime, max_seconds: float) -> str:
    """In the worker: claim, load, solve and store the run. Returns "done", or "skipped" if it was not queued.

    `now` is the server's clock when it handed the run over; the run finishes at `now` plus
    the time the worker took, so that an injected clock stays the one clock of a run.
    """
    try:
        return asyncio.run(_execute(settings, run_id, now, max_seconds))
    except Exception as exc:
        # The message crosses back whatever the error (some database errors do not pickle).
        raise RunFailed(f"{type(exc).__name__}: {exc}") from None


async def _execute(settings: Settings, run_id: uuid.UUID, now: dt.datetime, max_seconds: float) -> str:
    started = time.perf_counter()
    async with own_engine(settings) as engine:
        sessionmaker = async_sessionmaker(engine, expire_on_commit=False)
        async with writing(sessionmaker, settings) as db:
            run = await db.get(MatchRun, run_id, options=[defer(MatchRun.problem), defer(MatchRun.plan)])
            if run is None or run.status != MatchRunStatus.QUEUED:
                return "skipped"
            partnership = await db.get(Partnership, run.partnership_id)
            assert partnership is not None
            targets = await _targets(db, run, partnership)
            if run.time_limit_seconds <= 0:
                run.time_limit_seconds = auto_time_limit(len(targets), max_seconds)
            run.status = MatchRunStatus.RUNNING
            run.started_at = now
            run.session_ids = run.session_ids or [t.session_id for t in targets]
            limit = run.time_limit_seconds
            await db.commit()

        async with sessionmaker() as db:
            await _snapshot(db)
            partnership = await db.get(Partnership, run.partnership_id)
            assert partnership is not None
            rows = await load_rows(db, partnership, targets)
            await db.rollback()

        solved = solve_rows(rows, limit)

        async with writing(sessionmaker, settings) as db:
            stored = await db.execute(
                update(MatchRun)
                .where(MatchRun.id == run_id, MatchRun.status == MatchRunStatus.RUNNING)
                .values(
                    problem=json_text(db, solved["problem_json"]),
                    plan=json_text(db, solved["plan_json"]),
                    warnings=solved["warnings"],
                    status=MatchRunStatus.DONE,
                    finished_at=now + dt.timedelta(seconds=time.perf_counter() - started),
                )
                .execution_options(synchronize_session=False)
            )
            await db.commit()
        # Not running any more: the server marked it failed meanwhile (it gave up on it).
        return "done" if stored.rowcount else "skipped"  # type: ignore[attr-defined]


async def _targets(db: AsyncSession, run: MatchRun, partnership: Partnership) -> list[TargetRow]:
    start, end = local_range(run.period_start, run.period_end, partnership.timezone)
    return await target_sessions(
        db,
        partnership.id,
        start,
        end,
        [uuid.UUID(a) for a in run.activity_ids],
        [uuid.UUID(s) for s in run.session_ids],
    )


async def _snapshot(db: AsyncSession) -> None:
    """Every query of the session's transaction sees one state of the database.

    SQLite's read transaction already does (from its first read); PostgreSQL needs
    REPEATABLE READ for that (its default takes a new snapshot per statement).
    """
    if db.bind.dialect.name == "postgresql":
        await db.connection(execution_options={"isolation_level": "REPEATABLE READ", "postgresql_readonly": True})


def json_text(db: AsyncSession, text: str) -> Any:
    """A JSON column's value from text already serialised (PostgreSQL casts it; SQLite stores it)."""
    value = literal(text, Text)
    return cast(value, JSONB) if db.bind.dialect.name == "postgresql" else value


def _warm() -> bool:
    # Pays the imports (the matcher, the database layer) and the ORM's mapper set-up (a
    # good part of a second) once per worker, before its first run.
    import matching  # noqa: F401
    import volunteers.staffing.pins  # noqa: F401

    configure_mappers()
    return True


class Solver:
    """Runs `execute_run` in an executor: a process pool by default, injectable for tests."""

    def __init__(self, executor: Executor | None = None):
        self._executor = executor
        self._owned = executor is None

    def _pool(self) -> Executor:
        if self._executor is None:
            # The worker follows its parent: no orphaned solver when the server is killed.
            self._executor = worker_pool()
        return self._executor

    async def warm(self) -> None:
        await asyncio.get_running_loop().run_in_executor(self._pool(), _warm)

    async def run(self, settings: Settings, run_id: uuid.UUID, now: dt.datetime, max_seconds: float) -> str:
        """Execute a queued run in the worker; returns "done" or "skipped", raises `RunFailed`."""
        return await asyncio.get_running_loop().run_in_executor(
            self._pool(), execute_run, settings, run_id, now, max_seconds
        )

    def shutdown(self) -> None:
        if self._owned and self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None
