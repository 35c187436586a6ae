"""Engines for the embedded SQLite default and for PostgreSQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from volunteers.db import sqlite_driver
from volunteers.settings import Settings


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
        settings.data_dir.mkdir(parents=True, exist_ok=True)
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

    @event.listens_for(sync_engine, "connect")
    def _no_implicit_begin(dbapi_connection: Any, _record: Any) -> None:
        # pysqlite's own transaction handling is off so that SQLAlchemy emits BEGIN.
        dbapi_connection.isolation_level = None

    @event.listens_for(sync_engine, "begin")
    def _begin(conn: Any) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


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
