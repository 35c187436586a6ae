"""Volunteers see the open places they may take (the matcher decides), take one, or learn why not."""

from __future__ import annotations

import datetime as dt

from choose_support import (
    add_need,
    add_session,
    free_evenings,
    holders,
    nothing_held_breaks_a_rule,
    open_for_signup,
    record_check,
)
from service_support import NOW, run_db
from volunteers.db.models import VolunteerProfile


def _setup(api, world, settings):
    football, circle = world.activities["football"], world.activities["circle"]
    f = add_session(api, "leader_sisu", football, "2026-12-01T17:00:00+01:00", "2026-12-01T18:30:00+01:00")
    late = add_session(api, "leader_sisu", football, "2026-12-03T20:30:00+01:00", "2026-12-03T21:30:00+01:00")
    c = add_session(api, "leader_abf", circle, "2026-12-02T18:00:00+01:00", "2026-12-02T19:30:00+01:00")
    add_need(api, "leader_sisu", football, role="tränare", count=1, skills=["provide_first_aid"])
    add_need(api, "leader_abf", circle, role="samtalsledare", count=1)
    free_evenings(api, world, "vol_anna", "vol_bo")
    r = api("vol_anna").patch(f"/api/volunteers/{world.profiles['vol_anna']}", json={"skills": ["provide_first_aid"]})
    assert r.status_code == 200, r.text
    record_check(settings, world, "vol_anna", NOW.date() - dt.timedelta(days=20))
    return f, late, c


def _places(caller, **query):
    r = caller.get("/api/open-places", params=query)
    assert r.status_code == 200, r.text
    return {(p["session_id"], p["role"]): p for p in r.json()}


def test_only_activities_open_for_signup_are_listed(api, world, settings):
    _f, _late, c = _setup(api, world, settings)
    assert _places(api("vol_anna")) == {}
    open_for_signup(api, world, "circle")
    assert set(_places(api("vol_anna"))) == {(c, "samtalsledare")}
    # A leader may not open activities; an unknown activity is named.
    r = api("leader_sisu").put(
        f"/api/partnerships/{world.partnership_id}/signup-settings",
        json={"leader_confirms": False, "open_activity_ids": []},
    )
    assert r.status_code == 403
    r = api("coordinator").put(
        f"/api/partnerships/{world.partnership_id}/signup-settings",
        json={"leader_confirms": False, "open_activity_ids": [str(world.partnership_id)]},
    )
    assert r.status_code == 422 and "open_activity_ids" in r.text


def test_closed_places_say_why_and_what_would_change_it(api, world, settings):
    f, late, c = _setup(api, world, settings)
    open_for_signup(api, world, "football", "circle")
    bo = _places(api("vol_bo"))
    why = {r["code"]: r for r in bo[(f, "tränare")]["reasons"]}
    assert not bo[(f, "tränare")]["may_take"]
    assert why["no_valid_check"]["words"] == "needs a background-check extract for work with children"
    assert why["no_valid_check"]["fix"] == "how to get one"
    assert why["missing_skill"]["words"] == "needs provide first aid"
    assert bo[(c, "samtalsledare")]["may_take"] and bo[(c, "samtalsledare")]["reasons"] == []

    # A 15-year-old (with a check) may not take a place after 20:00.
    async def make_young(db):
        v = await db.get(VolunteerProfile, world.profiles["vol_anna"])
        v.birth_date = dt.date(2011, 6, 1)
        v.guardian_consent_at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)  # registered under 16: her guardian consented

    run_db(settings, make_young)
    anna = _places(api("vol_anna"))
    assert anna[(f, "tränare")]["may_take"]
    assert [r["words"] for r in anna[(late, "tränare")]["reasons"]] == ["under 16 after 20:00"]
    # Filters: by day, kind of activity and partner.
    assert set(_places(api("vol_bo"), day="2026-12-02")) == {(c, "samtalsledare")}
    assert set(_places(api("vol_bo"), kind="sport")) == {(f, "tränare"), (late, "tränare")}
    assert set(_places(api("vol_bo"), partner_id=str(world.partners["abf"]))) == {(c, "samtalsledare")}


def test_take_checks_the_rules_again_and_the_count(api, world, settings):
    f, _late, c = _setup(api, world, settings)
    open_for_signup(api, world, "football", "circle")
    r = api("vol_bo").post(f"/api/open-places/{f}/take", json={"role": "tränare"})
    assert r.status_code == 409 and r.json()["code"] in ("no_valid_check", "missing_skill"), r.text
    r = api("vol_anna").post(f"/api/open-places/{f}/take", json={"role": "tränare"})
    assert r.status_code == 200 and r.json()["status"] == "accepted", r.text
    # Taken twice, or the role is full: refused.
    assert api("vol_anna").post(f"/api/open-places/{f}/take", json={"role": "tränare"}).status_code == 409
    r = api("vol_bo").post(f"/api/open-places/{c}/take", json={"role": "nobody"})
    assert r.status_code == 422 and "role" in r.text
    # The activity closed for sign-up: refused.
    open_for_signup(api, world, "football")
    assert api("vol_bo").post(f"/api/open-places/{c}/take", json={"role": "samtalsledare"}).status_code == 403
    assert holders(settings, f) == [(world.profiles["vol_anna"], "tränare", "accepted")]
    nothing_held_breaks_a_rule(settings, world, NOW)


def test_leader_confirms_signups_when_the_partnership_says_so(api, world, settings):
    _f, _late, c = _setup(api, world, settings)
    open_for_signup(api, world, "circle", leader_confirms=True)
    r = api("vol_bo").post(f"/api/open-places/{c}/take", json={"role": "samtalsledare"})
    assert r.status_code == 200 and r.json()["status"] == "proposed", r.text
    aid = r.json()["id"]
    # The volunteer cannot say yes on the leader's behalf; another partner's leader cannot either.
    assert api("vol_bo").post(f"/api/assignments/{aid}/accept").status_code == 409
    assert api("leader_sisu").post(f"/api/assignments/{aid}/signup-answer", json={"yes": True}).status_code == 404
    r = api("leader_abf").post(f"/api/assignments/{aid}/signup-answer", json={"yes": True})
    assert r.status_code == 200 and r.json()["status"] == "accepted", r.text
    nothing_held_breaks_a_rule(settings, world, NOW)
