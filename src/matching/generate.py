"""Synthetic, deterministic `matching-problem/1` documents for tests and benchmarks.

The shape follows a Swedish neighbourhood partnership: volunteers aged 13–80, most of
them speaking Swedish; weekly availability windows on weekday evenings, weekday daytime
(pensioners, job seekers) and weekends, expanded over the weeks in Europe/Stockholm
with its daylight-saving changes; weekly recurring activities between 06:00 and 22:00,
many for children; background checks seen at various dates, some expired.  The same
seed always gives the same problem.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from matching.model import PROBLEM_FORMAT

TIMEZONE = "Europe/Stockholm"
DEFAULT_START = date(2026, 3, 16)  # a Monday; four weeks from here cross 2026-03-29

# activity type -> (role, skill or None, priority, min_age, develops) of its main role
_ACTIVITIES: dict[str, list[tuple[str, str | None, int, int | None, str]]] = {
    "sport": [
        ("coach", "football_coaching", 3, 16, "leading_groups"),
        ("coach", "basketball_coaching", 3, 16, "leading_groups"),
        ("swim_instructor", "swimming_instruction", 3, 18, "teaching"),
    ],
    "study_circle": [("circle_leader", "study_circle_leading", 3, 18, "study_circle_leading")],
    "homework": [("homework_helper", "homework_help", 2, 16, "teaching")],
    "culture": [
        ("workshop_leader", "arts_and_crafts", 2, None, "event_planning"),
        ("music_leader", "music", 2, None, "leading_groups"),
    ],
    "workshop": [("cook", "cooking", 2, None, "cooking"), ("it_helper", "it_support", 2, None, "customer_service")],
    "social": [("host", None, 2, None, "customer_service")],
}
_SKILLS = [
    "first_aid",
    "football_coaching",
    "basketball_coaching",
    "swimming_instruction",
    "study_circle_leading",
    "homework_help",
    "arts_and_crafts",
    "music",
    "cooking",
    "it_support",
    "event_setup",
    "interpreting",
]
_SKILL_WEIGHTS = [6, 3, 2, 1, 2, 4, 3, 2, 3, 2, 4, 1]
_LANGUAGES = [
    ("sv", 0.92),
    ("en", 0.65),
    ("ar", 0.15),
    ("so", 0.08),
    ("fa", 0.06),
    ("ti", 0.04),
    ("pl", 0.04),
    ("es", 0.05),
    ("bs", 0.03),
]
_GOALS = [
    "leading_groups",
    "study_circle_leading",
    "teaching",
    "event_planning",
    "cooking",
    "customer_service",
    "first_aid",
]
# weekly availability templates: (days of week, local start, local end)
_WINDOWS = {
    "evening": ([0, 1, 2, 3, 4], time(16), time(21)),
    "late_evening": ([0, 1, 2, 3, 4], time(18), time(22)),
    "daytime": ([0, 1, 2, 3, 4], time(9), time(15)),
    "early": ([0, 1, 2, 3, 4, 5], time(6), time(10)),
    "weekend_morning": ([5, 6], time(9), time(13)),
    "weekend_afternoon": ([5, 6], time(12), time(18)),
}


def generate_problem(
    volunteers: int, shifts: int, *, weeks: int = 4, seed: int = 0, start: date = DEFAULT_START
) -> dict[str, Any]:
    """A synthetic problem as a JSON-ready dict."""
    rng = random.Random(seed)
    zone = ZoneInfo(TIMEZONE)
    monday = start - timedelta(days=start.weekday())
    days = [monday + timedelta(days=d) for d in range(7 * weeks)]
    vols = [_volunteer(rng, i, days, zone) for i in range(volunteers)]
    shift_list = _shifts(rng, shifts, weeks, monday, zone)
    problem: dict[str, Any] = {
        "format": PROBLEM_FORMAT,
        "timezone": TIMEZONE,
        "policy": {"background_check_valid_days": 365, "background_check_min_age": 15, "min_volunteer_age": 13},
        "volunteers": vols,
        "shifts": shift_list,
        "pinned": [],
        "previous": [],
        "excluded": [],
    }
    if vols and shift_list:
        for _ in range(max(1, len(shift_list) // 50)):
            problem["excluded"].append({"volunteer": rng.choice(vols)["id"], "shift": rng.choice(shift_list)["id"]})
        _add_pins_and_previous(rng, problem)
    return problem


def _local(day: date, at: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, at, tzinfo=zone)


def _volunteer(rng: random.Random, i: int, days: list[date], zone: ZoneInfo) -> dict[str, Any]:
    band = rng.random()
    if band < 0.18:
        age = rng.randint(13, 17)
    elif band < 0.40:
        age = rng.randint(18, 25)
    elif band < 0.85:
        age = rng.randint(26, 64)
    else:
        age = rng.randint(65, 80)
    birth = days[0] - timedelta(days=365 * age + rng.randint(0, 364) + age // 4)
    n_skills = rng.choice([1, 1, 2, 2, 3, 4])
    skills = sorted(set(rng.choices(_SKILLS, weights=_SKILL_WEIGHTS, k=n_skills)))
    languages = [lang for lang, p in _LANGUAGES if rng.random() < p] or ["sv"]
    out: dict[str, Any] = {"id": f"v-{i + 1}", "skills": skills, "languages": languages}
    if rng.random() > 0.03:
        out["birth_date"] = birth.isoformat()
    if age >= 15 and rng.random() < 0.75:
        # seen somewhere in the last 16 months: about a quarter have expired by now
        out["background_check"] = (days[0] - timedelta(days=rng.randint(0, 480))).isoformat()
    if age < 18:
        templates = ["evening", "weekend_morning", "weekend_afternoon", "early"]
    elif age >= 65:
        templates = ["daytime", "daytime", "weekend_morning", "evening"]
    else:
        templates = ["evening", "evening", "late_evening", "weekend_morning", "weekend_afternoon", "daytime", "early"]
    windows: list[list[str]] = []
    for name in sorted(set(rng.sample(templates, k=rng.randint(1, 2)))):
        weekdays, begin, end = _WINDOWS[name]
        chosen = set(rng.sample(weekdays, k=min(len(weekdays), rng.randint(1, 2))))
        for day in days:
            if day.weekday() in chosen and rng.random() > 0.1:  # now and then away
                windows.append([_local(day, begin, zone).isoformat(), _local(day, end, zone).isoformat()])
    windows.sort()
    out["availability"] = windows
    if rng.random() < 0.7:
        out["max_minutes_per_week"] = rng.choice([120, 180, 240, 240, 360, 480])
    out["preferred_activity_types"] = sorted(set(rng.sample(list(_ACTIVITIES), k=rng.randint(0, 2))))
    out["learning_goals"] = sorted(set(rng.sample(_GOALS, k=rng.randint(0, 2))))
    out["seeking_work"] = 18 <= age < 65 and rng.random() < 0.3
    return out


def _shifts(rng: random.Random, n: int, weeks: int, monday: date, zone: ZoneInfo) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    activity = 0
    while len(out) < n:
        activity += 1
        kind = rng.choice(list(_ACTIVITIES))
        role_name, skill, priority, min_age, develops = rng.choice(_ACTIVITIES[kind])
        children = kind in ("sport", "homework") or rng.random() < 0.3
        weekday = rng.randint(0, 6)
        if weekday >= 5:
            hour, minute = rng.randint(9, 16), rng.choice([0, 30])
        else:
            hour, minute = rng.choice([6, 7, 9, 10, 13, 15, 16, 16, 17, 17, 18, 18, 19, 20]), 0
        minutes = rng.choice([60, 90, 90, 120, 120, 180])
        begin = time(hour, minute)
        roles: list[dict[str, Any]] = [
            {
                "role": role_name,
                "count": rng.choice([1, 1, 2, 3]),
                "skills": [skill] if skill else [],
                "priority": priority,
                "develops": [develops],
            }
        ]
        if min_age is not None:
            roles[0]["min_age"] = min_age
        if rng.random() < 0.15:
            roles[0]["languages"] = [rng.choice(["ar", "so", "en", "fa"])]
        if rng.random() < 0.5:
            helper: dict[str, Any] = {
                "role": "assistant",
                "count": rng.choice([1, 2]),
                "priority": 1,
                "develops": ["leading_groups"],
            }
            if rng.random() < 0.3:
                helper["skills"] = ["first_aid"]
            roles.append(helper)
        for week in range(weeks):
            if len(out) >= n:
                break
            day = monday + timedelta(days=7 * week + weekday)
            start = _local(day, begin, zone)
            end = (start.astimezone(zone) + timedelta(minutes=minutes)).astimezone(zone)
            if end.date() != day or end.time() > time(22):
                end = _local(day, time(22), zone)
            out.append(
                {
                    "id": f"s-{len(out) + 1}",
                    "activity": f"a-{activity}",
                    "activity_type": kind,
                    "start": start.isoformat(),
                    "end": end.isoformat(),
                    "children": children,
                    "roles": [dict(r) for r in roles],
                }
            )
    return out


def _add_pins_and_previous(rng: random.Random, problem: dict[str, Any]) -> None:
    """Pins that keep every hard rule, and a `previous` plan to be stable against."""
    from matching.eligibility import eligible_triples, index_for  # the rules, not a copy
    from matching.loading import parse_problem

    parsed = parse_problem(problem)
    ix = index_for(parsed)
    triples = eligible_triples(ix)
    order = list(range(len(triples.volunteer)))
    rng.shuffle(order)
    taken: dict[int, list[tuple[int, int]]] = {}
    week_load: dict[tuple[int, int], int] = {}
    filled: dict[int, int] = {}
    picks: list[dict[str, str]] = []
    for t in order:
        v, r, s = (int(triples.volunteer[t]), int(triples.role[t]), int(triples.shift[t]))
        start, end = int(ix.shift_start[s]), int(ix.shift_end[s])
        if filled.get(r, 0) >= ix.role_count[r]:
            continue
        if any(a < end and start < b for a, b in taken.get(v, [])):
            continue
        load = week_load.get((v, int(ix.shift_week[s])), 0) + int(ix.shift_seconds[s])
        if ix.cap_seconds[v] >= 0 and load > ix.cap_seconds[v]:
            continue
        taken.setdefault(v, []).append((start, end))
        week_load[(v, int(ix.shift_week[s]))] = load
        filled[r] = filled.get(r, 0) + 1
        shift = parsed.shifts[s]
        role = shift.roles[r - int(ix.shift_first_role[s])].role
        picks.append({"volunteer": parsed.volunteers[v].id, "shift": shift.id, "role": role})
    rng.shuffle(picks)
    problem["pinned"] = picks[: max(1, len(picks) // 50)]
    problem["previous"] = picks[: len(picks) // 2]
