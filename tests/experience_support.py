"""Arranging past sessions with assignments, for the experience and certificate tests."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from service_support import NOW, World, run_db
from volunteers.db.models import (
    Assignment,
    AssignmentEvent,
    AssignmentStatus,
    AvailabilityRule,
    BackgroundCheck,
    Session,
    StaffingNeed,
)
from volunteers.settings import Settings


@dataclass
class PastWork:
    sessions: dict[str, uuid.UUID] = field(default_factory=dict)
    assignments: dict[tuple[str, str], uuid.UUID] = field(default_factory=dict)  # (session key, volunteer key)


def arrange_sessions(
    settings: Settings,
    world: World,
    spec: list[tuple[str, str, dt.datetime, int, list[tuple[str, str]]]],
) -> PastWork:
    """Sessions `(key, activity, starts_at, minutes, [(volunteer, role)])`, each volunteer accepted.

    Activities get needs for their roles; the football role `tränare` develops `coach_young_people`.
    """

    async def arrange(db: Any) -> PastWork:
        out = PastWork()
        roles: set[tuple[str, str]] = set()
        for key, activity, starts, minutes, people in spec:
            s = Session(
                activity_id=world.activities[activity],
                starts_at=starts,
                ends_at=starts + dt.timedelta(minutes=minutes),
            )
            db.add(s)
            await db.flush()
            out.sessions[key] = s.id
            for volunteer, role in people:
                roles.add((activity, role))
                a = Assignment(
                    session_id=s.id,
                    volunteer_id=world.profiles[volunteer],
                    role=role,
                    status=AssignmentStatus.ACCEPTED,
                    starts_at=s.starts_at,
                    ends_at=s.ends_at,
                )
                db.add(a)
                await db.flush()
                db.add(AssignmentEvent(assignment_id=a.id, from_status=None, to_status="accepted"))
                out.assignments[(key, volunteer)] = a.id
        for activity, role in sorted(roles):
            develops = ["coach_young_people"] if role == "tränare" else []
            db.add(StaffingNeed(activity_id=world.activities[activity], role=role, count=3, develops=develops))
        return out

    return run_db(settings, arrange)


def days_ago(days: int, hour: int = 16) -> dt.datetime:
    """A UTC time `days` before the tests' now, at `hour` UTC."""
    return (NOW - dt.timedelta(days=days)).replace(hour=hour, minute=0)


def standard_work(settings: Settings, world: World) -> PastWork:
    """Three past football sessions (Anna and Bo), one past circle (Anna), one tomorrow.

    Anna's held place tomorrow keeps the rules (every later change of her profile re-checks them):
    she is free all day every day and a coordinator has seen her background check.
    """

    async def keep_rules(db: Any) -> None:
        anna = world.profiles["vol_anna"]
        for weekday in range(7):
            db.add(AvailabilityRule(profile_id=anna, weekday=weekday, start_time=dt.time(6), end_time=dt.time(23)))
        db.add(
            BackgroundCheck(
                profile_id=anna,
                partnership_id=world.partnership_id,
                seen_on=NOW.date(),
                seen_by_id=world.users["coordinator"],
            )
        )

    run_db(settings, keep_rules)
    return arrange_sessions(
        settings,
        world,
        [
            ("f1", "football", days_ago(30), 90, [("vol_anna", "tränare"), ("vol_bo", "tränare")]),
            ("f2", "football", days_ago(23), 90, [("vol_anna", "tränare"), ("vol_bo", "tränare")]),
            ("f3", "football", days_ago(2), 90, [("vol_anna", "tränare")]),
            ("c1", "circle", days_ago(9, 17), 120, [("vol_anna", "cirkelledare")]),
            ("future", "football", NOW + dt.timedelta(days=1), 90, [("vol_anna", "tränare")]),
        ],
    )


def confirm(api_caller: Any, work: PastWork, session: str, entries: dict[str, tuple[bool, int | None]]) -> Any:
    """POST the attendance of one session: {volunteer: (attended, minutes)}."""
    body = {
        "entries": [
            {"assignment_id": str(work.assignments[(session, v)]), "attended": att, "minutes": m}
            for v, (att, m) in entries.items()
        ]
    }
    return api_caller.post(f"/api/sessions/{work.sessions[session]}/attendance", json=body)
