"""Reading hot lists as plain values.

The ORM's column types turn every SQLite value into Python objects one by one (a
UUID from 16 bytes, a datetime parsed from text, an enum looked up), which for a
list of a few hundred rows costs more than the query. `plain` reads a column as the
stored value on SQLite, and the converters below do the same work in bulk-friendly
form: repeated ids are converted once. On PostgreSQL asyncpg already returns
native values, so the columns are left as they are.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import type_coerce
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.types import NullType


def is_sqlite(db: AsyncSession) -> bool:
    bind = db.bind
    return bind is not None and bind.dialect.name == "sqlite"


def plain(column: Any, sqlite: bool) -> Any:
    """The column as SQLite stores it (no type processing); unchanged elsewhere."""
    if not sqlite:
        return column
    return type_coerce(column, NullType()).label(f"{column.table.name}_{column.key}")


class Ids:
    """bytes -> UUID, remembering ids that repeat (activities, partners) across rows."""

    def __init__(self) -> None:
        self._seen: dict[Any, uuid.UUID] = {}

    def __call__(self, value: Any) -> uuid.UUID | None:
        if value is None or isinstance(value, uuid.UUID):
            return value
        found = self._seen.get(value)
        if found is None:
            found = self._seen[value] = uuid.UUID(bytes=value)
        return found


def utc(value: Any) -> dt.datetime:
    """A stored UTC time (aware already on PostgreSQL, ISO text on SQLite)."""
    if isinstance(value, dt.datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
    return dt.datetime.fromisoformat(value + "+00:00")


def text(value: Any) -> str:
    """An enum column's stored value (an enum member where the type was kept)."""
    return value if isinstance(value, str) else value.value
