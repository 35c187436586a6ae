"""Recording experience: attendance and minutes, endorsements, trainings, the experience record."""

from __future__ import annotations

from sqlalchemy import func, select

from experience_support import confirm, standard_work
from service_support import run_db
from volunteers.db.models import Assignment, AssignmentEvent, Attendance, Endorsement, Training


def statuses(settings):
    async def q(db):
        return {a.id: a.status.value for a in (await db.execute(select(Assignment))).scalars()}

    return run_db(settings, q)


def count(settings, model):
    async def q(db):
        return (await db.execute(select(func.count()).select_from(model))).scalar_one()

    return run_db(settings, q)


def test_leader_confirms_sessions_and_the_record_equals_a_hand_count(api, world, settings):
    work = standard_work(settings, world)
    sisu, abf = api("leader_sisu"), api("leader_abf")
    r = confirm(sisu, work, "f1", {"vol_anna": (True, 90), "vol_bo": (False, 0)})
    assert r.status_code == 200, r.text
    assert {e["name"]: (e["status"], e["minutes"]) for e in r.json()["entries"]} == {
        "Anna Volunteer": ("completed", 90),
        "Bo Volunteer": ("no_show", 0),
    }
    assert confirm(sisu, work, "f2", {"vol_anna": (True, 80), "vol_bo": (True, None)}).status_code == 200
    assert confirm(sisu, work, "f3", {"vol_anna": (True, None)}).status_code == 200
    assert confirm(abf, work, "c1", {"vol_anna": (True, 120)}).status_code == 200
    # Re-confirming corrects: Anna left early on f2; Bo did come to f1 after all.
    assert confirm(sisu, work, "f2", {"vol_anna": (True, 75), "vol_bo": (True, 90)}).status_code == 200
    assert confirm(sisu, work, "f1", {"vol_anna": (True, 90), "vol_bo": (True, 60)}).status_code == 200
    assert count(settings, Attendance) == 6
    assert set(statuses(settings).values()) == {"completed", "accepted"}  # the future one stays accepted

    async def history(db):
        rows = await db.execute(
            select(AssignmentEvent.from_status, AssignmentEvent.to_status, AssignmentEvent.reason)
            .where(AssignmentEvent.assignment_id == work.assignments[("f1", "vol_bo")])
            .order_by(AssignmentEvent.created_at)
        )
        return [tuple(r) for r in rows]

    assert [(f, t) for f, t, _ in run_db(settings, history)] == [
        (None, "accepted"),
        ("accepted", "no_show"),
        ("no_show", "completed"),
    ]

    anna = api("vol_anna").get(f"/api/volunteers/{world.profiles['vol_anna']}/experience").json()
    # Hand count: football 90 + 75 + 90, circle 120.
    assert anna["verified_minutes"] == 375 and anna["verified_hours"] == 6.3
    assert anna["sessions"] == 4 and anna["no_shows"] == 0
    assert anna["period"] == {"start": "2026-10-27", "end": "2026-11-24"}
    assert [(h["key"], h["minutes"], h["sessions"]) for h in anna["by_kind"]] == [
        ("sport", 255, 3),
        ("study_circle", 120, 1),
    ]
    assert [(h["key"], h["minutes"]) for h in anna["by_role"]] == [("tränare", 255), ("cirkelledare", 120)]
    assert [(h["label"], h["minutes"]) for h in anna["by_partner"]] == [
        ("RF-SISU Västmanland", 255),
        ("ABF Västerås", 120),
    ]
    assert [(h["key"], h["minutes"], h["sessions"]) for h in anna["by_month"]] == [
        ("2026-10", 90, 1),
        ("2026-11", 285, 3),
    ]
    bo = api("coordinator").get(f"/api/volunteers/{world.profiles['vol_bo']}/experience").json()
    assert (bo["verified_minutes"], bo["sessions"], bo["no_shows"]) == (150, 2, 0)


def test_a_no_show_is_not_verified_time(api, world, settings):
    work = standard_work(settings, world)
    assert confirm(api("coordinator"), work, "f1", {"vol_anna": (False, None), "vol_bo": (True, 90)}).status_code == 200
    anna = api("vol_anna").get(f"/api/volunteers/{world.profiles['vol_anna']}/experience").json()
    assert (anna["verified_minutes"], anna["sessions"], anna["no_shows"], anna["period"]) == (0, 0, 1, None)
    assert anna["by_kind"] == [] and anna["may_issue_certificate"] is False


def test_attendance_by_another_partners_leader_is_refused_and_writes_nothing(api, world, settings):
    work = standard_work(settings, world)
    before = statuses(settings)
    events = count(settings, AssignmentEvent)
    r = confirm(api("leader_abf"), work, "f1", {"vol_anna": (True, 90), "vol_bo": (True, 90)})
    assert r.status_code == 404
    r = confirm(api("coordinator_other"), work, "f1", {"vol_anna": (True, 90), "vol_bo": (True, 90)})
    assert r.status_code == 404
    r = confirm(api("vol_anna"), work, "f1", {"vol_anna": (True, 90), "vol_bo": (True, 90)})
    assert r.status_code == 403
    assert statuses(settings) == before
    assert count(settings, Attendance) == 0 and count(settings, AssignmentEvent) == events


def test_bad_attendance_names_the_field_and_writes_nothing(api, world, settings):
    work = standard_work(settings, world)
    sisu = api("leader_sisu")
    r = confirm(sisu, work, "future", {"vol_anna": (True, 90)})
    assert r.status_code == 409 and r.json()["code"] == "session_not_started"
    r = confirm(sisu, work, "f1", {"vol_anna": (True, 151), "vol_bo": (True, 90)})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "entries[0].minutes"
    r = confirm(sisu, work, "f1", {"vol_anna": (True, 90), "vol_bo": (False, 30)})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "entries[1].minutes"
    r = confirm(sisu, work, "f1", {"vol_anna": (True, 90)})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "entries"
    assert r.json()["missing"] == [str(work.assignments[("f1", "vol_bo")])]
    body = {"entries": [{"assignment_id": str(work.assignments[("c1", "vol_anna")]), "attended": True}]}
    r = sisu.post(f"/api/sessions/{work.sessions['f3']}/attendance", json=body)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "entries[0].assignment_id"
    body = {"entries": [{"assignment_id": str(work.assignments[("f3", "vol_anna")]), "attended": True, "minutes": "x"}]}
    r = sisu.post(f"/api/sessions/{work.sessions['f3']}/attendance", json=body)
    assert r.status_code == 400 and "minutes" in r.json()["detail"]
    assert count(settings, Attendance) == 0
    assert set(statuses(settings).values()) == {"accepted"}


def test_endorsements_stay_apart_from_self_assessed_skills_and_feed_learning_goals(api, world, settings):
    work = standard_work(settings, world)
    anna_id = world.profiles["vol_anna"]
    anna, sisu, abf = api("vol_anna"), api("leader_sisu"), api("leader_abf")
    body = {"skills": ["coach_young_people", "work_in_teams"], "learning_goals": ["coach_young_people", "plan_events"]}
    assert anna.patch(f"/api/volunteers/{anna_id}", json=body).status_code == 200
    endorse = {"skill_code": "coach_young_people", "session_id": str(work.sessions["f1"]), "note": "Calm with the kids"}
    # Not before the volunteer has worked one of the leader's sessions.
    assert sisu.post(f"/api/volunteers/{anna_id}/endorsements", json=endorse).status_code == 403
    confirm(sisu, work, "f1", {"vol_anna": (True, 90), "vol_bo": (True, 90)})
    confirm(sisu, work, "f2", {"vol_anna": (True, 90), "vol_bo": (True, 90)})
    r = sisu.post(f"/api/volunteers/{anna_id}/endorsements", json=endorse)
    assert r.status_code == 201, r.text
    assert r.json()["activity_id"] == str(world.activities["football"]) and r.json()["by"] == "Leo Leader"
    assert sisu.post(f"/api/volunteers/{anna_id}/endorsements", json=endorse).status_code == 409
    r = sisu.post(f"/api/volunteers/{anna_id}/endorsements", json={"skill_code": "coach_young_people"})
    assert r.status_code == 201
    r = sisu.post(f"/api/volunteers/{anna_id}/endorsements", json={"skill_code": "instruct_in_sport"})
    assert r.status_code == 201
    # Bad input names the field.
    bad = [
        ({"skill_code": "no_such_skill"}, 422, "skill_code"),
        ({"skill_code": "work_in_teams", "note": "two\nlines"}, 400, "note"),  # the schema refuses it now
        ({"skill_code": "work_in_teams", "session_id": str(work.sessions["c1"])}, 422, "session_id"),
    ]
    for payload, status, field in bad:
        r = sisu.post(f"/api/volunteers/{anna_id}/endorsements", json=payload)
        assert r.status_code == status, (payload, r.text)
        assert r.json()["errors"][0]["field"] == field
    r = sisu.post(f"/api/volunteers/{anna_id}/endorsements", json={"skill_code": "work_in_teams", "note": "x" * 201})
    assert r.status_code == 400 and "note" in r.json()["detail"]
    # ABF's leader never had Bo; a volunteer endorses nobody.
    assert abf.post(f"/api/volunteers/{world.profiles['vol_bo']}/endorsements", json=endorse).status_code == 404
    assert api("vol_bo").post(f"/api/volunteers/{anna_id}/endorsements", json=endorse).status_code == 403
    assert count(settings, Endorsement) == 3

    record = anna.get(f"/api/volunteers/{anna_id}/experience").json()
    assert [(e["skill"]["code"], e["endorsements"], e["notes"]) for e in record["endorsed_skills"]] == [
        ("coach_young_people", 2, ["Calm with the kids"]),
        ("instruct_in_sport", 1, []),
    ]
    assert [s["code"] for s in record["self_assessed_skills"]] == ["coach_young_people", "work_in_teams"]
    goals = {
        g["skill"]["code"]: (g["endorsements"], g["developing_sessions"], g["developed"])
        for g in record["learning_goals"]
    }
    assert goals == {"coach_young_people": (2, 2, True), "plan_events": (0, 0, False)}


def test_trainings_are_recorded_by_coordinators(api, world, settings):
    anna_id = world.profiles["vol_anna"]
    course = {"name": "Cirkelledarutbildning", "issuer": "ABF Västerås", "completed_on": "2026-10-03"}
    assert api("leader_abf").post(f"/api/volunteers/{anna_id}/trainings", json=course).status_code == 403
    assert api("vol_anna").post(f"/api/volunteers/{anna_id}/trainings", json=course).status_code == 403
    assert api("coordinator_other").post(f"/api/volunteers/{anna_id}/trainings", json=course).status_code == 404
    coord = api("coordinator")
    r = coord.post(f"/api/volunteers/{anna_id}/trainings", json={**course, "completed_on": "2027-01-01"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "completed_on"
    assert count(settings, Training) == 0
    assert coord.post(f"/api/volunteers/{anna_id}/trainings", json=course).status_code == 201
    first_aid = {"name": "Första hjälpen", "issuer": "Röda Korset", "completed_on": "2026-09-12"}
    assert coord.post(f"/api/volunteers/{anna_id}/trainings", json=first_aid).status_code == 201
    record = api("vol_anna").get(f"/api/volunteers/{anna_id}/experience").json()
    assert [(t["name"], t["issuer"], t["completed_on"]) for t in record["trainings"]] == [
        ("Första hjälpen", "Röda Korset", "2026-09-12"),
        ("Cirkelledarutbildning", "ABF Västerås", "2026-10-03"),
    ]


def test_the_experience_record_is_for_the_volunteer_and_coordinators_only(api, world):
    path = f"/api/volunteers/{world.profiles['vol_anna']}/experience"
    assert api("vol_anna").get(path).status_code == 200
    assert api("coordinator").get(path).status_code == 200
    for other in ("vol_bo", "leader_sisu", "coordinator_other"):
        assert api(other).get(path).status_code == 404, other
    assert api().get(path).status_code == 401
    assert api("coordinator").get("/api/volunteers/00000000-0000-0000-0000-000000000000/experience").status_code == 404
