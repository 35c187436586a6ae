"""An auditor's check, written apart from the service: every held future assignment keeps every hard rule.

It reads the tables with its own queries, builds one `matching-problem/1` for the whole
state (every scheduled session that has a held slot, every volunteer, the needs with a
session's own need replacing the activity's), puts every held slot in one plan, and asks
`matching.check`. It shares nothing with the service's write paths or its problem
builder; only the availability expansion (the definition of a weekly rule) is reused.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import text

import matching
from volunteers.people.availability import DatedException, WeeklyRule, expand_availability

HOLDING = ("proposed", "accepted", "confirmed", "completed")


def _id(value: Any) -> str:
    """An id as text whichever way the database stores it (SQLite: 16 bytes)."""
    return str(uuid.UUID(bytes=value)) if isinstance(value, bytes) else str(value)


def _utc(value: Any) -> dt.datetime:
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _time(value: Any) -> dt.time | None:
    if value is None or isinstance(value, dt.time):
        return value
    return dt.time.fromisoformat(str(value))


def _list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        import json

        return list(json.loads(value))
    return list(value)


async def broken_holds(db: Any, partnership_id: Any, now: dt.datetime) -> list[str]:
    """One line per broken rule among held assignments on future scheduled sessions; empty if none."""
    pid = partnership_id.bytes if db.bind.dialect.name == "sqlite" else partnership_id
    p = (
        await db.execute(
            text(
                "SELECT timezone, background_check_valid_days, background_check_min_age FROM partnership WHERE id = :p"
            ),
            {"p": pid},
        )
    ).one()
    zone = ZoneInfo(p[0])
    held = (
        await db.execute(
            text(
                "SELECT a.volunteer_id, a.session_id, a.role, a.status, s.starts_at, s.ends_at, s.activity_id "
                "FROM assignment a JOIN activity_session s ON s.id = a.session_id "
                "JOIN activity act ON act.id = s.activity_id "
                "WHERE act.partnership_id = :p AND s.status = 'scheduled' AND a.status IN "
                "('proposed', 'accepted', 'confirmed', 'completed')"
            ),
            {"p": pid},
        )
    ).all()
    future = [h for h in held if _utc(h[4]) > now and h[3] != "completed"]
    if not future:
        return []
    first = min(_utc(h[4]) for h in future) - dt.timedelta(days=8)
    last = max(_utc(h[5]) for h in future) + dt.timedelta(days=8)
    held = [h for h in held if first <= _utc(h[4]) <= last]
    session_ids = {_id(h[1]) for h in held}
    sessions = {
        _id(r[0]): r
        for r in (
            await db.execute(
                text(
                    "SELECT s.id, s.activity_id, s.starts_at, s.ends_at, act.kind, act.target_group "
                    "FROM activity_session s JOIN activity act ON act.id = s.activity_id WHERE act.partnership_id = :p"
                ),
                {"p": pid},
            )
        ).all()
        if _id(r[0]) in session_ids
    }
    needs = (
        await db.execute(
            text(
                "SELECT n.activity_id, n.session_id, n.role, n.count, n.skills, n.languages, n.min_age "
                "FROM staffing_need n JOIN activity act ON act.id = n.activity_id WHERE act.partnership_id = :p"
            ),
            {"p": pid},
        )
    ).all()
    roles: dict[str, dict[str, dict[str, Any]]] = {}
    for sid, s in sessions.items():
        own = {n[2]: n for n in needs if _id(n[0]) == _id(s[1]) and n[1] is None}
        own.update({n[2]: n for n in needs if n[1] is not None and _id(n[1]) == sid})
        roles[sid] = {
            r: {
                "role": r,
                "count": n[3],
                "skills": _list(n[4]),
                "languages": _list(n[5]),
                **({"min_age": n[6]} if n[6] is not None else {}),
            }
            for r, n in own.items()
        }
    people = (
        await db.execute(
            text(
                "SELECT v.id, v.birth_date, v.languages, v.max_minutes_per_week, v.guardian_consent_at "
                "FROM volunteer_profile v "
                "JOIN user_account u ON u.id = v.user_id "
                "WHERE v.partnership_id = :p AND u.is_active AND u.anonymised_at IS NULL"
            ),
            {"p": pid},
        )
    ).all()
    skills: dict[str, set[str]] = defaultdict(set)
    for vid, code in (await db.execute(text("SELECT profile_id, skill_code FROM volunteer_skill"))).all():
        skills[_id(vid)].add(code)
    for vid, code in (await db.execute(text("SELECT volunteer_id, skill_code FROM endorsement"))).all():
        skills[_id(vid)].add(code)
    checks: dict[str, dt.date] = {}
    for vid, seen in (
        await db.execute(text("SELECT profile_id, seen_on FROM background_check WHERE partnership_id = :p"), {"p": pid})
    ).all():
        seen = _date(seen)
        if _id(vid) not in checks or seen > checks[_id(vid)]:
            checks[_id(vid)] = seen
    weekly: dict[str, list[WeeklyRule]] = defaultdict(list)
    for vid, wd, a, b, vf, vu in (
        await db.execute(
            text("SELECT profile_id, weekday, start_time, end_time, valid_from, valid_until FROM availability_rule")
        )
    ).all():
        weekly[_id(vid)].append(WeeklyRule(wd, _time(a), _time(b), _date(vf), _date(vu)))
    dated: dict[str, list[DatedException]] = defaultdict(list)
    for vid, kind, df, dt_, a, b in (
        await db.execute(
            text("SELECT profile_id, kind, date_from, date_to, start_time, end_time FROM availability_exception")
        )
    ).all():
        dated[_id(vid)].append(
            DatedException(str(kind).lower() == "available", _date(df), _date(dt_), _time(a), _time(b))
        )
    day0, day1 = first.astimezone(zone).date(), last.astimezone(zone).date()
    volunteers = []
    # The service's own rule beside the contract's: under 16 on the session's date needs a guardian's consent.
    unconsented = {
        _id(raw): _date(birth) for raw, birth, _, _, consent in people if birth is not None and consent is None
    }
    for raw, birth, langs, cap, _ in people:
        vid = _id(raw)
        v: dict[str, Any] = {
            "id": vid,
            "skills": sorted(skills[vid]),
            "languages": _list(langs),
            "availability": [
                [a.astimezone(zone).isoformat(), b.astimezone(zone).isoformat()]
                for a, b in expand_availability(weekly[vid], dated[vid], day0, day1, zone)
            ],
        }
        if birth is not None:
            v["birth_date"] = _date(birth).isoformat()
        if vid in checks:
            v["background_check"] = checks[vid].isoformat()
        if cap is not None:
            v["max_minutes_per_week"] = cap
        volunteers.append(v)
    known = {v["id"] for v in volunteers}
    vetoes = {
        (_id(v), _id(a)) for v, a in (await db.execute(text("SELECT volunteer_id, activity_id FROM exclusion"))).all()
    }
    problems: list[str] = []
    plan = []
    excluded = []
    for vid, sid, role, status, starts, *_ in held:
        vid, sid = _id(vid), _id(sid)
        is_future = _utc(starts) > now and status != "completed"
        if vid not in known:
            if is_future:
                problems.append(f"{vid} in {sid}: volunteer no longer active")
            continue
        if role not in roles[sid]:
            if is_future:
                problems.append(f"{vid} in {sid}: role {role} no longer needed")
            continue
        plan.append({"volunteer": vid, "shift": sid, "role": role})
        born = unconsented.get(vid)
        day = _utc(starts).astimezone(zone).date()
        if (
            is_future
            and born is not None
            and (day.year - born.year - ((day.month, day.day) < (born.month, born.day))) < 16
        ):
            problems.append(f"{vid} in {sid}: under 16 on {day} without a guardian's consent on record")
        if (vid, _id(sessions[sid][1])) in vetoes:
            excluded.append({"volunteer": vid, "shift": sid})
    shifts = [
        {
            "id": sid,
            "activity": _id(s[1]),
            "activity_type": str(s[4]).lower(),
            "start": _utc(s[2]).astimezone(zone).isoformat(),
            "end": _utc(s[3]).astimezone(zone).isoformat(),
            "children": str(s[5]).lower() in ("children", "youth", "mixed"),
            "roles": list(roles[sid].values()) or [{"role": "_none", "count": 0}],
        }
        for sid, s in sessions.items()
    ]
    problem = matching.parse_problem(
        {
            "format": "matching-problem/1",
            "timezone": p[0],
            "policy": {"background_check_valid_days": p[1], "background_check_min_age": p[2], "min_volunteer_age": 13},
            "volunteers": volunteers,
            "shifts": shifts,
            "excluded": excluded,
        }
    )
    future_shifts = {_id(h[1]) for h in future}
    future_people = {_id(h[0]) for h in future}
    for v in matching.check(problem, matching.parse_plan({"format": "matching-plan/1", "assignments": plan})):
        if (v.shift in future_shifts) or (v.shift is None and v.volunteer in future_people):
            problems.append(str(v))
    return problems
