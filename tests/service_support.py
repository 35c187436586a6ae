"""Helpers for service tests: arranging database state, a world of users, API callers."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from litestar import Litestar
from litestar.testing import TestClient
from sqlalchemy.ext.asyncio import async_sessionmaker

from volunteers.accounts.security import hash_password, new_token
from volunteers.db.engine import create_engine
from volunteers.db.models import (
    Activity,
    ActivityKind,
    Membership,
    Partner,
    Partnership,
    Role,
    TargetGroup,
    User,
    VolunteerProfile,
)
from volunteers.settings import Settings

PASSWORD = "correct-horse-battery"
NOW = dt.datetime(2026, 11, 26, 12, 0, tzinfo=dt.UTC)


def run_db(settings: Settings, fn: Any) -> Any:
    """Run `await fn(db)` in its own engine and commit (for arranging and inspecting state)."""

    async def main() -> Any:
        engine = create_engine(settings)
        try:
            async with async_sessionmaker(engine, expire_on_commit=False)() as db:
                result = await fn(db)
                await db.commit()
                return result
        finally:
            await engine.dispose()

    return asyncio.run(main())


@dataclass
class World:
    partnership_id: uuid.UUID
    other_partnership_id: uuid.UUID
    partners: dict[str, uuid.UUID]
    users: dict[str, uuid.UUID] = field(default_factory=dict)
    profiles: dict[str, uuid.UUID] = field(default_factory=dict)
    activities: dict[str, uuid.UUID] = field(default_factory=dict)


async def build_world(db: Any) -> World:
    hashed = hash_password(PASSWORD)
    p = Partnership(slug="pettersberg", name="IOP Pettersberg", area="Pettersberg, Västerås")
    other = Partnership(slug="other", name="IOP Elsewhere")
    db.add_all([p, other])
    await db.flush()
    partners = {
        "sisu": Partner(partnership_id=p.id, slug="sisu", name="RF-SISU Västmanland"),
        "abf": Partner(partnership_id=p.id, slug="abf", name="ABF Västerås"),
        "elsewhere": Partner(partnership_id=other.id, slug="elsewhere", name="Elsewhere club"),
    }
    db.add_all(partners.values())
    await db.flush()
    world = World(p.id, other.id, {k: v.id for k, v in partners.items()})

    def user(key: str, name: str) -> User:
        u = User(email=f"{key}@test.samverka.se", password_hash=hashed, display_name=name, locale="en")
        db.add(u)
        return u

    people: list[tuple[str, str, Role | None, str | None, uuid.UUID]] = [
        ("coordinator", "Cora Coordinator", Role.COORDINATOR, None, p.id),
        ("leader_sisu", "Leo Leader", Role.LEADER, "sisu", p.id),
        ("leader_abf", "Lina Leader", Role.LEADER, "abf", p.id),
        ("coordinator_other", "Otto Other", Role.COORDINATOR, None, other.id),
        ("vol_anna", "Anna Volunteer", Role.VOLUNTEER, None, p.id),
        ("vol_bo", "Bo Volunteer", Role.VOLUNTEER, None, p.id),
    ]
    for key, name, role, partner, pid in people:
        u = user(key, name)
        await db.flush()
        world.users[key] = u.id
        db.add(
            Membership(
                user_id=u.id, partnership_id=pid, role=role, partner_id=partners[partner].id if partner else None
            )
        )
        if role == Role.VOLUNTEER:
            first, last = name.split()
            prof = VolunteerProfile(
                user_id=u.id,
                partnership_id=pid,
                first_name=first,
                last_name=last,
                birth_date=dt.date(1995, 5, 17),
                languages=["sv", "en"],
                calendar_token=new_token(24),
            )
            db.add(prof)
            await db.flush()
            world.profiles[key] = prof.id
    football = Activity(
        partnership_id=p.id,
        partner_id=partners["sisu"].id,
        name="Football U12",
        kind=ActivityKind.SPORT,
        target_group=TargetGroup.CHILDREN,
        place="Pettersbergs IP",
    )
    circle = Activity(
        partnership_id=p.id,
        partner_id=partners["abf"].id,
        name="Swedish circle",
        kind=ActivityKind.STUDY_CIRCLE,
        target_group=TargetGroup.ADULTS,
        place="Allaktivitetshuset",
    )
    db.add_all([football, circle])
    await db.flush()
    world.activities = {"football": football.id, "circle": circle.id}
    return world


class Api:
    """One caller with their own cookies, sharing the app's single test client."""

    def __init__(self, client: TestClient[Litestar]):
        self.client = client
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, **kwargs: Any) -> Any:
        c = self.client
        c.cookies.clear()
        for k, v in self.cookies.items():
            c.cookies.set(k, v)
        if method not in ("GET", "HEAD", "OPTIONS") and kwargs.pop("csrf", True):
            if "csrftoken" not in self.cookies:
                c.get("/health")
                self.cookies.update(dict(c.cookies))
            kwargs.setdefault("headers", {})["x-csrftoken"] = self.cookies.get("csrftoken", "")
        response = c.request(method, path, **kwargs)
        self.cookies = {k: v for k, v in c.cookies.items()}
        return response

    def get(self, path: str, **kw: Any) -> Any:
        return self.request("GET", path, **kw)

    def post(self, path: str, **kw: Any) -> Any:
        return self.request("POST", path, **kw)

    def patch(self, path: str, **kw: Any) -> Any:
        return self.request("PATCH", path, **kw)

    def put(self, path: str, **kw: Any) -> Any:
        return self.request("PUT", path, **kw)

    def delete(self, path: str, **kw: Any) -> Any:
        return self.request("DELETE", path, **kw)

    def login(self, key: str, password: str = PASSWORD) -> Api:
        r = self.post("/api/auth/login", json={"email": f"{key}@test.samverka.se", "password": password})
        assert r.status_code == 200, r.text
        return self
