"""Impact reports this process built, kept while the data they were built from is unchanged.

Triggers bump the "reports" version with every change to the report's tables, whoever
makes it: this process, another worker, another program. On SQLite they bump the one
"reports" row at the write (migration 0005_report2; writers take turns there anyway); on
PostgreSQL a deferred trigger bumps one of eight shard rows at COMMIT (migration
0006_rep17), so writers do not queue on one row; the version is the sum. A report is kept
under that version and is good until the next session of its period begins (sessions
held and places filled count sessions begun by now, so the figures move with the clock
even when no row does). Each process keeps its own reports; all read one version.

Race: the version is read before the report and again, on a fresh transaction, after it;
a report is kept only when both agree, so no commit landed while it was being built and
every query of it saw the data of that version.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import OrderedDict
from collections.abc import Awaitable, Callable

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from volunteers.db.models import Activity, Session, change_counter
from volunteers.reports.period import Period
from volunteers.reports.schemas import ImpactReport

KEPT = 32
_VERSION = select(func.sum(change_counter.c.version)).where(
    or_(change_counter.c.name == "reports", change_counter.c.name.like("reports:%"))
)
# Whether the current PostgreSQL transaction has written anything (it has a transaction id).
_WROTE = select(func.pg_current_xact_id_if_assigned().is_not(None))
Key = tuple[str, uuid.UUID, dt.date, dt.date, str]


class ReportCache:
    def __init__(self) -> None:
        self.entries: OrderedDict[Key, tuple[int, dt.datetime, ImpactReport]] = OrderedDict()
        self.hits = 0

    async def version(self, engine: AsyncEngine) -> int | None:
        """The "reports" version read on a fresh connection."""
        async with AsyncSession(engine) as fresh:
            v = await fresh.scalar(_VERSION)
        return None if v is None else int(v)

    async def get_or_build(
        self,
        db: AsyncSession,
        partnership_id: uuid.UUID,
        period: Period,
        now: dt.datetime,
        lang: str,
        build: Callable[[], Awaitable[ImpactReport]],
    ) -> ImpactReport:
        engine = db.bind
        if not isinstance(engine, AsyncEngine) or db.new or db.dirty or db.deleted:
            return await build()
        # Before: on the caller's own transaction, whose snapshot the report reads (and the
        # second connection's, opened later, is no older); after: on a fresh one.
        v = await db.scalar(_VERSION)
        if v is None:  # a database made without the migrations
            return await build()
        if engine.dialect.name == "postgresql" and await db.scalar(_WROTE):
            # This transaction has written: its own rows show in the report, but its bump
            # comes only at its commit (which may never come), so the version cannot vouch.
            return await build()
        before = int(v)
        key: Key = (str(engine.url), partnership_id, period.start, period.end, lang)
        kept = self.entries.get(key)
        if kept is not None and kept[0] == before and now < kept[1]:
            self.hits += 1
            self.entries.move_to_end(key)
            return kept[2]
        report = await build()
        # The figures stay good until the next session of the period begins.
        next_start = await db.scalar(
            select(func.min(Session.starts_at))
            .join(Activity, Activity.id == Session.activity_id)
            .where(Activity.partnership_id == partnership_id, Session.starts_at > now, Session.starts_at < period.hi)
        )
        if await self.version(engine) == before:
            until = _as_utc(next_start) if next_start else dt.datetime.max.replace(tzinfo=dt.UTC)
            self.entries[key] = (before, until, report)
            self.entries.move_to_end(key)
            while len(self.entries) > KEPT:
                self.entries.popitem(last=False)
        return report


def _as_utc(at: dt.datetime | str) -> dt.datetime:
    if isinstance(at, str):
        at = dt.datetime.fromisoformat(at)
    return at if at.tzinfo else at.replace(tzinfo=dt.UTC)


report_cache = ReportCache()
