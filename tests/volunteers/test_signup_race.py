"""Two volunteers take the last place at the same moment: exactly one gets it (SQLite and PostgreSQL).

Real concurrent requests against a real server (uvicorn on loopback), as in
test_no_double_booking: the transaction and its locks are what keep the count.
"""

from __future__ import annotations

import asyncio

import httpx
import pytest

from choose_support import EVENINGS, holders, login, nothing_held_breaks_a_rule
from server_support import serve
from service_support import NOW


@pytest.fixture
def server(app):
    yield from serve(app)


async def _at_once(url, clients, path, body):
    async def one(c):
        async with httpx.AsyncClient(base_url=url, cookies=dict(c.cookies), headers=dict(c.headers), timeout=60) as h:
            return await h.post(path, json=body)

    return await asyncio.gather(*(one(c) for c in clients))


def test_two_volunteers_taking_the_last_place_at_once_one_gets_it(server, world, settings):
    coord, leader = login(server, "coordinator"), login(server, "leader_abf")
    circle = world.activities["circle"]
    sessions = []
    for day in ("01", "02", "03"):
        r = leader.post(
            f"/api/activities/{circle}/sessions",
            json={"starts_at": f"2026-12-{day}T18:00:00+01:00", "ends_at": f"2026-12-{day}T19:00:00+01:00"},
        )
        sessions.append(r.json()[0]["id"])
    assert leader.post(f"/api/activities/{circle}/needs", json={"role": "värd", "count": 1}).status_code == 201
    r = coord.put(
        f"/api/partnerships/{world.partnership_id}/signup-settings",
        json={"leader_confirms": False, "open_activity_ids": [str(circle)]},
    )
    assert r.status_code == 200, r.text
    anna, bo = login(server, "vol_anna"), login(server, "vol_bo")
    for c, key in ((anna, "vol_anna"), (bo, "vol_bo")):
        assert c.put(f"/api/volunteers/{world.profiles[key]}/availability", json=EVENINGS).status_code == 200
    for sid in sessions:  # three rounds: each a real race for one place
        responses = asyncio.run(_at_once(server, [anna, bo], f"/api/open-places/{sid}/take", {"role": "värd"}))
        codes = sorted(r.status_code for r in responses)
        assert codes == [200, 409], [r.text for r in responses]
        loser = next(r for r in responses if r.status_code == 409).json()
        assert loser["code"] == "role_overfilled", loser
        held = holders(settings, sid)
        assert len(held) == 1 and held[0][2] == "accepted"
    nothing_held_breaks_a_rule(settings, world, NOW)


def test_two_volunteers_taking_one_offered_place_at_once_one_gets_it(server, world, settings):
    from choose_support import more_volunteers

    more_volunteers(settings, world, "cleo")
    coord, leader = login(server, "coordinator"), login(server, "leader_abf")
    circle = world.activities["circle"]
    r = leader.post(
        f"/api/activities/{circle}/sessions",
        json={"starts_at": "2026-12-02T18:00:00+01:00", "ends_at": "2026-12-02T19:00:00+01:00"},
    )
    sid = r.json()[0]["id"]
    assert leader.post(f"/api/activities/{circle}/needs", json={"role": "värd", "count": 1}).status_code == 201
    coord.put(
        f"/api/partnerships/{world.partnership_id}/signup-settings",
        json={"leader_confirms": False, "open_activity_ids": [str(circle)]},
    )
    people = {key: login(server, key) for key in ("vol_anna", "vol_bo", "cleo")}
    for key, c in people.items():
        assert c.put(f"/api/volunteers/{world.profiles[key]}/availability", json=EVENINGS).status_code == 200
    aid = people["vol_anna"].post(f"/api/open-places/{sid}/take", json={"role": "värd"}).json()["id"]
    r = people["vol_anna"].post(f"/api/assignments/{aid}/decline", json={"reason": "away"})
    assert r.status_code == 200, r.text
    offered = {key: people[key].get("/api/offers/mine").json() for key in ("vol_bo", "cleo")}
    assert all(len(o) == 1 for o in offered.values()), offered

    async def both():
        return await asyncio.gather(
            *(_at_once(server, [people[key]], f"/api/offers/{o[0]['id']}/take", None) for key, o in offered.items())
        )

    codes = sorted(r[0].status_code for r in asyncio.run(both()))
    assert codes == [200, 409]
    held = holders(settings, sid)
    assert len(held) == 1 and held[0][2] == "accepted"
    nothing_held_breaks_a_rule(settings, world, NOW)
