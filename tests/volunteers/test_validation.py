"""Bad input is refused with the field named, and nothing is written."""

from __future__ import annotations

from sqlalchemy import func, select

from service_support import run_db
from volunteers.db.models import AvailabilityRule, Session, StaffingNeed


def rows(settings, model):
    async def q(db):
        return (await db.execute(select(func.count()).select_from(model))).scalar_one()

    return run_db(settings, q)


def test_availability_with_one_bad_rule_writes_nothing(api, world, settings):
    anna = api("vol_anna")
    vid = world.profiles["vol_anna"]
    good = {"weekday": 1, "start_time": "17:00:00", "end_time": "20:00:00"}
    assert anna.put(f"/api/volunteers/{vid}/availability", json={"rules": [good]}).status_code == 200
    bad = {"weekday": 2, "start_time": "18:00:00", "end_time": "17:00:00"}
    r = anna.put(f"/api/volunteers/{vid}/availability", json={"rules": [good, good, bad]})
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "rules[2].end_time"
    assert rows(settings, AvailabilityRule) == 1


def test_weekday_out_of_range_is_named(api, world):
    r = api("vol_anna").put(
        f"/api/volunteers/{world.profiles['vol_anna']}/availability",
        json={"rules": [{"weekday": 9, "start_time": "17:00:00", "end_time": "18:00:00"}]},
    )
    assert r.status_code == 400
    assert "weekday" in r.json()["detail"]


def test_unknown_skill_is_named_and_nothing_changes(api, world):
    anna = api("vol_anna")
    vid = world.profiles["vol_anna"]
    r = anna.patch(f"/api/volunteers/{vid}", json={"phone": "0701", "skills": ["provide_first_aid", "juggling"]})
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "skills[1]"
    profile = anna.get("/api/volunteers/me").json()
    assert profile["phone"] == "" and profile["skills"] == []


def test_session_series_with_bad_dates_writes_nothing(api, world, settings):
    leader = api("leader_sisu")
    aid = world.activities["football"]
    body = {
        "recurrence": {
            "weekday": 1,
            "start_time": "17:00:00",
            "end_time": "18:30:00",
            "first_date": "2026-12-31",
            "last_date": "2026-12-01",
        }
    }
    r = leader.post(f"/api/activities/{aid}/sessions", json=body)
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "recurrence.last_date"
    assert rows(settings, Session) == 0


def test_need_with_unknown_develops_skill_is_named(api, world, settings):
    r = api("leader_sisu").post(
        f"/api/activities/{world.activities['football']}/needs",
        json={"role": "tränare", "count": 2, "skills": ["coach_young_people"], "develops": ["nope_skill"]},
    )
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "develops[0]"
    assert rows(settings, StaffingNeed) == 0


def test_not_json_is_a_clear_400(api, world):
    r = api("leader_sisu").post(
        f"/api/activities/{world.activities['football']}/needs",
        content=b"{not json",
        headers={"content-type": "application/json"},
    )
    assert r.status_code == 400
    assert r.headers["content-type"].startswith("application/problem+json")


def test_malformed_id_in_path_is_refused(api, world):
    assert api("vol_anna").get("/api/volunteers/not-a-uuid").status_code in (400, 404)


def test_session_moved_to_last_more_than_a_day_is_refused_and_unchanged(api, world):
    leader = api("leader_sisu")
    made = leader.post(
        f"/api/activities/{world.activities['football']}/sessions",
        json={"starts_at": "2026-12-01T17:00:00+01:00", "ends_at": "2026-12-01T18:30:00+01:00"},
    )
    assert made.status_code == 201, made.text
    sid = made.json()[0]["id"]
    r = leader.patch(f"/api/sessions/{sid}", json={"ends_at": "2026-12-02T18:00:00+01:00"})
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "ends_at"
    assert leader.get(f"/api/sessions/{sid}").json()["ends_at"] == "2026-12-01T18:30:00+01:00"
