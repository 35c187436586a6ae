"""aiosqlite with one trip to its thread per statement.

aiosqlite runs each sqlite3 call in its own thread and hands the result back to the
event loop. SQLAlchemy's adapter makes four such calls per statement (cursor,
execute, fetchall, close), and under load each hand-over waits for the interpreter
lock, so a three-statement request made some seventeen trips. This adapter runs the
whole statement (execute, fetch every row, close) as one call in aiosqlite's thread;
the rows, the description and the counts come back together. Everything else is
SQLAlchemy's own aiosqlite adapter, passed to the engine as its DBAPI module.

Reads skip the thread altogether. In WAL mode a reader takes no lock and never waits
for a writer, so a SELECT (and the BEGIN of a deferred transaction, and the end of a
transaction that wrote nothing) runs at once on the event loop's thread: the hand-over
to aiosqlite's thread and back cost more than the query itself on the hot reads, and
under load each trip waited for the interpreter lock. Anything that may wait for
SQLite's write lock (BEGIN IMMEDIATE, INSERT, UPDATE, DELETE, DDL, PRAGMA) and the
commit of a transaction that wrote (which may checkpoint the WAL) still goes to the
thread, where its waiting never stalls the loop.
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


async def _at_once(fn: Any, *args: Any) -> Any:
    """Run fn on the loop's thread. Awaited like the threaded calls (SQLAlchemy's async
    connection insists that every statement awaits something), it completes without
    yielding to the event loop."""
    return fn(*args)


def _reads_only(operation: str) -> bool:
    """A statement that takes no write lock: a SELECT, or the BEGIN of a deferred transaction."""
    head = operation[:16].lstrip().upper()
    return head.startswith("SELECT") or head == "BEGIN" or head.startswith("BEGIN DEFERRED")


def _execute(conn: sqlite3.Connection, operation: str, parameters: Any) -> Result:
    """The statement, its rows and its counts in one go (in aiosqlite's thread, or at once for reads)."""
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
        adapted: OneTripConnection = self._adapt_connection  # type: ignore[assignment]
        try:
            connection = self._connection
            if fn is _execute and _reads_only(operation):
                description, rows, lastrowid, rowcount = self.await_(
                    _at_once(fn, connection._conn, operation, parameters)
                )
            else:
                adapted._wrote = True
                description, rows, lastrowid, rowcount = self.await_(
                    connection._execute(fn, connection._conn, operation, parameters)
                )
        except Exception as error:
            adapted._handle_exception(error)
        self.description = description
        self._rows = deque(rows) if rows is not None else deque()
        self.lastrowid = lastrowid if description is None else -1
        self.rowcount = rowcount

    def execute(self, operation: Any, parameters: Any = None) -> Any:
        self._run(_execute, operation, parameters)

    def executemany(self, operation: Any, seq_of_parameters: Any) -> Any:
        self._run(_executemany, operation, seq_of_parameters)


class OneTripConnection(AsyncAdapt_aiosqlite_connection):
    # Whether the current transaction ran anything but reads (so its end goes to the thread).
    __slots__ = ("_wrote",)

    def __init__(self, dbapi: Any, connection: Any) -> None:
        super().__init__(dbapi, connection)
        self._wrote = False

    def _end(self, how: str) -> None:
        wrote, self._wrote = self._wrote, False
        try:
            if wrote:
                self.await_(getattr(self._connection, how)())
            else:
                self.await_(_at_once(getattr(self._connection._conn, how)))
        except Exception as error:
            self._handle_exception(error)

    def commit(self) -> None:
        self._end("commit")

    def rollback(self) -> None:
        self._end("rollback")

    def cursor(self, server_side: bool = False) -> AsyncAdapt_aiosqlite_cursor:
        if server_side:  # streamed results keep SQLAlchemy's own cursor
            return super().cursor(server_side=True)
        return OneTripCursor(self)


class OneTripDBAPI(AsyncAdapt_aiosqlite_dbapi):
    """SQLAlchemy's aiosqlite DBAPI adapter, handing out one-trip connections."""

    def connect(self, *arg: Any, **kw: Any) -> AsyncAdapt_aiosqlite_connection:
        kw.pop("async_fallback", None)
        # Reads run on the event loop's thread, writes on aiosqlite's; never both at once.
        kw["check_same_thread"] = False
        connection = aiosqlite.connect(*arg, **kw)
        connection._thread.daemon = True  # as SQLAlchemy does: never keep the process alive
        return OneTripConnection(self, await_only(connection))


def dbapi() -> OneTripDBAPI:
    return OneTripDBAPI(aiosqlite, sqlite3)
