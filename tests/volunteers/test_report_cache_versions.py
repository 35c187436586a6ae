"""The report cache's version on both databases: what moves it, when, and what it never blocks.

The cache keeps a report while the "reports" version is unchanged, so every promise of the
cache rests on these: each table the report reads has its trigger; a committed write from
anywhere moves the version, an uncommitted or rolled-back one does not; a report built
while a write commits is not kept; a report built inside a transaction that has written
is not kept either; and on PostgreSQL, writers do not wait for each other on the version.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from report_history import generate
from service_support import run_db
from volunteers.db.engine import create_engine
from volunteers.db.models import Assignment, AssignmentStatus, Attendance, Partnership
from volunteers.reports import Period, build_report
from volunteers.reports.cache import ReportCache

# The tables the impact report reads (migrations 0005_report2 and 0006_rep17).
WATCHED = (
    "partnership",
    "partner",
    "activity",
    "activity_session",
    "staffing_need",
    "assignment",
    "assignment_event",
    "attendance",
    "volunteer_profile",
    "user_account",
    "match_run",
    "follow_up",
    "job_seeking_status",
    "consent",
    "certificate",
    "endorsement",
    "training",
    "report_goal",
    "session_participants",
)
PERIOD = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))


@pytest.fixture
def generated(settings: Any, world: Any) -> Any:
    return run_db(settings, generate(world, seed=11, volunteers=30))


async def _version(db: AsyncSession) -> int:
    found = await db.scalar(
        text("SELECT sum(version) FROM change_counter WHERE name = 'reports' OR name LIKE 'reports:%'")
    )
    return int(found)


def version(settings: Any) -> int:
    return int(run_db(settings, _version))


def test_every_table_the_report_reads_has_its_trigger(settings: Any) -> None:
    async def triggers(db: AsyncSession) -> dict[str, set[str]]:
        if settings.is_sqlite:
            rows = await db.execute(text("SELECT tbl_name, sql FROM sqlite_master WHERE type = 'trigger'"))
            found: dict[str, set[str]] = {}
            for t, sql in rows.all():
                events = {e for e in ("INSERT", "UPDATE", "DELETE") if f"AFTER {e} ON {t} " in sql}
                if "name = 'reports'" in sql:
                    found.setdefault(t, set()).update(events)
            return found
        rows = await db.execute(
            text(
                "SELECT c.relname, t.tgtype, t.tgdeferrable, t.tginitdeferred FROM pg_trigger t "
                "JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid "
                "WHERE p.proname = 'samverka_bump_reports'"
            )
        )
        found = {}
        for table, kind, deferrable, deferred in rows.all():
            assert deferrable and deferred, table  # bumps at COMMIT, never at the write
            # tgtype bits: 4 INSERT, 8 DELETE, 16 UPDATE
            found.setdefault(table, set()).update(
                e for bit, e in ((4, "INSERT"), (16, "UPDATE"), (8, "DELETE")) if kind & bit
            )
        return found

    found = run_db(settings, triggers)
    missing = {t: {"INSERT", "UPDATE", "DELETE"} - found.get(t, set()) for t in WATCHED}
    assert {t: e for t, e in missing.items() if e} == {}


def test_a_committed_write_moves_the_version_and_a_rolled_back_one_does_not(settings: Any, generated: Any) -> None:
    before = version(settings)

    async def rolled_back() -> None:
        engine = create_engine(settings)
        try:
            async with async_sessionmaker(engine)() as db:
                await db.execute(update(Attendance).values(minutes=Attendance.minutes + 1))
                await db.rollback()
        finally:
            await engine.dispose()

    asyncio.run(rolled_back())
    assert version(settings) == before
    # One transaction writing many rows of several tables: the version moves (once on PostgreSQL).
    run_db(settings, lambda db: db.execute(update(Attendance).values(minutes=Attendance.minutes + 1)))
    after = version(settings)
    assert after > before
    run_db(settings, lambda db: db.execute(text("DELETE FROM follow_up")))
    assert version(settings) > after


def _build(db: AsyncSession, p: Partnership, now: dt.datetime) -> Any:
    period = Period.of(*PERIOD, p.timezone)
    return build_report(db, p, period, now, "en", parallel=False)


def test_a_report_built_while_a_write_commits_is_not_kept(settings: Any, generated: Any, clock: Any) -> None:
    """Another program commits one more hour in the middle of the build: that report is not served again."""

    async def main() -> tuple[int, Any, Any, Any]:
        engine, writer = create_engine(settings), create_engine(settings)
        cache = ReportCache()
        try:
            maker = async_sessionmaker(engine, expire_on_commit=False)
            async with maker() as db:
                p = (await db.scalars(select(Partnership))).first()
            period = Period.of(*PERIOD, p.timezone)

            async def build_then_write(db: AsyncSession) -> Any:
                report = await _build(db, p, clock.now)
                async with async_sessionmaker(writer)() as other:
                    aid = await other.scalar(
                        select(Attendance.id)
                        .join(Assignment, Assignment.id == Attendance.assignment_id)
                        .where(
                            Attendance.attended.is_(True),
                            Assignment.status == AssignmentStatus.COMPLETED,
                            Assignment.starts_at >= dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
                            Assignment.starts_at < clock.now,
                        )
                        .limit(1)
                    )
                    await other.execute(
                        update(Attendance).where(Attendance.id == aid).values(minutes=Attendance.minutes + 60)
                    )
                    await other.commit()
                return report

            async with maker() as db:
                raced = await cache.get_or_build(db, p.id, period, clock.now, "en", lambda: build_then_write(db))
            async with maker() as db:
                again = await cache.get_or_build(db, p.id, period, clock.now, "en", lambda: _build(db, p, clock.now))
            async with maker() as db:
                kept = await cache.get_or_build(db, p.id, period, clock.now, "en", lambda: _build(db, p, clock.now))
            return cache.hits, raced, again, kept
        finally:
            await engine.dispose()
            await writer.dispose()

    hits, raced, again, kept = asyncio.run(main())
    assert hits == 1  # only the third read: the raced report was never kept
    assert again.hours.total_minutes == raced.hours.total_minutes + 60
    assert kept == again


def test_a_report_built_inside_a_writing_transaction_is_not_kept(settings: Any, generated: Any, clock: Any) -> None:
    """The caller's own uncommitted write shows in its report; after a rollback nobody else may be served it."""

    async def main() -> tuple[int, Any, Any]:
        engine = create_engine(settings)
        cache = ReportCache()
        try:
            maker = async_sessionmaker(engine, expire_on_commit=False)
            async with maker() as db:
                p = (await db.scalars(select(Partnership))).first()
            period = Period.of(*PERIOD, p.timezone)
            async with maker() as db:
                await db.execute(update(Attendance).values(minutes=Attendance.minutes + 60))  # flushed, not committed
                dirty = await cache.get_or_build(db, p.id, period, clock.now, "en", lambda: _build(db, p, clock.now))
                await db.rollback()
            async with maker() as db:
                clean = await cache.get_or_build(db, p.id, period, clock.now, "en", lambda: _build(db, p, clock.now))
            return cache.hits, dirty, clean
        finally:
            await engine.dispose()

    hits, dirty, clean = asyncio.run(main())
    assert hits == 0
    assert dirty.hours.total_minutes != clean.hours.total_minutes


# PostgreSQL only: SQLite has one writer at a time by design (its triggers bump at the write).
@pytest.mark.parametrize("backend", ["postgres"], indirect=True)
def test_postgresql_writers_do_not_wait_for_each_other_on_the_version(settings: Any, generated: Any) -> None:
    """Two open transactions writing the report's tables: the second commits while the first is still open."""

    async def main() -> int:
        first_engine, second_engine = create_engine(settings), create_engine(settings)
        try:
            async with async_sessionmaker(first_engine)() as first, async_sessionmaker(second_engine)() as second:
                ids = list((await first.scalars(select(Attendance.id).limit(2))).all())
                await first.execute(update(Attendance).where(Attendance.id == ids[0]).values(minutes=1))
                await second.execute(text("SET LOCAL lock_timeout = '3s'"))
                await second.execute(update(Attendance).where(Attendance.id == ids[1]).values(minutes=2))
                await second.commit()  # would time out if the version were bumped at the write
                before = await _version(second)
                await first.commit()
                return await _version(second) - before
        finally:
            await first_engine.dispose()
            await second_engine.dispose()

    assert asyncio.run(main()) >= 1  # the first one's commit moved it too
