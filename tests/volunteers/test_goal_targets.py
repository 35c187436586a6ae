"""Learning goals with a target date: set by the volunteer, reached only by a leader's endorsement,
the same status for the volunteer and the coordinator, overdue by the service clock."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from experience_support import confirm, standard_work
from service_support import run_db
from volunteers.db.models import Endorsement, LearningGoalTarget


def stored_targets(settings, profile_id):
    async def q(db):
        rows = await db.execute(
            select(LearningGoalTarget.skill_code, LearningGoalTarget.target_date).where(
                LearningGoalTarget.profile_id == profile_id
            )
        )
        return {c: d.isoformat() for c, d in rows.all()}

    return run_db(settings, q)


def goal_rows(record):
    return {
        g["skill"]["code"]: (g["target_date"], g["developed"], g["reached_by"], g["reached_on"], g["overdue"])
        for g in record["learning_goals"]
    }


def test_set_change_and_clear_a_target_date(api, world, settings, clock):
    anna_id = world.profiles["vol_anna"]
    anna = api("vol_anna")
    url = f"/api/volunteers/{anna_id}"
    body = {
        "learning_goals": ["coach_young_people", "plan_events"],
        "learning_goal_targets": [
            {"skill_code": "coach_young_people", "target_date": "2026-12-31"},
            {"skill_code": "plan_events", "target_date": "2026-11-20"},
        ],
    }
    r = anna.patch(url, json=body)
    assert r.status_code == 200, r.text
    assert r.json()["learning_goal_targets"] == {"coach_young_people": "2026-12-31", "plan_events": "2026-11-20"}
    assert r.json()["learning_goals"] == ["coach_young_people", "plan_events"]  # the list keeps its shape
    # The clock stands at 2026-11-26: plan_events' day has passed unreached.
    goals = goal_rows(anna.get(f"{url}/experience").json())
    assert goals == {
        "coach_young_people": ("2026-12-31", False, None, None, False),
        "plan_events": ("2026-11-20", False, None, None, True),
    }
    # Change one, clear the other; a goal not named keeps its date.
    r = anna.patch(url, json={"learning_goal_targets": [{"skill_code": "plan_events", "target_date": None}]})
    assert r.status_code == 200, r.text
    r = anna.patch(
        url, json={"learning_goal_targets": [{"skill_code": "coach_young_people", "target_date": "2026-12-01"}]}
    )
    assert r.status_code == 200, r.text
    assert stored_targets(settings, anna_id) == {"coach_young_people": "2026-12-01"}
    assert anna.get(url).json()["learning_goal_targets"] == {"coach_young_people": "2026-12-01"}
    assert goal_rows(anna.get(f"{url}/experience").json())["plan_events"] == (None, False, None, None, False)
    # The injected clock moves past the date: overdue, without any write.
    assert goal_rows(anna.get(f"{url}/experience").json())["coach_young_people"][4] is False
    clock.advance(days=6)
    assert goal_rows(anna.get(f"{url}/experience").json())["coach_young_people"][4] is True
    # Dropping the goal drops its target.
    assert anna.patch(url, json={"learning_goals": ["plan_events"]}).status_code == 200
    assert stored_targets(settings, anna_id) == {}


def test_bad_target_dates_name_the_field_and_write_nothing(api, world, settings):
    anna_id = world.profiles["vol_anna"]
    anna = api("vol_anna")
    url = f"/api/volunteers/{anna_id}"
    ok = {
        "learning_goals": ["coach_young_people"],
        "learning_goal_targets": [{"skill_code": "coach_young_people", "target_date": "2027-03-01"}],
    }
    assert anna.patch(url, json=ok).status_code == 200
    coach = "learning_goal_targets.coach_young_people"
    bad = [
        ({"learning_goal_targets": [{"skill_code": "coach_young_people", "target_date": "1999-12-31"}]}, 422, coach),
        ({"learning_goal_targets": [{"skill_code": "coach_young_people", "target_date": "2101-01-01"}]}, 422, coach),
        (
            {"learning_goal_targets": [{"skill_code": "plan_events", "target_date": "2027-03-01"}]},
            422,
            "learning_goal_targets.plan_events",
        ),
        # A goal removed in the same request cannot keep a target.
        (
            {
                "learning_goals": ["plan_events"],
                "learning_goal_targets": [{"skill_code": "coach_young_people", "target_date": "2027-04-01"}],
            },
            422,
            coach,
        ),
    ]
    for payload, status, field in bad:
        r = anna.patch(url, json=payload)
        assert r.status_code == status, (payload, r.text)
        assert r.json()["errors"][0]["field"] == field, r.text
    r = anna.patch(
        url, json={"learning_goal_targets": [{"skill_code": "coach_young_people", "target_date": "2027-02-30"}]}
    )
    assert r.status_code == 400 and "learning_goal_targets" in r.json()["detail"], r.text
    assert stored_targets(settings, anna_id) == {"coach_young_people": "2027-03-01"}
    assert anna.get(url).json()["learning_goals"] == ["coach_young_people"]
    # Someone else cannot set her targets.
    other = {"learning_goal_targets": [{"skill_code": "coach_young_people", "target_date": "2027-05-01"}]}
    assert api("coordinator").patch(url, json=other).status_code == 403
    assert stored_targets(settings, anna_id) == {"coach_young_people": "2027-03-01"}


def test_coordinator_sees_the_same_status_as_the_volunteer(api, world, settings, clock):
    work = standard_work(settings, world)
    anna_id = world.profiles["vol_anna"]
    anna, sisu, coordinator = api("vol_anna"), api("leader_sisu"), api("coordinator")
    url = f"/api/volunteers/{anna_id}"
    body = {
        "learning_goals": ["coach_young_people", "plan_events", "work_in_teams"],
        "learning_goal_targets": [
            {"skill_code": "coach_young_people", "target_date": "2026-11-01"},
            {"skill_code": "plan_events", "target_date": "2026-11-02"},
        ],
    }
    assert anna.patch(url, json=body).status_code == 200
    confirm(sisu, work, "f1", {"vol_anna": (True, 90), "vol_bo": (True, 90)})
    endorse = {"skill_code": "coach_young_people", "session_id": str(work.sessions["f1"])}
    assert sisu.post(f"{url}/endorsements", json=endorse).status_code == 201

    async def endorsed_on(db):
        at = (await db.execute(select(Endorsement.created_at).where(Endorsement.volunteer_id == anna_id))).scalar_one()
        return at.astimezone(dt.timezone(dt.timedelta(hours=1))).date().isoformat()  # Stockholm in winter

    day = run_db(settings, endorsed_on)
    mine = goal_rows(anna.get(f"{url}/experience").json())
    theirs = goal_rows(coordinator.get(f"{url}/experience").json())
    assert (
        mine
        == theirs
        == {
            # Reached (after its date, but reached is reached): not overdue.
            "coach_young_people": ("2026-11-01", True, "Leo Leader", day, False),
            "plan_events": ("2026-11-02", False, None, None, True),
            "work_in_teams": (None, False, None, None, False),
        }
    )
    # Her own export carries the targets.
    import io
    import json
    import zipfile

    r = anna.get(f"{url}/export")
    assert r.status_code == 200, r.text
    data = json.loads(zipfile.ZipFile(io.BytesIO(r.content)).read("samverka-export.json"))
    assert sorted((t["skill_code"], t["target_date"]) for t in data["learning_goal_targets"]) == [
        ("coach_young_people", "2026-11-01"),
        ("plan_events", "2026-11-02"),
    ]
