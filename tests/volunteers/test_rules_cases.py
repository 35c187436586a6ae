"""The eleven reproducible cases of issue 14, each through the HTTP API, each checked by the auditor."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import update

from rules_support import EVENINGS, audit, held, outbox, session, sql, statuses
from volunteers.db.models import Session, VolunteerProfile

ALL_DAY = {"rules": [{"weekday": d, "start_time": "06:00:00", "end_time": "23:59:00"} for d in range(7)]}
CIRCLE_DAY = ("2026-12-01T17:00:00+01:00", "2026-12-01T18:30:00+01:00")


def _setup(api, world, activity="circle", count=1, availability=ALL_DAY):
    leader = api("leader_abf" if activity == "circle" else "leader_sisu")
    r = leader.post(f"/api/activities/{world.activities[activity]}/needs", json={"role": "ledare", "count": count})
    assert r.status_code == 201, r.text
    for key in ("vol_anna", "vol_bo"):
        assert api(key).put(f"/api/volunteers/{world.profiles[key]}/availability", json=availability).status_code == 200
    return leader


def _teen(settings, world, key="vol_bo", born=dt.date(2012, 6, 1)):
    # A teenager registers with a guardian's consent (without it the rules place them nowhere).
    consented = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    sql(
        settings,
        update(VolunteerProfile)
        .where(VolunteerProfile.id == world.profiles[key])
        .values(birth_date=born, guardian_consent_at=consented),
    )


def _need_languages(leader, world, languages):
    need = leader.get(f"/api/activities/{world.activities['circle']}/needs").json()[0]["id"]
    assert leader.patch(f"/api/needs/{need}", json={"languages": languages}).status_code == 200


def _run(coord, world, start="2026-11-30", end="2026-12-06"):
    r = coord.post("/api/match-runs", json={"partnership_id": str(world.partnership_id), "start": start, "end": end})
    assert r.status_code == 202, r.text
    return coord.get(f"/api/match-runs/{r.json()['id']}?wait=30").json()["run"]


def test_case_1_move_into_an_overlap_is_refused_then_releases_the_moved_place(api, world, settings):
    leader = _setup(api, world)
    a = session(leader, world.activities["circle"], *CIRCLE_DAY)
    b = session(leader, world.activities["circle"], "2026-12-02T17:00:00+01:00", "2026-12-02T18:30:00+01:00")
    keep = held(api, world, "vol_anna", a["id"])
    moved = held(api, world, "vol_anna", b["id"])
    move = {"starts_at": "2026-12-01T17:30:00+01:00", "ends_at": "2026-12-01T19:00:00+01:00"}
    r = leader.patch(f"/api/sessions/{b['id']}", json=move)
    assert r.status_code == 409, r.text
    body = r.json()
    assert body["code"] == "would_release"
    (row,) = body["affected"]
    assert row["assignment_id"] == moved and row["code"] == "overlapping_shift"
    assert row["volunteer_name"] == "Anna Volunteer" and row["volunteer_id"] == str(world.profiles["vol_anna"])
    assert row["session_id"] == b["id"] and row["role"] == "ledare" and row["message"]
    assert statuses(settings)[moved] == "accepted"  # nothing applied
    r = leader.patch(f"/api/sessions/{b['id']}", json={**move, "confirm": True})
    assert r.status_code == 200, r.text
    assert statuses(settings) == {keep: "accepted", moved: "cancelled"}
    kinds = [(who, kind) for who, kind, _ in outbox(settings)]
    assert ("vol_anna", "released") in kinds and ("leader_abf", "released_leader") in kinds
    assert audit(settings, world) == []
    run = _run(api("coordinator"), world)
    assert run["status"] == "done", run


def test_case_2_evening_move_and_a_year_ahead_release_minors_and_lapsed_checks(api, world, settings):
    leader = _setup(api, world, activity="football", count=2)
    _teen(settings, world)
    coord = api("coordinator")
    for key in ("vol_anna", "vol_bo"):
        coord.post(f"/api/volunteers/{world.profiles[key]}/background-checks", json={"seen_on": "2026-11-02"})
    s = session(leader, world.activities["football"], "2026-12-05T10:00:00+01:00", "2026-12-05T11:30:00+01:00")
    teen = held(api, world, "vol_bo", s["id"])
    adult = held(api, world, "vol_anna", s["id"])
    late = {"starts_at": "2026-12-05T20:30:00+01:00", "ends_at": "2026-12-05T22:00:00+01:00"}
    r = leader.patch(f"/api/sessions/{s['id']}", json=late)
    assert r.status_code == 409
    assert [(x["assignment_id"], x["code"]) for x in r.json()["affected"]] == [(teen, "minor_hours")]
    year = {"starts_at": "2027-12-04T10:00:00+01:00", "ends_at": "2027-12-04T11:30:00+01:00"}
    r = leader.patch(f"/api/sessions/{s['id']}", json=year)
    assert r.status_code == 409
    assert sorted((x["assignment_id"], x["code"]) for x in r.json()["affected"]) == sorted(
        [(teen, "no_valid_check"), (adult, "no_valid_check")]
    )
    # A move that keeps every rule goes through, and everyone held is told the new time.
    r = leader.patch(
        f"/api/sessions/{s['id']}",
        json={"starts_at": "2026-12-05T12:00:00+01:00", "ends_at": "2026-12-05T13:30:00+01:00"},
    )
    assert r.status_code == 200, r.text
    moved = sorted(who for who, kind, _ in outbox(settings) if kind == "session_moved")
    assert moved == ["vol_anna", "vol_bo"]
    assert audit(settings, world) == []


def test_case_3_publish_and_accept_recheck_every_rule_after_a_move(api, world, settings):
    leader = _setup(api, world, activity="circle")
    _teen(settings, world)
    sql(
        settings, update(VolunteerProfile).where(VolunteerProfile.id == world.profiles["vol_anna"]).values(languages=[])
    )
    _need_languages(leader, world, ["sv"])
    s = session(leader, world.activities["circle"], "2026-12-05T10:00:00+01:00", "2026-12-05T11:30:00+01:00")
    coord = api("coordinator")
    run = _run(coord, world)
    assert run["filled"] == 1  # the 14-year-old, the only one who fits
    r = leader.patch(
        f"/api/sessions/{s['id']}",
        json={"starts_at": "2026-12-05T20:30:00+01:00", "ends_at": "2026-12-05T22:00:00+01:00"},
    )
    assert r.status_code == 200  # nobody held yet
    r = coord.post(f"/api/match-runs/{run['id']}/publish")
    assert r.status_code == 201, r.text
    dropped = [w for w in r.json()["warnings"] if w.get("at_publish") == "dropped"]
    assert [w["code"] for w in dropped] == ["minor_hours"]
    assert "proposed" not in statuses(settings).values()
    # Accept: a proposal made before the session moved (behind the service's back) is refused on every rule.
    r = leader.patch(
        f"/api/sessions/{s['id']}",
        json={"starts_at": "2026-12-05T10:00:00+01:00", "ends_at": "2026-12-05T11:30:00+01:00"},
    )
    aid = held(api, world, "vol_bo", s["id"], accept=False)
    late = dt.datetime(2026, 12, 5, 19, 30, tzinfo=dt.UTC)
    sql(
        settings,
        update(Session)
        .where(Session.id == uuid.UUID(s["id"]))
        .values(starts_at=late, ends_at=late + dt.timedelta(minutes=90)),
    )
    r = api("vol_bo").post(f"/api/assignments/{aid}/accept")
    assert r.status_code == 409 and r.json()["code"] == "minor_hours", r.text
    assert statuses(settings)[aid] == "proposed"


def test_case_4_a_lower_weekly_cap_is_refused_then_releases_and_runs_still_work(api, world, settings):
    leader = _setup(api, world)
    s = session(leader, world.activities["circle"], *CIRCLE_DAY)
    aid = held(api, world, "vol_anna", s["id"])
    anna = api("vol_anna")
    r = anna.patch(f"/api/volunteers/{world.profiles['vol_anna']}", json={"max_minutes_per_week": 30})
    assert r.status_code == 409 and [x["code"] for x in r.json()["affected"]] == ["weekly_cap"]
    assert r.json()["affected"][0]["assignment_id"] == aid
    r = anna.patch(f"/api/volunteers/{world.profiles['vol_anna']}", json={"max_minutes_per_week": 30, "confirm": True})
    assert r.status_code == 200
    assert statuses(settings)[aid] == "cancelled"
    assert audit(settings, world) == []
    assert _run(api("coordinator"), world)["status"] == "done"


def test_case_4b_a_run_never_fails_on_an_old_hold_over_the_cap(api, world, settings):
    leader = _setup(api, world)
    s = session(leader, world.activities["circle"], *CIRCLE_DAY)
    held(api, world, "vol_anna", s["id"])
    sql(
        settings,
        update(VolunteerProfile)
        .where(VolunteerProfile.id == world.profiles["vol_anna"])
        .values(max_minutes_per_week=30),
    )
    run = _run(api("coordinator"), world)
    assert run["status"] == "done", run
    assert [w["code"] for w in run["warnings"]] == ["weekly_cap"]


def test_case_5_hand_assignment_keeps_the_roles_count(api, world, settings):
    leader = _setup(api, world)
    s = session(leader, world.activities["circle"], *CIRCLE_DAY)
    held(api, world, "vol_anna", s["id"], accept=False)
    r = api("coordinator").post(
        f"/api/sessions/{s['id']}/assignments", json={"volunteer_id": str(world.profiles["vol_bo"]), "role": "ledare"}
    )
    assert r.status_code == 409 and r.json()["code"] == "role_overfilled", r.text


def test_case_6_a_stale_plan_needs_confirming_after_seeing_what_it_withdraws(api, world, settings):
    leader = _setup(api, world)
    s = session(leader, world.activities["circle"], *CIRCLE_DAY)
    coord = api("coordinator")
    runs = []
    for _ in range(2):
        r = leader.post("/api/staff-requests", json={"session_id": s["id"]})
        assert r.status_code == 202, r.text
        runs.append(coord.get(f"/api/match-runs/{r.json()['id']}?wait=30").json()["run"])
    # The second request is published first; the first is now stale.
    assert coord.post(f"/api/match-runs/{runs[1]['id']}/publish").status_code == 201
    r = coord.post(f"/api/match-runs/{runs[0]['id']}/publish")
    assert r.status_code == 409 and r.json()["code"] == "stale_plan", r.text
    assert r.json()["newer_runs"] == [runs[1]["id"]]
    r = coord.post(f"/api/match-runs/{runs[0]['id']}/publish", json={"confirm": True})
    assert r.status_code == 201, r.text
    assert audit(settings, world) == []


def test_case_7_hand_proposals_moves_and_withdrawals_send_messages(api, world, settings):
    leader = _setup(api, world)
    s = session(leader, world.activities["circle"], *CIRCLE_DAY)
    aid = held(api, world, "vol_anna", s["id"], accept=False)
    assert ("vol_anna", "proposal") in [(w, k) for w, k, _ in outbox(settings)]
    leader.patch(
        f"/api/sessions/{s['id']}",
        json={"starts_at": "2026-12-01T16:00:00+01:00", "ends_at": "2026-12-01T17:30:00+01:00"},
    )
    assert ("vol_anna", "session_moved") in [(w, k) for w, k, _ in outbox(settings)]
    r = api("coordinator").post(f"/api/assignments/{aid}/withdraw", json={"reason": "we need a football coach instead"})
    assert r.status_code == 200, r.text
    bodies = [b for w, k, b in outbox(settings) if k == "withdrawn"]
    assert len(bodies) == 1 and "football coach" in bodies[0]


def test_case_8_need_edits_refuse_then_release_who_no_longer_fits(api, world, settings):
    leader = _setup(api, world, count=2)
    s = session(leader, world.activities["circle"], *CIRCLE_DAY)
    a = held(api, world, "vol_anna", s["id"])
    b = held(api, world, "vol_bo", s["id"], accept=False)
    need = leader.get(f"/api/activities/{world.activities['circle']}/needs").json()[0]["id"]
    for change, code in (
        ({"skills": ["coach_young_people"]}, "missing_skill"),
        ({"languages": ["ar"]}, "missing_language"),
        ({"min_age": 40}, "too_young"),
    ):
        r = leader.patch(f"/api/needs/{need}", json=change)
        assert r.status_code == 409 and {x["code"] for x in r.json()["affected"]} == {code}, r.text
    r = leader.patch(f"/api/needs/{need}", json={"count": 1})
    assert [(x["assignment_id"], x["code"]) for x in r.json()["affected"]] == [(b, "role_overfilled")]
    r = leader.post(f"/api/sessions/{s['id']}/needs", json={"role": "ledare", "count": 2, "languages": ["ar"]})
    assert r.status_code == 409 and len(r.json()["affected"]) == 2
    r = api("coordinator").patch(f"/api/activities/{world.activities['circle']}", json={"target_group": "children"})
    assert r.status_code == 409 and {x["code"] for x in r.json()["affected"]} == {"no_valid_check"}
    r = leader.delete(f"/api/needs/{need}")
    assert r.status_code == 409 and {x["code"] for x in r.json()["affected"]} == {"role_removed"}
    assert leader.delete(f"/api/needs/{need}?confirm=true").status_code == 204
    assert statuses(settings) == {a: "cancelled", b: "cancelled"}
    assert audit(settings, world) == []


def test_case_9_narrowing_a_volunteer_or_erasing_them_leaves_no_broken_hold(api, world, settings):
    leader = _setup(api, world)
    s = session(leader, world.activities["circle"], *CIRCLE_DAY)
    aid = held(api, world, "vol_anna", s["id"])
    anna = api("vol_anna")
    r = anna.put(f"/api/volunteers/{world.profiles['vol_anna']}/availability", json=EVENINGS | {"rules": []})
    assert r.status_code == 409 and r.json()["affected"][0]["code"] == "not_available"
    _need_languages(leader, world, ["sv"])
    r = anna.patch(f"/api/volunteers/{world.profiles['vol_anna']}", json={"languages": ["en"]})
    assert r.status_code == 409 and r.json()["affected"][0]["code"] == "missing_language"
    assert statuses(settings)[aid] == "accepted"
    # Erasure releases every held place; hand assignment and runs in that week still work.
    r = anna.post(f"/api/volunteers/{world.profiles['vol_anna']}/erase", json={"confirm": "ERASE"})
    assert r.status_code == 204, r.text
    assert statuses(settings)[aid] == "cancelled"
    assert audit(settings, world) == []
    r = api("coordinator").post(
        f"/api/sessions/{s['id']}/assignments", json={"volunteer_id": str(world.profiles["vol_bo"]), "role": "ledare"}
    )
    assert r.status_code == 201, r.text
    assert _run(api("coordinator"), world)["status"] == "done"


def test_case_10_hand_assignment_keeps_the_weekly_cap(api, world, settings):
    leader = _setup(api, world)
    _teen(settings, world)
    sql(
        settings,
        update(VolunteerProfile).where(VolunteerProfile.id == world.profiles["vol_bo"]).values(max_minutes_per_week=15),
    )
    s = session(leader, world.activities["circle"], "2026-12-05T10:00:00+01:00", "2026-12-05T11:30:00+01:00")
    r = api("coordinator").post(
        f"/api/sessions/{s['id']}/assignments", json={"volunteer_id": str(world.profiles["vol_bo"]), "role": "ledare"}
    )
    assert r.status_code == 409 and r.json()["code"] == "weekly_cap", r.text


def test_case_11_publishing_releases_a_broken_hold_before_filling_its_place(api, world, settings):
    leader = _setup(api, world)
    s = session(leader, world.activities["circle"], *CIRCLE_DAY)
    old = held(api, world, "vol_anna", s["id"])
    # Anna's cap drops behind the service's back: the run drops her pin and proposes Bo.
    sql(
        settings,
        update(VolunteerProfile)
        .where(VolunteerProfile.id == world.profiles["vol_anna"])
        .values(max_minutes_per_week=30),
    )
    coord = api("coordinator")
    run = _run(coord, world)
    assert run["status"] == "done" and run["filled"] == 1
    r = coord.post(f"/api/match-runs/{run['id']}/publish")
    assert r.status_code == 201, r.text
    now = statuses(settings)
    assert now[old] == "cancelled"
    assert sorted(now.values()) == ["cancelled", "proposed"]
    assert ("vol_anna", "released") in [(w, k) for w, k, _ in outbox(settings)]
    assert audit(settings, world) == []


def test_the_watch_finds_and_releases_what_changed_behind_the_services_back_and_warns_ahead(api, world, settings):
    leader = _setup(api, world, activity="football")
    coord = api("coordinator")
    # Anna's check runs out on 2027-01-10, within 60 days of now (2026-11-26).
    coord.post(f"/api/volunteers/{world.profiles['vol_anna']}/background-checks", json={"seen_on": "2026-01-10"})
    s = session(leader, world.activities["football"], *CIRCLE_DAY)
    aid = held(api, world, "vol_anna", s["id"])
    watch = f"/api/partnerships/{world.partnership_id}/rules-watch"
    r = coord.post(watch)
    assert r.status_code == 200 and r.json()["breaches"] == []
    (warning,) = r.json()["warnings"]
    assert warning["runs_out_on"] == "2027-01-10" and warning["sessions_before"] == 1
    assert "Anna Volunteer" in warning["message"]
    assert api("leader_sisu").post(watch).status_code == 403
    sql(
        settings,
        update(VolunteerProfile)
        .where(VolunteerProfile.id == world.profiles["vol_anna"])
        .values(max_minutes_per_week=10),
    )
    r = coord.post(watch)
    assert [(b["assignment_id"], b["code"]) for b in r.json()["breaches"]] == [(aid, "weekly_cap")]
    assert r.json()["released"] is False and statuses(settings)[aid] == "accepted"
    r = coord.post(watch, json={"confirm": True})
    assert r.json()["released"] is True and statuses(settings)[aid] == "cancelled"
    assert audit(settings, world) == []
