"""Engines for the embedded SQLite default and for PostgreSQL."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.util.concurrency import await_only, in_greenlet

from volunteers.db import sqlite_driver
from volunteers.db.files import secure_data_dir
from volunteers.settings import Settings

WRITER_WAIT = 10.0  # seconds; as long as SQLite's busy timeout
_HOLDS_WRITE_TURN = "samverka_holds_write_turn"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # Writers queue for a while instead of failing at once with "database is locked".
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def create_engine(settings: Settings) -> AsyncEngine:
    """An async engine for the configured database; SQLite gets WAL and foreign keys."""
    url = settings.effective_database_url
    if url.startswith("sqlite"):
        secure_data_dir(settings)  # 0700 directory, 0600 database (and so -wal and -shm)
        engine = create_async_engine(
            url,
            echo=settings.sql_echo,
            connect_args={"timeout": 10},
            module=sqlite_driver.dbapi(),
            pool_size=8,
            max_overflow=8,
        )
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        # Take the write lock at the start of a transaction (BEGIN IMMEDIATE) when asked,
        # so that check-then-write sequences cannot interleave between connections.
        _begin_as_requested(engine)
        return engine
    return create_async_engine(url, echo=settings.sql_echo, pool_size=10, max_overflow=20, pool_pre_ping=True)


def _begin_as_requested(engine: AsyncEngine) -> None:
    sync_engine = engine.sync_engine
    writers = asyncio.Lock()

    @event.listens_for(sync_engine, "connect")
    def _no_implicit_begin(dbapi_connection: Any, _record: Any) -> None:
        # pysqlite's own transaction handling is off so that SQLAlchemy emits BEGIN.
        dbapi_connection.isolation_level = None

    @event.listens_for(sync_engine, "begin")
    def _begin(conn: Any) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        if mode == "IMMEDIATE" and in_greenlet():
            # Writers of this process queue here, in turn, for SQLite's one write lock;
            # contending inside SQLite instead means its busy handler's sleeps of up to
            # 100 ms at a time. After WRITER_WAIT seconds a writer goes on regardless and
            # SQLite's own busy timeout still guards it.
            try:
                await_only(asyncio.wait_for(writers.acquire(), WRITER_WAIT))
            except TimeoutError:
                pass
            else:
                conn.info[_HOLDS_WRITE_TURN] = True
        conn.exec_driver_sql(f"BEGIN {mode}")

    def _end_turn(_dbapi_connection: Any, record: Any, *_: Any) -> None:
        # The transaction has ended once the connection is back in the pool (or dropped).
        if record is not None and record.info.pop(_HOLDS_WRITE_TURN, False):
            writers.release()

    event.listen(sync_engine.pool, "checkin", _end_turn)
    event.listen(sync_engine.pool, "invalidate", _end_turn)


async def analyze(engine: AsyncEngine) -> None:
    """Refresh the query planner's statistics.

    PostgreSQL's autovacuum keeps them; SQLite has none until ANALYZE runs, and without
    them it picks poor indexes (listing a week's sessions scanned every session of the
    partnership). Bounded by analysis_limit, this takes milliseconds.
    """
    async with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            await conn.exec_driver_sql("PRAGMA analysis_limit=1000")
        await conn.exec_driver_sql("ANALYZE")
