"""Coordinators' lists that lead to action: "not offered lately" reads offers that were really made."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select, update

from service_support import NOW, run_db
from volunteers.db.models import VolunteerProfile

TUESDAYS = {"rules": [{"weekday": 1, "start_time": "16:00:00", "end_time": "21:00:00"}]}


def _circle_sessions(api: Any, world: Any, settings: Any) -> list[dict[str, Any]]:
    """Two Tuesday circle sessions needing two helpers; Anna and Bo free then, registered long ago."""
    leader = api("leader_abf")
    series = {
        "recurrence": {
            "weekday": 1,
            "start_time": "17:00:00",
            "end_time": "18:30:00",
            "first_date": "2026-12-01",
            "last_date": "2026-12-08",
        }
    }
    sessions = leader.post(f"/api/activities/{world.activities['circle']}/sessions", json=series).json()
    need = {"role": "ledare", "count": 2}
    assert leader.post(f"/api/activities/{world.activities['circle']}/needs", json=need).status_code == 201
    for key in ("vol_anna", "vol_bo"):
        assert api(key).put(f"/api/volunteers/{world.profiles[key]}/availability", json=TUESDAYS).status_code == 200

    async def registered_long_ago(db: Any) -> None:
        await db.execute(update(VolunteerProfile).values(created_at=NOW - dt.timedelta(days=400)))

    run_db(settings, registered_long_ago)
    return sessions


def _offered(settings: Any, world: Any) -> dict[str, Any]:
    async def read(db: Any) -> dict[str, Any]:
        rows = await db.execute(select(VolunteerProfile.id, VolunteerProfile.last_offered_at))
        return dict(rows.all())

    got = run_db(settings, read)
    return {key: got[world.profiles[key]] for key in ("vol_anna", "vol_bo")}


def _not_offered(api: Any) -> set[str]:
    r = api("coordinator").get("/api/reports/not-offered?days=30")
    assert r.status_code == 200, r.text
    return {v["name"].split()[0] for v in r.json()}


def test_publishing_a_plan_records_the_offer_and_takes_people_off_the_not_offered_list(
    api: Any, world: Any, settings: Any
) -> None:
    _circle_sessions(api, world, settings)
    assert {"Anna", "Bo"} <= _not_offered(api)
    assert _offered(settings, world) == {"vol_anna": None, "vol_bo": None}
    coord = api("coordinator")
    r = coord.post(
        "/api/match-runs",
        json={"partnership_id": str(world.partnership_id), "start": "2026-11-30", "end": "2026-12-13"},
    )
    review = coord.get(f"/api/match-runs/{r.json()['id']}?wait=30").json()
    assert review["run"]["status"] == "done", review
    assert coord.post(f"/api/match-runs/{r.json()['id']}/publish").status_code == 201
    assert _offered(settings, world) == {"vol_anna": NOW, "vol_bo": NOW}
    assert not {"Anna", "Bo"} & _not_offered(api)


def test_a_hand_assignment_records_the_offer(api: Any, world: Any, settings: Any) -> None:
    sessions = _circle_sessions(api, world, settings)
    body = {"volunteer_id": str(world.profiles["vol_anna"]), "role": "ledare"}
    r = api("coordinator").post(f"/api/sessions/{sessions[0]['id']}/assignments", json=body)
    assert r.status_code == 201, r.text
    assert _offered(settings, world) == {"vol_anna": NOW, "vol_bo": None}
    assert _not_offered(api) & {"Anna", "Bo"} == {"Bo"}
