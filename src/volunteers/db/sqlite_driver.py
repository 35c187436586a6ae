"""aiosqlite with one trip to its thread per statement.

aiosqlite runs each sqlite3 call in its own thread and hands the result back to the
event loop. SQLAlchemy's adapter makes four such calls per statement (cursor,
execute, fetchall, close), and under load each hand-over waits for the interpreter
lock, so a three-statement request made some seventeen trips. This adapter runs the
whole statement (execute, fetch every row, close) as one call in aiosqlite's thread;
the rows, the description and the counts come back together. Everything else is
SQLAlchemy's own aiosqlite adapter, passed to the engine as its DBAPI module.
"""

from __future__ import annotations

import sqlite3
from collections import deque
from typing import Any

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)
from sqlalchemy.util.concurrency import await_only

Result = tuple[Any, list[Any] | None, int, int]


def _execute(conn: sqlite3.Connection, operation: str, parameters: Any) -> Result:
    """Runs in aiosqlite's thread: the statement, its rows and its counts in one go."""
    cursor = conn.cursor()
    try:
        if parameters is None:
            cursor.execute(operation)
        else:
            cursor.execute(operation, parameters)
        if cursor.description:
            return cursor.description, cursor.fetchall(), -1, -1
        return None, None, cursor.lastrowid or 0, cursor.rowcount
    finally:
        cursor.close()


def _executemany(conn: sqlite3.Connection, operation: str, seq_of_parameters: Any) -> Result:
    cursor = conn.cursor()
    try:
        cursor.executemany(operation, seq_of_parameters)
        return None, None, cursor.lastrowid or 0, cursor.rowcount
    finally:
        cursor.close()


class OneTripCursor(AsyncAdapt_aiosqlite_cursor):
    __slots__ = ()

    def _run(self, fn: Any, operation: Any, parameters: Any) -> None:
        try:
            connection = self._connection
            description, rows, lastrowid, rowcount = self.await_(
                connection._execute(fn, connection._conn, operation, parameters)  # type: ignore[attr-defined]
            )
        except Exception as error:
            self._adapt_connection._handle_exception(error)
        self.description = description
        self._rows = deque(rows) if rows is not None else deque()
        self.lastrowid = lastrowid if description is None else -1
        self.rowcount = rowcount

    def execute(self, operation: Any, parameters: Any = None) -> Any:
        self._run(_execute, operation, parameters)

    def executemany(self, operation: Any, seq_of_parameters: Any) -> Any:
        self._run(_executemany, operation, seq_of_parameters)


class OneTripConnection(AsyncAdapt_aiosqlite_connection):
    __slots__ = ()

    def cursor(self, server_side: bool = False) -> AsyncAdapt_aiosqlite_cursor:
        if server_side:  # streamed results keep SQLAlchemy's own cursor
            return super().cursor(server_side=True)
        return OneTripCursor(self)


class OneTripDBAPI(AsyncAdapt_aiosqlite_dbapi):
    """SQLAlchemy's aiosqlite DBAPI adapter, handing out one-trip connections."""

    def connect(self, *arg: Any, **kw: Any) -> AsyncAdapt_aiosqlite_connection:
        kw.pop("async_fallback", None)
        connection = aiosqlite.connect(*arg, **kw)
        connection._thread.daemon = True  # as SQLAlchemy does: never keep the process alive
        return OneTripConnection(self, await_only(connection))


def dbapi() -> OneTripDBAPI:
    return OneTripDBAPI(aiosqlite, sqlite3)
