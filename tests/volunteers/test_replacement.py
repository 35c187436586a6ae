"""Decline, replace, wait, swap: a freed place is offered at once, the first to take it gets it."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from choose_support import (
    add_need,
    add_session,
    free_evenings,
    holders,
    more_volunteers,
    nothing_held_breaks_a_rule,
    open_for_signup,
    outbox,
)
from service_support import NOW, run_db
from volunteers.db.models import PlaceOffer


def offers(settings, session_id):
    async def q(db):
        rows = (await db.execute(select(PlaceOffer).where(PlaceOffer.session_id == uuid.UUID(session_id)))).scalars()
        return {o.volunteer_id: (o.id, o.kind, o.status) for o in rows}

    return run_db(settings, q)


def _circle_session(api, world, count=1):
    circle = world.activities["circle"]
    sid = add_session(api, "leader_abf", circle, "2026-12-02T18:00:00+01:00", "2026-12-02T19:30:00+01:00")
    add_need(api, "leader_abf", circle, role="värd", count=count)
    open_for_signup(api, world, "circle")
    return sid


def test_decline_with_reason_tells_the_leader_and_offers_the_place_to_the_best(api, world, settings):
    more_volunteers(settings, world, "cleo", "dan", "eve", "finn")
    sid = _circle_session(api, world)
    free_evenings(api, world, "vol_anna", "vol_bo", "cleo", "dan", "eve")  # finn is never free
    r = api("vol_anna").post(f"/api/open-places/{sid}/take", json={"role": "värd"})
    aid = r.json()["id"]
    r = api("vol_anna").post(f"/api/assignments/{aid}/decline", json={"reason": "I have an exam"})
    assert r.status_code == 200 and r.json()["status"] == "cancelled", r.text
    told = [(to, body) for to, _, body in outbox(settings, "declined")]
    assert [to for to, _ in told] == ["leader_abf@test.samverka.se"]
    assert "I have an exam" in told[0][1] and "3 other volunteers" in told[0][1]
    offered = offers(settings, sid)
    assert len(offered) == 3 and world.profiles["vol_anna"] not in offered and world.profiles["finn"] not in offered
    assert {kind for _, kind, _ in offered.values()} == {"replacement"}
    assert len(outbox(settings, "place_offer")) == 3
    # The first to take it gets it; the other offers are withdrawn.
    first, second = [k for k in ("vol_bo", "cleo", "dan", "eve") if world.profiles[k] in offered][:2]
    r = api(first).post(f"/api/offers/{offered[world.profiles[first]][0]}/take")
    assert r.status_code == 200 and r.json()["status"] == "accepted", r.text
    r = api(second).post(f"/api/offers/{offered[world.profiles[second]][0]}/take")
    assert r.status_code == 409, r.text
    assert sorted(status for _, _, status in offers(settings, sid).values()) == ["taken", "withdrawn", "withdrawn"]
    assert api(second).get("/api/offers/mine").json() == []
    assert holders(settings, sid) == [(world.profiles[first], "värd", "accepted")]
    nothing_held_breaks_a_rule(settings, world, NOW)


def test_waiting_list_is_offered_a_freed_place_first(api, world, settings):
    more_volunteers(settings, world, "cleo")
    sid = _circle_session(api, world)
    free_evenings(api, world, "vol_anna", "vol_bo", "cleo")
    aid = api("vol_anna").post(f"/api/open-places/{sid}/take", json={"role": "värd"}).json()["id"]
    # Full: Cleo waits (a free place would have to be taken instead).
    assert api("cleo").post(f"/api/open-places/{sid}/waiting-list", json={"role": "värd"}).status_code == 204
    place = next(p for p in api("cleo").get("/api/open-places").json() if p["session_id"] == sid)
    assert place["waiting"] and place["free"] == 0 and not place["may_take"]
    api("vol_anna").post(f"/api/assignments/{aid}/decline", json={"reason": ""})
    offered = offers(settings, sid)
    assert list(offered) == [world.profiles["cleo"]] and offered[world.profiles["cleo"]][1] == "waiting_list"
    r = api("cleo").post(f"/api/offers/{offered[world.profiles['cleo']][0]}/take")
    assert r.status_code == 200, r.text
    assert holders(settings, sid) == [(world.profiles["cleo"], "värd", "accepted")]
    # Taking the place took Cleo off the waiting list.
    assert not next(p for p in api("vol_bo").get("/api/open-places").json() if p["session_id"] == sid)["free"]
    nothing_held_breaks_a_rule(settings, world, NOW)


def test_swap_to_a_named_volunteer_is_checked_and_the_leader_sees_it(api, world, settings):
    more_volunteers(settings, world, "cleo")
    sid = _circle_session(api, world)
    free_evenings(api, world, "vol_anna", "vol_bo")  # cleo is never free
    aid = api("vol_anna").post(f"/api/open-places/{sid}/take", json={"role": "värd"}).json()["id"]
    r = api("vol_anna").post(f"/api/assignments/{aid}/swap", json={"to": "cleo@test.samverka.se"})
    assert r.status_code == 409 and r.json()["code"] == "not_available", r.text
    r = api("vol_anna").post(f"/api/assignments/{aid}/swap", json={"to": "nobody@example.org"})
    assert r.status_code == 422 and "to" in r.text
    r = api("vol_anna").post(f"/api/assignments/{aid}/swap", json={"to": "VOL_BO@test.samverka.se"})
    assert r.status_code == 200 and r.json()["offers"] == 1, r.text
    offer = api("vol_bo").get("/api/offers/mine").json()
    assert [o["kind"] for o in offer] == ["swap"]
    assert [to for to, _, _ in outbox(settings, "place_offer")] == ["vol_bo@test.samverka.se"]  # Bo is told
    r = api("vol_bo").post(f"/api/offers/{offer[0]['id']}/take")
    assert r.status_code == 200, r.text
    assert holders(settings, sid) == [(world.profiles["vol_bo"], "värd", "accepted")]
    told = outbox(settings, "swapped")
    assert [to for to, _, _ in told] == ["leader_abf@test.samverka.se"]
    assert "Anna Volunteer" in told[0][2] and "Bo Volunteer" in told[0][2]
    nothing_held_breaks_a_rule(settings, world, NOW)


def test_swap_to_anyone_offers_the_best_and_the_giver_keeps_it_until_taken(api, world, settings):
    more_volunteers(settings, world, "cleo")
    sid = _circle_session(api, world)
    free_evenings(api, world, "vol_anna", "vol_bo", "cleo")
    aid = api("vol_anna").post(f"/api/open-places/{sid}/take", json={"role": "värd"}).json()["id"]
    r = api("vol_anna").post(f"/api/assignments/{aid}/swap", json={})
    assert r.status_code == 200 and r.json()["offers"] == 2, r.text
    assert holders(settings, sid) == [(world.profiles["vol_anna"], "värd", "accepted")]
    assert api("vol_anna").post(f"/api/assignments/{aid}/swap", json={}).status_code == 409  # offered already
    offer = api("cleo").get("/api/offers/mine").json()[0]
    assert api("cleo").post(f"/api/offers/{offer['id']}/take").status_code == 200
    assert holders(settings, sid) == [(world.profiles["cleo"], "värd", "accepted")]
    nothing_held_breaks_a_rule(settings, world, NOW)
