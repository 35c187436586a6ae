"""Arranging held assignments through the API, for the safety-rule tests."""

from __future__ import annotations

import uuid
from typing import Any

from service_support import NOW, run_db
from volunteers.db.models import Partnership
from volunteers.staffing.rules import Breach, breaches_of_new_hold, held_breaches

EVENINGS = {"rules": [{"weekday": d, "start_time": "08:00:00", "end_time": "22:00:00"} for d in range(7)]}


def session(leader: Any, activity: uuid.UUID, start: str, end: str) -> dict[str, Any]:
    r = leader.post(f"/api/activities/{activity}/sessions", json={"starts_at": start, "ends_at": end})
    assert r.status_code == 201, r.text
    return r.json()[0]


def held(api: Any, world: Any, key: str, session_id: str, role: str = "ledare", accept: bool = True) -> str:
    """Hand-assign `key` to the session and, if asked, accept: the assignment's id."""
    r = api("coordinator").post(
        f"/api/sessions/{session_id}/assignments", json={"volunteer_id": str(world.profiles[key]), "role": role}
    )
    assert r.status_code == 201, r.text
    aid = r.json()["id"]
    if accept:
        r = api(key).post(f"/api/assignments/{aid}/accept")
        assert r.status_code == 200, r.text
    return aid


def breaches(settings: Any, world: Any, **scope: Any) -> list[Breach]:
    async def go(db: Any) -> list[Breach]:
        p = await db.get(Partnership, world.partnership_id)
        return await held_breaches(db, p, NOW, **scope)

    return run_db(settings, go)


def new_hold(settings: Any, world: Any, key: str, session_id: str, role: str = "ledare") -> list[Breach]:
    async def go(db: Any) -> list[Breach]:
        p = await db.get(Partnership, world.partnership_id)
        return await breaches_of_new_hold(db, p, world.profiles[key], uuid.UUID(session_id), role, NOW)

    return run_db(settings, go)


def audit(settings: Any, world: Any, now: Any = NOW) -> list[str]:
    """The auditor's view (written apart from the service): broken rules among held future assignments."""
    from rules_invariant import broken_holds

    async def go(db: Any) -> list[str]:
        return await broken_holds(db, world.partnership_id, now)

    return run_db(settings, go)


def outbox(settings: Any) -> list[tuple[str, str]]:
    from sqlalchemy import select

    from volunteers.db.models import OutboxMessage

    async def go(db: Any) -> list[tuple[str, str]]:
        rows = await db.execute(select(OutboxMessage.to_address, OutboxMessage.kind, OutboxMessage.body))
        return [(a.split("@")[0], k, b) for a, k, b in rows.all()]

    return run_db(settings, go)


def statuses(settings: Any) -> dict[str, str]:
    from sqlalchemy import select

    from volunteers.db.models import Assignment

    async def go(db: Any) -> dict[str, str]:
        return {str(a.id): a.status.value for a in (await db.execute(select(Assignment))).scalars()}

    return run_db(settings, go)


def sql(settings: Any, *stmts: Any) -> None:
    async def go(db: Any) -> None:
        for stmt in stmts:
            await db.execute(stmt)

    run_db(settings, go)
