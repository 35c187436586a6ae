"""The report page's cache: a report is served again only while nothing it reads has changed.

Changes are made from outside the app (another engine, Core and ORM statements), as another
worker or program would; after each the report must be today's, never the kept one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from litestar.serialization import decode_json, encode_json
from sqlalchemy import select, text, update

from report_history import generate
from service_support import run_db
from volunteers.db.models import Assignment, AssignmentStatus, Attendance, FollowUp, Partnership, Session
from volunteers.reports import Period, build_report
from volunteers.reports.cache import report_cache

PERIOD = "start=2026-01-01&end=2026-12-31"


@pytest.fixture
def generated(settings: Any, world: Any) -> Any:
    return run_db(settings, generate(world, seed=5))


def _fresh(settings: Any, now: dt.datetime) -> dict[str, Any]:
    """The report built now, without the cache."""

    async def build(db: Any) -> Any:
        p = (await db.scalars(select(Partnership))).first()
        report = await build_report(db, p, Period.of(dt.date(2026, 1, 1), dt.date(2026, 12, 31), p.timezone), now, "en")
        return report

    return run_db(settings, build)


def _json(report: Any) -> dict[str, Any]:
    """The report as the API sends it."""
    return decode_json(encode_json(report))  # type: ignore[no-any-return]


def _figures(body: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k != "generated_at"}


def test_kept_while_nothing_changes_and_rebuilt_after_any_change(
    api: Any, settings: Any, world: Any, generated: Any, clock: Any
) -> None:
    coordinator = api("coordinator")
    first = coordinator.get(f"/api/reports/impact?{PERIOD}&lang=en")
    assert first.status_code == 200, first.text
    hits = report_cache.hits
    again = coordinator.get(f"/api/reports/impact?{PERIOD}&lang=en").json()
    assert _figures(again) == _figures(first.json())
    # Kept on both databases: SQLite's triggers bump at the write, PostgreSQL's at the commit.
    assert report_cache.hits == hits + 1

    # 1. A Core UPDATE from another engine: one hour more on an attended assignment.
    async def one_more_hour(db: Any) -> None:
        aid = await db.scalar(
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
        await db.execute(update(Attendance).where(Attendance.id == aid).values(minutes=Attendance.minutes + 60))

    before = again["hours"]["total_hours"]
    run_db(settings, one_more_hour)
    after = coordinator.get(f"/api/reports/impact?{PERIOD}&lang=en").json()
    if before is not None:
        assert after["hours"]["total_hours"] == pytest.approx(before + 1.0)
    assert _figures(after) == _figures(_json(_fresh(settings, clock.now)))

    # 2. A raw DELETE of follow-up answers.
    run_db(settings, lambda db: db.execute(text("DELETE FROM follow_up")))
    deleted = coordinator.get(f"/api/reports/impact?{PERIOD}&lang=en").json()
    assert _figures(deleted) == _figures(_json(_fresh(settings, clock.now)))
    assert run_db(settings, lambda db: db.scalar(select(FollowUp.id).limit(1))) is None

    # 3. No row changes, but the clock passes the start of a session: it is held now.
    async def a_session_in_two_days(db: Any) -> None:
        s = (await db.scalars(select(Session).limit(1))).one()
        at = clock.now + dt.timedelta(days=2)
        db.add(Session(activity_id=s.activity_id, starts_at=at, ends_at=at + dt.timedelta(hours=2), status=s.status))

    run_db(settings, a_session_in_two_days)
    planned = coordinator.get(f"/api/reports/impact?{PERIOD}&lang=en").json()
    assert coordinator.get(f"/api/reports/impact?{PERIOD}&lang=en").json() == planned  # kept again
    clock.advance(days=3)
    coordinator = api("coordinator")  # the session cookie may have expired meanwhile
    later = coordinator.get(f"/api/reports/impact?{PERIOD}&lang=en").json()
    assert _figures(later) == _figures(_json(_fresh(settings, clock.now)))
    assert later["sessions"]["held"] == planned["sessions"]["held"] + 1
