"""A move and an accept at the same moment cannot leave a broken rule (a real server, both databases)."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from rules_support import EVENINGS, audit
from server_support import serve
from service_support import PASSWORD


@pytest.fixture
def server(app):
    yield from serve(app)


async def _client(url: str, key: str) -> httpx.AsyncClient:
    c = httpx.AsyncClient(base_url=url, timeout=60)
    await c.get("/health")  # the CSRF cookie first: logging in is a write like any other
    c.headers["x-csrftoken"] = c.cookies["csrftoken"]
    r = await c.post("/api/auth/login", json={"email": f"{key}@test.samverka.se", "password": PASSWORD})
    assert r.status_code == 200, r.text
    c.headers["x-csrftoken"] = c.cookies["csrftoken"]
    return c


def test_a_move_and_an_accept_at_once_leave_no_broken_rule(server, world, settings):
    async def main() -> list[tuple[int, int]]:
        leader, coord, anna = [await _client(server, k) for k in ("leader_abf", "coordinator", "vol_anna")]
        circle = world.activities["circle"]
        assert (
            await leader.post(f"/api/activities/{circle}/needs", json={"role": "ledare", "count": 1})
        ).status_code == 201
        assert (
            await anna.put(f"/api/volunteers/{world.profiles['vol_anna']}/availability", json=EVENINGS)
        ).status_code == 200
        outcomes = []
        for day in range(1, 11):
            # Anna has accepted one session and is proposed for another the next day; the leader moves
            # the second onto the first (confirming) while Anna accepts it.
            first = (
                await leader.post(
                    f"/api/activities/{circle}/sessions",
                    json={
                        "starts_at": f"2026-12-{day:02d}T17:00:00+01:00",
                        "ends_at": f"2026-12-{day:02d}T18:30:00+01:00",
                    },
                )
            ).json()[0]
            second = (
                await leader.post(
                    f"/api/activities/{circle}/sessions",
                    json={
                        "starts_at": f"2026-12-{day + 10:02d}T17:00:00+01:00",
                        "ends_at": f"2026-12-{day + 10:02d}T18:30:00+01:00",
                    },
                )
            ).json()[0]
            ids = []
            for s in (first, second):
                r = await coord.post(
                    f"/api/sessions/{s['id']}/assignments",
                    json={"volunteer_id": str(world.profiles["vol_anna"]), "role": "ledare"},
                )
                assert r.status_code == 201, r.text
                ids.append(r.json()["id"])
            assert (await anna.post(f"/api/assignments/{ids[0]}/accept")).status_code == 200
            move = {
                "starts_at": f"2026-12-{day:02d}T17:30:00+01:00",
                "ends_at": f"2026-12-{day:02d}T19:00:00+01:00",
                "confirm": True,
            }
            moved, accepted = await asyncio.gather(
                leader.patch(f"/api/sessions/{second['id']}", json=move),
                anna.post(f"/api/assignments/{ids[1]}/accept"),
            )
            assert moved.status_code < 500 and accepted.status_code < 500, (moved.text, accepted.text)
            outcomes.append((moved.status_code, accepted.status_code))
        for c in (leader, coord, anna):
            await c.aclose()
        return outcomes

    outcomes = asyncio.run(main())
    assert all(m == 200 for m, _ in outcomes), outcomes
    assert audit(settings, world) == []
