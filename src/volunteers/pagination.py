"""Paginated lists: `?limit=&offset=` in, `{items, total, limit, offset}` out."""

from __future__ import annotations

from typing import Annotated, Generic, TypeVar

import msgspec
from litestar.params import Parameter

from volunteers.limits import MAX_OFFSET

T = TypeVar("T")

Limit = Annotated[int, Parameter(ge=1, le=500, description="Page size")]
# Bounded: SQLite refuses an offset of 2^63 and PostgreSQL one of 2^31 (with a 500).
Offset = Annotated[int, Parameter(ge=0, le=MAX_OFFSET, description="Items to skip")]


class Page(msgspec.Struct, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int
