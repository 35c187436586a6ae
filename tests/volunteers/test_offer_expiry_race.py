"""An offer taken at the moment it expires: taken in time or expired, never both (SQLite and PostgreSQL).

A real server (uvicorn on loopback) answers the take while the periodic jobs' round
(`jobs.run_tick`, in a thread with its own engine, as in the jobs' worker) expires the
offers: both take the session's lock, so whichever comes second sees what the first did.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid

import httpx
import pytest
from sqlalchemy import select

from choose_support import EVENINGS, holders, login, more_volunteers, nothing_held_breaks_a_rule
from server_support import serve
from service_support import NOW, run_db
from volunteers.db.models import PlaceOffer
from volunteers.jobs import run_tick


@pytest.fixture
def server(app):
    yield from serve(app)


def _statuses(settings, sid):
    async def q(db):
        rows = (await db.execute(select(PlaceOffer).where(PlaceOffer.session_id == uuid.UUID(sid)))).scalars()
        return {o.id: (o.volunteer_id, o.status) for o in rows}

    return run_db(settings, q)


def test_taking_an_offer_as_it_expires_is_one_or_the_other(server, world, settings, clock):
    more_volunteers(settings, world, "cleo", "dan")
    coord, leader = login(server, "coordinator"), login(server, "leader_abf")
    circle = world.activities["circle"]
    days = ("02", "03", "04")
    sessions = [
        leader.post(
            f"/api/activities/{circle}/sessions",
            json={"starts_at": f"2026-12-{d}T18:00:00+01:00", "ends_at": f"2026-12-{d}T19:00:00+01:00"},
        ).json()[0]["id"]
        for d in days
    ]
    assert leader.post(f"/api/activities/{circle}/needs", json={"role": "värd", "count": 1}).status_code == 201
    r = coord.put(
        f"/api/partnerships/{world.partnership_id}/signup-settings",
        json={"leader_confirms": False, "open_activity_ids": [str(circle)]},
    )
    assert r.status_code == 200, r.text
    people = {key: login(server, key) for key in ("vol_anna", "vol_bo", "cleo", "dan")}
    for key, c in people.items():
        assert c.put(f"/api/volunteers/{world.profiles[key]}/availability", json=EVENINGS).status_code == 200
    # One freed place an hour, so that each round of the jobs races one take alone.
    for sid in sessions:
        aid = people["vol_anna"].post(f"/api/open-places/{sid}/take", json={"role": "värd"}).json()["id"]
        assert people["vol_anna"].post(f"/api/assignments/{aid}/decline", json={}).status_code == 200
        clock.advance(hours=1)
    by_profile = {world.profiles[k]: k for k in people}

    for i, sid in enumerate(sessions):
        due = NOW + dt.timedelta(hours=24 + i)
        clock.now = due - dt.timedelta(seconds=1)  # the server: a second before this place's offers run out
        offered = _statuses(settings, sid)
        offer_id, (vid, _) = next(iter(offered.items()))
        taker = people[by_profile[vid]]

        async def race():
            async def take():
                async with httpx.AsyncClient(
                    base_url=server, cookies=dict(taker.cookies), headers=dict(taker.headers), timeout=60
                ) as h:
                    return await h.post(f"/api/offers/{offer_id}/take")

            return await asyncio.gather(take(), asyncio.to_thread(run_tick, settings, due, False))

        response, _ = asyncio.run(race())
        after = _statuses(settings, sid)
        held = holders(settings, sid)
        if response.status_code == 200:  # taken in time: the round found nothing open to expire
            assert after[offer_id][1] == "taken" and held == [(vid, "värd", "accepted")]
            assert {s for i, (_, s) in after.items() if i != offer_id} <= {"withdrawn"}
        else:  # expired first: the take is refused and nothing is held
            assert response.status_code == 409 and "expired" in response.text, response.text
            assert after[offer_id][1] == "expired" and held == []
        assert sum(1 for _, s in after.values() if s == "taken") == len(held) <= 1
    nothing_held_breaks_a_rule(settings, world, NOW)
