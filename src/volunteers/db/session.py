"""The request's database session: one transaction per request, committed at the end."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Any

from litestar import Request
from litestar.datastructures import State
from litestar.di import NamedDependency
from sqlalchemy.ext.asyncio import AsyncSession

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# A read that writes an audit entry says so in its handler's opt: `opt={AUDITED_READ: True}`.
AUDITED_READ = "audited_read"


async def provide_db(state: State, request: Request[Any, Any, Any]) -> AsyncGenerator[AsyncSession, None]:
    """Yield a session; commit if the handler succeeded, roll back if it raised.

    On SQLite a writing request takes the write lock with its first statement (BEGIN
    IMMEDIATE), so that its reads and writes cannot interleave with another writer's: a
    check such as "is this volunteer free then?" stays true until the commit. Work done
    before the first statement (hashing a password) does not hold the lock.

    A read that audits (background checks, an export, a coordinator's page of a volunteer)
    is a writing request too. Begun as a plain read, its audit entry would have to upgrade
    the read transaction to a write, and SQLite refuses that upgrade at once with
    "database is locked" whenever another connection wrote since the read began (its busy
    timeout does not apply to an upgrade): 70-80 % of such reads failed while volunteers
    saved availability. Taking the write lock up front makes it queue for its turn like any
    writer, and the audit entry stays in the same transaction as the read it records, so
    a read is never shown without its audit entry, nor audited without being shown.
    """
    reads_only = request.method in SAFE_METHODS and not request.route_handler.opt.get(AUDITED_READ)
    maker = state.sessionmaker if reads_only else state.write_sessionmaker
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
