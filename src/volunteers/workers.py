"""Worker processes that go when their server goes, and their own database connections.

A process-pool worker waits on a pipe whose writing end it holds itself, so it never
sees its server stop or die (SIGKILL, a crash): it would live on as an orphan, holding
its memory (a solver's problem, a renderer's fonts). Each pool's initializer calls
`follow_parent`, which ends the worker once its parent is gone.

A worker that reads or writes the database does so on an engine of its own
(`own_engine`), so that the long steps (loading a city's rows, storing megabytes of
plan) never run on the server's event loop.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import threading
import time
from collections.abc import AsyncIterator
from concurrent.futures import ProcessPoolExecutor
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

    from volunteers.settings import Settings


def _exit_with_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(0)


def follow_parent() -> None:
    """In a worker process: exit as soon as the process that started it is gone.

    The parent is the one multiprocessing recorded when it spawned the worker, not the
    worker's parent when it gets round to this: a worker that starts after its server was
    killed has been handed to init already, and following init it lived on for good.
    """
    recorded = multiprocessing.parent_process()
    parent = recorded.pid if recorded is not None and recorded.pid is not None else os.getppid()
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True, name="parent-watch").start()


def worker_pool() -> ProcessPoolExecutor:
    """A pool of one worker process that follows its parent.

    Spawned, not forked: a forked worker would inherit the server's sockets and keep
    clients' connections open after the server itself is gone.
    """
    spawn = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(max_workers=1, mp_context=spawn, initializer=follow_parent)


@contextlib.asynccontextmanager
async def own_engine(settings: Settings) -> AsyncIterator[AsyncEngine]:
    """In a worker process: an engine of its own for one task, disposed after it.

    The worker keeps no connection between tasks: nothing pins a database that its
    owner wants to drop or restore.
    """
    from volunteers.db.engine import create_engine

    engine = create_engine(settings)
    try:
        yield engine
    finally:
        await engine.dispose()


@contextlib.asynccontextmanager
async def writing(sessionmaker: async_sessionmaker[AsyncSession], settings: Settings) -> AsyncIterator[AsyncSession]:
    """A session whose transaction writes: on SQLite it takes the write lock at BEGIN (IMMEDIATE).

    Writers of one process queue in turn (the engine's writer queue); across processes
    (the server and its workers) the connections' busy timeout makes a writer wait for
    another's commit instead of failing.
    """
    async with sessionmaker() as db:
        if settings.is_sqlite:
            await db.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
        yield db
