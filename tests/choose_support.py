"""Arranging the state the volunteers-choose tests share: sessions, needs, checks, holds."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import select

from service_support import run_db
from volunteers.db.models import Assignment, AssignmentStatus, BackgroundCheck, OutboxMessage, Session

EVENINGS = {"rules": [{"weekday": d, "start_time": "08:00:00", "end_time": "21:00:00"} for d in range(7)]}


def add_session(api: Any, leader: str, activity: uuid.UUID, start: str, end: str) -> str:
    r = api(leader).post(f"/api/activities/{activity}/sessions", json={"starts_at": start, "ends_at": end})
    assert r.status_code == 201, r.text
    return str(r.json()[0]["id"])


def add_need(api: Any, leader: str, activity: uuid.UUID, **need: Any) -> None:
    r = api(leader).post(f"/api/activities/{activity}/needs", json=need)
    assert r.status_code == 201, r.text


def record_check(settings: Any, world: Any, volunteer: str, seen_on: dt.date) -> None:
    async def add(db: Any) -> None:
        db.add(
            BackgroundCheck(profile_id=world.profiles[volunteer], partnership_id=world.partnership_id, seen_on=seen_on)
        )

    run_db(settings, add)


def hold(settings: Any, world: Any, volunteer: str, session_id: str, role: str, status: str = "accepted") -> uuid.UUID:
    """Put a volunteer on a session directly (arranging state, not the path under test)."""

    async def add(db: Any) -> uuid.UUID:
        s = await db.get(Session, uuid.UUID(session_id))
        a = Assignment(
            session_id=s.id,
            volunteer_id=world.profiles[volunteer],
            role=role,
            status=AssignmentStatus(status),
            starts_at=s.starts_at,
            ends_at=s.ends_at,
        )
        db.add(a)
        await db.flush()
        return a.id

    return run_db(settings, add)


def outbox(settings: Any, kind: str | None = None) -> list[tuple[str, str, str]]:
    async def q(db: Any) -> list[tuple[str, str, str]]:
        stmt = select(OutboxMessage.to_address, OutboxMessage.subject, OutboxMessage.body)
        if kind:
            stmt = stmt.where(OutboxMessage.kind == kind)
        return [tuple(r) for r in (await db.execute(stmt)).all()]

    return run_db(settings, q)
