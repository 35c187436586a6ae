"""End to end through the HTTP API: needs, a run, publication, answers, replanning.

At every step every assignment that holds a slot keeps every hard rule (checked by the
matcher's own `check` on a problem rebuilt from the database), and accepted
assignments never move.
"""

from __future__ import annotations

import json

from sqlalchemy import select

import matching
from service_support import run_db
from volunteers.db.models import Assignment, OutboxMessage, Partnership
from volunteers.staffing.problem import build_problem, target_sessions
from volunteers.staffing.runs import local_range

SERIES = {
    "recurrence": {
        "weekday": 1,
        "start_time": "17:00:00",
        "end_time": "18:30:00",
        "first_date": "2026-12-01",
        "last_date": "2026-12-15",
    }
}
AVAILABLE_TUESDAYS = {"rules": [{"weekday": 1, "start_time": "16:00:00", "end_time": "21:00:00"}]}


def assert_every_hold_keeps_the_rules(settings, world):
    import datetime as dt

    async def check(db):
        p = await db.get(Partnership, world.partnership_id)
        start, end = local_range(dt.date(2026, 11, 30), dt.date(2026, 12, 20), p.timezone)
        built = await build_problem(db, p, await target_sessions(db, p.id, start, end))
        holds = [a for a in (await db.execute(select(Assignment))).scalars() if a.status.holds_slot]
        return built, holds

    built, holds = run_db(settings, check)
    assert built.warnings == []
    plan = {
        "format": "matching-plan/1",
        "status": "feasible",
        "assignments": [{"volunteer": str(a.volunteer_id), "shift": str(a.session_id), "role": a.role} for a in holds],
        "shortages": [],
    }
    problem = matching.load_problem(json.dumps(built.problem))
    violations = matching.check(problem, matching.load_plan(json.dumps(plan)))
    assert violations == [], violations


def assignments(settings):
    async def q(db):
        return {
            a.id: (a.session_id, a.volunteer_id, a.status.value, a.role)
            for a in (await db.execute(select(Assignment))).scalars()
        }

    return run_db(settings, q)


def test_leader_needs_run_publish_answer_replan(api, world, settings):
    leader, coord = api("leader_sisu"), api("coordinator")
    anna, bo = api("vol_anna"), api("vol_bo")
    football = world.activities["football"]

    # The leader sets up sessions and says who is needed.
    sessions = leader.post(f"/api/activities/{football}/sessions", json=SERIES).json()
    assert len(sessions) == 3
    r = leader.post(
        f"/api/activities/{football}/needs", json={"role": "tränare", "count": 2, "skills": ["coach_young_people"]}
    )
    assert r.status_code == 201, r.text

    # Volunteers say what they can and when; only Anna's background check has been seen.
    for caller, key in ((anna, "vol_anna"), (bo, "vol_bo")):
        vid = world.profiles[key]
        assert caller.patch(f"/api/volunteers/{vid}", json={"skills": ["coach_young_people"]}).status_code == 200
        assert caller.put(f"/api/volunteers/{vid}/availability", json=AVAILABLE_TUESDAYS).status_code == 200
    assert (
        coord.post(
            f"/api/volunteers/{world.profiles['vol_anna']}/background-checks", json={"seen_on": "2026-10-01"}
        ).status_code
        == 201
    )

    # The coordinator runs the matcher for the period and reviews the plan.
    r = coord.post(
        "/api/match-runs",
        json={"partnership_id": str(world.partnership_id), "start": "2026-11-30", "end": "2026-12-20"},
    )
    assert r.status_code == 202, r.text
    run_id = r.json()["id"]
    review = coord.get(f"/api/match-runs/{run_id}?wait=30").json()
    assert review["run"]["status"] == "done", review["run"]
    assert review["run"]["plan_status"] == "optimal"
    assert review["run"]["filled"] == 3 and review["run"]["missing"] == 3
    for s in review["sessions"]:
        (slot,) = s["slots"]
        assert slot["proposed"] == ["Anna Volunteer"]
        assert slot["missing"] == 1
        codes = {reason["code"] for reason in slot["reasons"]}
        assert "no_valid_check" in codes
    assert len(review["changes"]["added"]) == 3 and review["changes"]["removed"] == []
    assert_every_hold_keeps_the_rules(settings, world)  # nothing published yet: trivially true

    # Publishing turns proposals into assignments and queues notifications.
    assert coord.post(f"/api/match-runs/{run_id}/publish").status_code == 201
    mine = anna.get("/api/assignments/mine").json()
    assert [a["status"] for a in mine] == ["proposed"] * 3
    assert_every_hold_keeps_the_rules(settings, world)

    async def outbox(db):
        return sorted((await db.execute(select(OutboxMessage.to_address, OutboxMessage.kind))).all())

    assert run_db(settings, outbox) == [("vol_anna@test.samverka.se", "proposal")] * 3

    # Anna accepts the first and declines the second.
    first, second, third = mine
    assert anna.post(f"/api/assignments/{first['id']}/accept").json()["status"] == "accepted"
    r = anna.post(f"/api/assignments/{second['id']}/decline", json={"reason": "family dinner"})
    assert r.json()["status"] == "declined"
    assert bo.post(f"/api/assignments/{third['id']}/accept").status_code == 404  # not Bo's
    assert_every_hold_keeps_the_rules(settings, world)
    before = assignments(settings)

    # Bo's check is seen; the coordinator replans the period.
    assert (
        coord.post(
            f"/api/volunteers/{world.profiles['vol_bo']}/background-checks", json={"seen_on": "2026-11-20"}
        ).status_code
        == 201
    )
    r = coord.post(
        "/api/match-runs",
        json={"partnership_id": str(world.partnership_id), "start": "2026-11-30", "end": "2026-12-20"},
    )
    run2 = r.json()["id"]
    review = coord.get(f"/api/match-runs/{run2}?wait=30").json()
    assert review["run"]["status"] == "done", review["run"]
    by_session = {s["session_id"]: s["slots"][0] for s in review["sessions"]}
    assert by_session[first["session_id"]]["kept"] == ["Anna Volunteer"]
    assert "Anna Volunteer" not in by_session[second["session_id"]]["proposed"]  # she said no
    assert by_session[second["session_id"]]["proposed"] == ["Bo Volunteer"]
    assert coord.post(f"/api/match-runs/{run2}/publish").status_code == 201
    after = assignments(settings)
    # Accepted ones never move; the declined pair is never proposed again.
    assert {str(k): v for k, v in after.items()}[first["id"]][2] == "accepted"
    for key, value in before.items():
        if value[2] in ("accepted", "declined"):
            assert after[key] == value
    assert_every_hold_keeps_the_rules(settings, world)
    assert len(bo.get("/api/assignments/mine").json()) == 3


def test_run_for_a_partnership_one_does_not_coordinate_is_refused(api, world):
    r = api("coordinator_other").post(
        "/api/match-runs",
        json={"partnership_id": str(world.partnership_id), "start": "2026-11-30", "end": "2026-12-06"},
    )
    assert r.status_code == 404
    r = api("leader_sisu").post(
        "/api/match-runs",
        json={"partnership_id": str(world.partnership_id), "start": "2026-11-30", "end": "2026-12-06"},
    )
    assert r.status_code == 403
