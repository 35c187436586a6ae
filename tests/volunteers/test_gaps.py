"""Leaders and coordinators see the gaps: fill status, a leader's request's result, the run review's shortages."""

from __future__ import annotations

import re

from choose_support import add_need, add_session, free_evenings, hold, record_check
from service_support import NOW


def _chips(html):
    return re.findall(r'<span class="fill (\w+)">[^<]*?(\d+) of (\d+)</span>', html)


def test_week_and_activity_list_show_fill_as_colour_and_count(api, world, settings):
    football, circle = world.activities["football"], world.activities["circle"]
    a = add_session(api, "leader_sisu", football, "2026-12-01T17:00:00+01:00", "2026-12-01T18:00:00+01:00")
    b = add_session(api, "leader_sisu", football, "2026-12-02T17:00:00+01:00", "2026-12-02T18:00:00+01:00")
    add_need(api, "leader_sisu", football, role="tränare", count=2)
    add_need(api, "leader_sisu", football, role="hjälpare", count=1)
    add_session(api, "leader_abf", circle, "2026-12-01T17:00:00+01:00", "2026-12-01T18:00:00+01:00")
    hold(settings, world, "vol_anna", a, "tränare")
    hold(settings, world, "vol_bo", a, "hjälpare", "proposed")
    week = api("leader_sisu").get("/week?start=2026-11-30").text
    assert _chips(week) == [("part", "2", "3"), ("empty", "0", "3")]  # the circle (another partner's) not shown
    hold(settings, world, "vol_bo", b, "tränare")
    hold(settings, world, "vol_anna", b, "tränare")
    activities = api("leader_sisu").get("/activities").text
    assert ("part", "4", "6") in _chips(activities)
    assert b  # both sessions count in the coming four weeks


def test_leader_request_shows_its_result_and_the_review_opens_with_shortages(api, world, settings):
    football = world.activities["football"]
    sid = add_session(api, "leader_sisu", football, "2026-12-01T17:00:00+01:00", "2026-12-01T18:00:00+01:00")
    add_need(api, "leader_sisu", football, role="tränare", count=2, skills=["provide_first_aid"])
    free_evenings(api, world, "vol_anna", "vol_bo")
    record_check(settings, world, "vol_anna", NOW.date())
    r = api("leader_sisu").post("/api/staff-requests", json={"session_id": sid})
    assert r.status_code == 202, r.text
    run = api("leader_sisu").get(f"/api/match-runs/{r.json()['id']}?wait=60").json()["run"]
    assert run["status"] == "done", run
    page = api("leader_sisu").get("/activities").text
    assert "Your requests for people" in page and "Waiting for the coordinator" in page
    review = api("coordinator").get(f"/runs/{run['id']}").text
    shortages = review[review.index("Shortages, by reason") : review.index("The plan, day by day")]
    assert "provide first aid" in shortages and "2 places" in shortages and "Football U12" in shortages
    assert review.index("Shortages, by reason") < review.index("By session")
    assert re.search(r'<span class="fill empty">[^<]*0 of 2</span>', review)
