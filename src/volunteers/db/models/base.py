"""The declarative base of every table and the column types they share."""

from __future__ import annotations

import datetime as dt
import enum

from advanced_alchemy.base import UUIDv7AuditBase, orm_registry
from advanced_alchemy.types import DateTimeUTC, JsonB
from sqlalchemy import Enum

# UUIDv7 keys: not guessable like serial ids, yet ordered by creation for indexes.
Base = UUIDv7AuditBase
metadata = orm_registry.metadata
UTC = DateTimeUTC(timezone=True)
JSON = JsonB


def str_enum(cls: type[enum.Enum], name: str) -> Enum:
    """A portable enum column that stores the member's value as a short string."""
    return Enum(
        cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=24,
        values_callable=lambda members: [m.value for m in members],
    )


def utcnow() -> dt.datetime:
    """The current time in UTC (the default clock)."""
    return dt.datetime.now(dt.UTC)
