"""Random small problems: every plan keeps every hard rule, and its coverage (then
stability) equals the optimum found by an independent brute force.

The reference below re-states the contract's rules in plain Python with datetimes,
sharing no code with the package, so a mistake in the indexed rules shows up here.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching import Problem, check, parse_problem, solve, why_not

ZONE = ZoneInfo("Europe/Stockholm")
DAYS = [date(2026, 3, 22), date(2026, 3, 23), date(2026, 3, 29), date(2026, 3, 30)]


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=ZONE)


@st.composite
def problems(draw: st.DrawFn) -> dict[str, Any]:
    shifts = []
    for i in range(draw(st.integers(1, 4))):
        day = draw(st.sampled_from(DAYS))
        start = _at(day, draw(st.sampled_from([5, 7, 17, 19, 19, 21, 23])))
        minutes = draw(st.sampled_from([30, 60, 90, 120]))
        roles = [
            {
                "role": name,
                "count": draw(st.integers(1, 2)),
                "priority": draw(st.integers(1, 3)),
                "skills": draw(st.sampled_from([[], [], ["a"], ["b"]])),
                "languages": draw(st.sampled_from([[], [], ["sv"], ["en"]])),
                "min_age": draw(st.sampled_from([None, 16, 18])),
            }
            for name in draw(st.sampled_from([["r"], ["r", "q"]]))
        ]
        shifts.append(
            {
                "id": f"s-{i}",
                "activity": f"a-{i % 2}",
                "activity_type": "sport",
                "start": start.isoformat(),
                "end": (start + timedelta(minutes=minutes)).isoformat(),
                "children": draw(st.booleans()),
                "roles": roles,
            }
        )
    volunteers = []
    for i in range(draw(st.integers(1, 3))):
        age = draw(st.sampled_from([None, 12, 14, 15, 16, 17, 30]))
        windows = []
        for day in draw(st.lists(st.sampled_from(DAYS), min_size=1, max_size=3, unique=True)):
            begin, end = draw(st.sampled_from([(0, 24), (0, 24), (6, 20), (16, 22), (18, 23)]))
            windows.append(
                [_at(day, begin).isoformat(), (_at(day, 0) + timedelta(hours=end)).astimezone(ZONE).isoformat()]
            )
        v: dict[str, Any] = {
            "id": f"v-{i}",
            "skills": draw(st.sampled_from([["a"], ["a", "b"], ["b"], []])),
            "languages": draw(st.sampled_from([["sv"], ["sv", "en"], ["en"]])),
            "availability": windows,
            "max_minutes_per_week": draw(st.sampled_from([None, 60, 90, 150])),
            "background_check": draw(st.sampled_from([None, "2025-04-01", "2025-03-29", "2026-01-01"])),
        }
        if age is not None:
            v["birth_date"] = date(2026 - age, 3, 25).isoformat()
        volunteers.append(v)
    pairs = [(v["id"], s["id"]) for v in volunteers for s in shifts]
    excluded = draw(st.lists(st.sampled_from(pairs), max_size=2, unique=True))
    triples = [(v["id"], s["id"], r["role"]) for v in volunteers for s in shifts for r in s["roles"]]
    previous = draw(st.lists(st.sampled_from(triples), max_size=3, unique=True))
    return {
        "format": "matching-problem/1",
        "timezone": "Europe/Stockholm",
        "volunteers": volunteers,
        "shifts": shifts,
        "excluded": [{"volunteer": v, "shift": s} for v, s in excluded],
        "previous": [{"volunteer": v, "shift": s, "role": r} for v, s, r in previous],
    }


def _age(birth: date | None, on: date) -> int | None:
    if birth is None:
        return None
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def reference_eligible(p: Problem, vid: str, sid: str, role: str) -> bool:
    """Rules 1–7 of the contract, written out plainly."""
    v = next(x for x in p.volunteers if x.id == vid)
    s = next(x for x in p.shifts if x.id == sid)
    r = next(x for x in s.roles if x.role == role)
    start, end = s.start.astimezone(ZONE), s.end.astimezone(ZONE)
    age = _age(v.birth_date, start.date())
    if not r.skills <= v.skills or not r.languages <= v.languages:
        return False
    if r.min_age is not None and (age is None or age < r.min_age):
        return False
    if age is not None and age < p.policy.min_volunteer_age:
        return False
    if s.children and (age is None or age >= p.policy.background_check_min_age):
        d = v.background_check
        if d is None or not d <= start.date() <= d + timedelta(p.policy.background_check_valid_days):
            return False
    if age is not None and age < 18:
        limit = time(20) if age < 16 else time(22)
        if start.time() < time(6) or end.date() != start.date() or end.time() > limit:
            return False
    if not any(a <= s.start and s.end <= b for a, b in v.availability):
        return False
    return all((e.volunteer, e.shift) != (vid, sid) for e in p.excluded)


def reference_keeps_rules_8_to_10(p: Problem, chosen: list[tuple[str, str, str]]) -> bool:
    shifts = {s.id: s for s in p.shifts}
    caps = {v.id: v.max_minutes_per_week for v in p.volunteers}
    for sid, s in shifts.items():
        for r in s.roles:
            if sum(1 for _, cs, cr in chosen if (cs, cr) == (sid, r.role)) > r.count:
                return False
    for vid, cap in caps.items():
        mine = [shifts[s] for v, s, _ in chosen if v == vid]
        if len({s.id for s in mine}) < len(mine):
            return False
        for i, a in enumerate(mine):
            if any(a.start < b.end and b.start < a.end for b in mine[i + 1 :]):
                return False
        if cap is not None:
            weeks: dict[tuple[int, int], float] = {}
            for s in mine:
                key = s.start.astimezone(ZONE).isocalendar()[:2]
                weeks[key] = weeks.get(key, 0.0) + (s.end - s.start).total_seconds() / 60
            if any(minutes > cap for minutes in weeks.values()):
                return False
    return True


def brute_force(p: Problem) -> tuple[int, int]:
    """The best (coverage, stability), lexicographically, over every rule-keeping plan."""
    triples = [
        (v.id, s.id, r.role, r.priority)
        for v in p.volunteers
        for s in p.shifts
        for r in s.roles
        if reference_eligible(p, v.id, s.id, r.role)
    ]
    previous = {(a.volunteer, a.shift, a.role) for a in p.previous}
    best = (0, 0)

    def search(i: int, chosen: list[tuple[str, str, str]], coverage: int, kept: int) -> None:
        nonlocal best
        if coverage + sum(t[3] for t in triples[i:]) < best[0]:
            return
        if i == len(triples):
            best = max(best, (coverage, kept))
            return
        v, s, r, priority = triples[i]
        chosen.append((v, s, r))
        if reference_keeps_rules_8_to_10(p, chosen):
            search(i + 1, chosen, coverage + priority, kept + ((v, s, r) in previous))
        chosen.pop()
        search(i + 1, chosen, coverage, kept)

    search(0, [], 0, 0)
    return best


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_plan_keeps_every_rule_and_reaches_the_brute_force_optimum(data: dict[str, Any]) -> None:
    problem = parse_problem(data)
    plan = solve(problem)
    assert plan.status == "optimal"
    assert check(problem, plan) == []
    chosen = [(a.volunteer, a.shift, a.role) for a in plan.assignments]
    assert all(reference_eligible(problem, *t) for t in chosen)
    assert reference_keeps_rules_8_to_10(problem, chosen)
    assert (plan.objective["coverage"], plan.objective["stability"]) == brute_force(problem)
    # the reference and the package agree on every single pair, too
    for v in problem.volunteers:
        for s in problem.shifts:
            for r in s.roles:
                assert (why_not(problem, v.id, s.id, r.role) == []) == reference_eligible(problem, v.id, s.id, r.role)


def test_indexed_rules_agree_with_the_reference_on_a_generated_problem() -> None:
    from matching import generate_problem

    problem = parse_problem(generate_problem(80, 60, seed=11))
    disagreements = [
        (v.id, s.id, r.role)
        for v in problem.volunteers
        for s in problem.shifts
        for r in s.roles
        if (why_not(problem, v.id, s.id, r.role) == []) != reference_eligible(problem, v.id, s.id, r.role)
    ]
    assert disagreements == []
