"""The request's database session: one transaction per request, committed at the end."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Any

from litestar import Request
from litestar.datastructures import State
from litestar.di import NamedDependency
from sqlalchemy.ext.asyncio import AsyncSession

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


async def provide_db(state: State, request: Request[Any, Any, Any]) -> AsyncGenerator[AsyncSession, None]:
    """Yield a session; commit if the handler succeeded, roll back if it raised.

    On SQLite a writing request takes the write lock with its first statement (BEGIN
    IMMEDIATE), so that its reads and writes cannot interleave with another writer's: a
    check such as "is this volunteer free then?" stays true until the commit. Work done
    before the first statement (hashing a password) does not hold the lock.
    """
    maker = state.sessionmaker if request.method in SAFE_METHODS else state.write_sessionmaker
    async with maker() as db:
        try:
            yield db
        except Exception:
            await db.rollback()
            raise
        else:
            await db.commit()


# The request's session, as handlers declare it.
Db = NamedDependency[AsyncSession]
