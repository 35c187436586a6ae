"""Arranging the state the volunteers-choose tests share: sessions, needs, checks, holds."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import select

from service_support import run_db
from volunteers.db.models import Assignment, AssignmentStatus, BackgroundCheck, OutboxMessage, Session

EVENINGS = {"rules": [{"weekday": d, "start_time": "08:00:00", "end_time": "22:00:00"} for d in range(7)]}


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


def open_for_signup(api: Any, world: Any, *activities: str, leader_confirms: bool = False) -> None:
    r = api("coordinator").put(
        f"/api/partnerships/{world.partnership_id}/signup-settings",
        json={"leader_confirms": leader_confirms, "open_activity_ids": [str(world.activities[a]) for a in activities]},
    )
    assert r.status_code == 200, r.text


def free_evenings(api: Any, world: Any, *volunteers: str) -> None:
    for key in volunteers:
        r = api(key).put(f"/api/volunteers/{world.profiles[key]}/availability", json=EVENINGS)
        assert r.status_code == 200, r.text


def nothing_held_breaks_a_rule(settings: Any, world: Any, now: dt.datetime) -> None:
    """The issue-14 invariant: no held future assignment breaks a hard rule (the rules' checker and the auditor's)."""
    from volunteers.db.models import Partnership
    from volunteers.staffing.rules import held_breaches

    async def check(db: Any) -> list[Any]:
        p = await db.get(Partnership, world.partnership_id)
        return await held_breaches(db, p, now)

    assert run_db(settings, check) == []
    # And the auditor's checker, written apart from the service (issue 14).
    from rules_invariant import broken_holds

    async def audit(db: Any) -> list[str]:
        return await broken_holds(db, world.partnership_id, now)

    assert run_db(settings, audit) == []


def holders(settings: Any, session_id: str) -> list[tuple[uuid.UUID, str, str]]:
    async def q(db: Any) -> list[tuple[uuid.UUID, str, str]]:
        rows = (await db.execute(select(Assignment).where(Assignment.session_id == uuid.UUID(session_id)))).scalars()
        return sorted((a.volunteer_id, a.role, a.status.value) for a in rows if a.status.holds_slot)

    return run_db(settings, q)


def login(url: str, key: str) -> Any:
    import httpx

    from service_support import PASSWORD

    client = httpx.Client(base_url=url)
    client.get("/health")  # the CSRF cookie first: logging in is a write like any other
    client.headers["x-csrftoken"] = client.cookies["csrftoken"]
    r = client.post("/api/auth/login", json={"email": f"{key}@test.samverka.se", "password": PASSWORD})
    assert r.status_code == 200, r.text
    client.headers["x-csrftoken"] = client.cookies["csrftoken"]
    return client


def arrange_open_places(settings: Any, world: Any) -> dict[str, str]:
    """Straight in the database: an open circle session (one place) and an open football session at 20:30
    needing first aid, both volunteers free every evening; Anna has first aid and a check, and is 15."""
    from volunteers.db.models import Activity, AvailabilityRule, Partnership, StaffingNeed, VolunteerSkill

    async def arrange(db: Any) -> dict[str, str]:
        zone = dt.timezone(dt.timedelta(hours=1))
        out = {}
        for key, activity, start, end in (
            (
                "circle",
                "circle",
                dt.datetime(2026, 12, 2, 18, tzinfo=zone),
                dt.datetime(2026, 12, 2, 19, 30, tzinfo=zone),
            ),
            (
                "late",
                "football",
                dt.datetime(2026, 12, 3, 20, 30, tzinfo=zone),
                dt.datetime(2026, 12, 3, 21, 30, tzinfo=zone),
            ),
        ):
            s = Session(activity_id=world.activities[activity], starts_at=start, ends_at=end)
            db.add(s)
            await db.flush()
            out[key] = str(s.id)
            (await db.get(Activity, world.activities[activity])).open_for_signup = True
        db.add(StaffingNeed(activity_id=world.activities["circle"], role="samtalsledare", count=1))
        db.add(
            StaffingNeed(
                activity_id=world.activities["football"], role="tränare", count=1, skills=["provide_first_aid"]
            )
        )
        for key in ("vol_anna", "vol_bo"):
            for d in range(7):
                db.add(
                    AvailabilityRule(
                        profile_id=world.profiles[key], weekday=d, start_time=dt.time(8), end_time=dt.time(22)
                    )
                )
        db.add(VolunteerSkill(profile_id=world.profiles["vol_anna"], skill_code="provide_first_aid"))
        db.add(
            BackgroundCheck(
                profile_id=world.profiles["vol_anna"], partnership_id=world.partnership_id, seen_on=dt.date(2026, 11, 1)
            )
        )
        from volunteers.db.models import VolunteerProfile

        anna = await db.get(VolunteerProfile, world.profiles["vol_anna"])
        # A 15-year-old registers with her guardian's consent (the rules place no minor without it).
        anna.birth_date, anna.guardian_consent_at = dt.date(2011, 6, 1), dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
        assert await db.get(Partnership, world.partnership_id) is not None
        return out

    return run_db(settings, arrange)


def more_volunteers(settings: Any, world: Any, *names: str) -> None:
    """Extra volunteers of the partnership (the world has two)."""

    from service_support import PASSWORD
    from volunteers.accounts.security import hash_password, new_token
    from volunteers.db.models import Membership, Role, User, VolunteerProfile

    async def add(db: Any) -> None:
        for name in names:
            u = User(
                email=f"{name}@test.samverka.se",
                password_hash=hash_password(PASSWORD),
                display_name=name.title(),
                locale="en",
            )
            db.add(u)
            await db.flush()
            db.add(Membership(user_id=u.id, partnership_id=world.partnership_id, role=Role.VOLUNTEER))
            v = VolunteerProfile(
                user_id=u.id,
                partnership_id=world.partnership_id,
                first_name=name.title(),
                last_name="Extra",
                birth_date=dt.date(1990, 1, 1),
                calendar_token=new_token(24),
            )
            db.add(v)
            await db.flush()
            world.profiles[name] = v.id
            world.users[name] = u.id

    run_db(settings, add)
