"""A match run left unfinished by a crash is failed when its instance starts again, whatever its age.

Before, only runs older than 900 s were failed: a run killed with kill -9 and restarted
at once stayed "queued" for a quarter of an hour (issue 15, finding 5).
"""

from __future__ import annotations

import datetime as dt

from litestar.testing import TestClient
from sqlalchemy import select

from service_support import NOW, run_db
from volunteers.app import create_app
from volunteers.clock import FixedClock
from volunteers.db.models import MatchRun
from volunteers.db.models.enums import MatchRunStatus


def _add_run(settings, world, **more):
    async def add(db):
        run = MatchRun(
            partnership_id=world.partnership_id,
            period_start=dt.date(2026, 12, 1),
            period_end=dt.date(2026, 12, 7),
            status=MatchRunStatus.RUNNING,
            **more,
        )
        db.add(run)
        await db.flush()
        return run.id

    return run_db(settings, add)


def _status(settings, run_id):
    async def q(db):
        return (await db.execute(select(MatchRun.status, MatchRun.error).where(MatchRun.id == run_id))).one()

    return run_db(settings, q)


def test_own_unfinished_runs_fail_at_start_whatever_their_age(settings, world):
    create_app(settings, clock=FixedClock(NOW))  # this process now belongs to the instance
    mine = _add_run(settings, world)  # recorded as this instance's by default, a second old
    other = _add_run(settings, world, instance_id="another-host:/srv/samverka")
    old_other = _add_run(settings, world, instance_id="another-host:/srv/samverka")

    async def age(db):
        run = await db.get(MatchRun, old_other)
        run.created_at = NOW - dt.timedelta(hours=1)

    run_db(settings, age)
    # The instance starts again (after a kill -9): its own run can no longer be going.
    with TestClient(create_app(settings, clock=FixedClock(NOW + dt.timedelta(seconds=1)))) as client:
        assert client.get("/health").status_code == 200
    status, error = _status(settings, mine)
    assert status == MatchRunStatus.FAILED and "interrupted" in error
    # Another instance's young run may still be solving; an old one cannot.
    assert _status(settings, other)[0] == MatchRunStatus.RUNNING
    assert _status(settings, old_other)[0] == MatchRunStatus.FAILED


def test_the_instance_is_named_by_setting_or_by_host_and_data_dir(settings):
    named = settings.__class__(**{**settings.__dict__, "instance_id": "web-1"})
    assert named.resolved_instance_id == "web-1"
    assert str(settings.data_dir) in settings.resolved_instance_id
