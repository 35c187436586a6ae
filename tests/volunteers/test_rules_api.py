"""`staffing.rules`: held assignments checked by the matcher's own rule code, on data changed behind its back."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import delete, update

from rules_support import EVENINGS, breaches, held, new_hold, session
from service_support import run_db
from volunteers.db.models import AvailabilityRule, Session, StaffingNeed, VolunteerProfile


def _setup(api, world, activity="circle"):
    leader = api("leader_abf" if activity == "circle" else "leader_sisu")
    assert (
        leader.post(
            f"/api/activities/{world.activities[activity]}/needs", json={"role": "ledare", "count": 1}
        ).status_code
        == 201
    )
    for key in ("vol_anna", "vol_bo"):
        assert api(key).put(f"/api/volunteers/{world.profiles[key]}/availability", json=EVENINGS).status_code == 200
    return leader


def _sql(settings, stmt):
    async def go(db):
        await db.execute(stmt)

    run_db(settings, go)


def test_nothing_breaks_when_nothing_changed(api, world, settings):
    leader = _setup(api, world)
    s = session(leader, world.activities["circle"], "2026-12-01T17:00:00+01:00", "2026-12-01T18:30:00+01:00")
    held(api, world, "vol_anna", s["id"])
    assert breaches(settings, world) == []
    assert breaches(settings, world, sessions=[uuid.UUID(s["id"])]) == []


def test_a_session_moved_behind_the_services_back_into_an_overlap_releases_the_moved_one(api, world, settings):
    leader = _setup(api, world)
    a = session(leader, world.activities["circle"], "2026-12-01T17:00:00+01:00", "2026-12-01T18:30:00+01:00")
    b = session(leader, world.activities["circle"], "2026-12-02T17:00:00+01:00", "2026-12-02T18:30:00+01:00")
    held(api, world, "vol_anna", a["id"])
    moved = held(api, world, "vol_anna", b["id"])
    start = dt.datetime(2026, 12, 1, 16, 30, tzinfo=dt.UTC)
    _sql(
        settings,
        update(Session)
        .where(Session.id == uuid.UUID(b["id"]))
        .values(starts_at=start, ends_at=start + dt.timedelta(hours=1)),
    )
    found = breaches(settings, world, sessions=[uuid.UUID(b["id"])])
    assert [(str(x.assignment_id), x.code) for x in found] == [(moved, "overlapping_shift")]
    assert "Anna Volunteer" in found[0].message and "Swedish circle" in found[0].message


def test_weekly_cap_lowered_releases_until_within_the_cap(api, world, settings):
    leader = _setup(api, world)
    a = session(leader, world.activities["circle"], "2026-12-01T17:00:00+01:00", "2026-12-01T18:30:00+01:00")
    b = session(leader, world.activities["circle"], "2026-12-03T17:00:00+01:00", "2026-12-03T18:30:00+01:00")
    held(api, world, "vol_anna", a["id"])
    later = held(api, world, "vol_anna", b["id"])
    _sql(
        settings,
        update(VolunteerProfile)
        .where(VolunteerProfile.id == world.profiles["vol_anna"])
        .values(max_minutes_per_week=100),
    )
    found = breaches(settings, world, volunteers=[world.profiles["vol_anna"]])
    assert [(str(x.assignment_id), x.code) for x in found] == [(later, "weekly_cap")]


def test_count_lowered_and_role_removed_are_named(api, world, settings):
    leader = _setup(api, world)
    s = session(leader, world.activities["circle"], "2026-12-01T17:00:00+01:00", "2026-12-01T18:30:00+01:00")
    _sql(settings, update(StaffingNeed).values(count=2))
    first = held(api, world, "vol_anna", s["id"])
    second = held(api, world, "vol_bo", s["id"], accept=False)
    _sql(settings, update(StaffingNeed).values(count=1))
    found = breaches(settings, world, sessions=[uuid.UUID(s["id"])])
    # The proposal gives way to the accepted place.
    assert [(str(x.assignment_id), x.code) for x in found] == [(second, "role_overfilled")]
    _sql(settings, update(StaffingNeed).values(role="kock"))
    found = breaches(settings, world)
    assert sorted((str(x.assignment_id), x.code) for x in found) == sorted(
        [(first, "role_removed"), (second, "role_removed")]
    )


def test_a_new_hold_is_checked_against_every_rule_and_the_count(api, world, settings):
    leader = _setup(api, world, activity="football")
    s = session(leader, world.activities["football"], "2026-12-01T17:00:00+01:00", "2026-12-01T18:30:00+01:00")
    assert [b.code for b in new_hold(settings, world, "vol_anna", s["id"])] == ["no_valid_check"]
    coord = api("coordinator")
    for key in ("vol_anna", "vol_bo"):
        coord.post(f"/api/volunteers/{world.profiles[key]}/background-checks", json={"seen_on": "2026-11-02"})
    assert new_hold(settings, world, "vol_anna", s["id"]) == []
    held(api, world, "vol_anna", s["id"])
    assert [b.code for b in new_hold(settings, world, "vol_bo", s["id"])] == ["role_overfilled"]
    assert [b.code for b in new_hold(settings, world, "vol_bo", s["id"], role="kock")] == ["role_removed"]
    # Narrowed availability, behind the service's back: the held place now breaks rule 6.
    _sql(settings, delete(AvailabilityRule).where(AvailabilityRule.profile_id == world.profiles["vol_anna"]))
    assert [b.code for b in breaches(settings, world)] == ["not_available"]
