"""The attacker: tries to work out hidden cells of the impact report, and must not.

The attacker knows the rule ("<5" holds 1-4 people, "hidden" 5 or more; empty cells are
shown), every published table and its total, and several reports: periods shifted by a
day, a week and a month. They write every relation they know as a linear program (a
breakdown that adds up to its total, one in which a person may count twice adds up to at
least it, minutes add up to the total minutes, the same period read twice is the same
figures) and ask a solver for the least and the greatest value of each hidden cell. A
"<5" cell must keep at least three possible values, any other hidden cell two. This LP
is written apart from `volunteers.reports.suppression`, which reasons in closed form.
"""

from __future__ import annotations

import datetime as dt
import os
import random
from typing import Any

import pulp
import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from sqlalchemy import select

from report_history import generate
from service_support import run_db
from volunteers.db.models import Session, SessionParticipants, SessionStatus, VolunteerProfile
from volunteers.reports.schemas import Cell
from volunteers.reports.suppression import protect

SOLVER = pulp.HiGHS(msg=False) if pulp.HiGHS(msg=False).available() else pulp.PULP_CBC_CMD(msg=False)
INF = 10**6


class Attacker:
    """Every hidden figure as an LP variable, every relation the attacker knows as a constraint."""

    def __init__(self) -> None:
        self.lp = pulp.LpProblem("attack", pulp.LpMinimize)
        self.vars: dict[str, tuple[pulp.LpVariable, str]] = {}

    def figure(self, name: str, value: int | None, hidden: str, upper: int = INF) -> Any:
        """A published number, or a variable within what its label says."""
        if value is not None:
            return value
        if name not in self.vars:
            lo, hi = {"small": (1, 4), "complement": (5, upper), "months": (1, upper)}.get(hidden, (0, upper))
            self.vars[name] = (pulp.LpVariable(name.replace(" ", "_"), lo, hi), hidden)
        return self.vars[name][0]

    def table(self, name: str, cells: list[dict[str, Any]], total: Any, additive: bool, minutes: Any) -> None:
        people = [self.figure(f"{name}.{c['key']}.people", c["people"], c.get("hidden", "")) for c in cells]
        if additive:
            self.lp += pulp.lpSum(people) == total
        else:
            self.lp += pulp.lpSum(people) >= total
        if minutes is not None:
            mins = [self.figure(f"{name}.{c['key']}.minutes", c.get("minutes"), "minutes") for c in cells]
            self.lp += pulp.lpSum(mins) == minutes

    def ranges(self) -> dict[str, tuple[float, float, str]]:
        out = {}
        for name, (var, kind) in self.vars.items():
            if kind in ("month", "derived"):
                continue
            bounds = []
            for sense in (pulp.LpMinimize, pulp.LpMaximize):
                self.lp.sense = sense
                self.lp.setObjective(var)
                assert self.lp.solve(SOLVER) == pulp.LpStatusOptimal, name
                bounds.append(pulp.value(var))
            out[name] = (bounds[0], bounds[1], kind)
        return out


def assert_protected(attacker: Attacker, known: tuple[str, ...] = ()) -> None:
    for name, (lo, hi, kind) in attacker.ranges().items():
        if kind in ("month", "derived") or name in known:
            continue  # no published figure (a month's own report's cell is one)
        if kind == "small":
            assert hi - lo >= 2 - 1e-6, f"{name} narrowed to {lo}..{hi}"
        else:
            assert hi - lo >= 1 - 1e-6, f"{name} pinned to {lo}"


def _cells(people: list[int]) -> list[Cell]:
    return [Cell(key=str(i), label=str(i), people=n, minutes=60 * n + 7 * i) for i, n in enumerate(people)]


def _published(cells: list[Cell]) -> list[dict[str, Any]]:
    return [{"key": c.key, "people": c.people, "minutes": c.minutes, "hidden": c.hidden} for c in cells]


def test_the_reported_leak_16_respondents_8_working_6_looking_is_closed() -> None:
    # 16 = 8 + 6 + 1 + 1: two cells of one each, which "<5" beside the total gave away.
    cells, lost = protect(_cells([8, 6, 1, 1, 0, 0, 0]), 16)
    a = Attacker()
    a.table(
        "t",
        _published(cells),
        None if lost else 16,
        True,
        None if lost else sum(c.minutes or 0 for c in _cells([8, 6, 1, 1])),
    )
    assert_protected(a)
    assert [c.hidden for c in cells][:4].count("complement") >= 1
    assert all(c.hidden != "small" for c in cells if c.people is not None and c.people >= 5)


@hsettings(max_examples=200 if os.environ.get("SAMVERKA_LONG_TESTS") != "1" else 3000, deadline=None)
@given(
    st.lists(st.integers(0, 30), min_size=1, max_size=8),
    st.booleans(),
    st.integers(0, 10),
)
def test_no_table_gives_a_hidden_cell_away(people: list[int], additive: bool, overlap: int) -> None:
    """Any table: what the attacker solves for keeps every hidden cell open."""
    total = sum(people) if additive else max(0, sum(people) - overlap)
    total = max(total, max(people))
    cells, lost = protect(_cells(people), total, additive=additive)
    a = Attacker()
    minutes = None if lost else sum(c.minutes or 0 for c in _cells(people))
    published_total = None if lost else total
    if published_total is None:
        return  # nothing to difference against: every cell is its own figure
    a.table("t", _published(cells), published_total, additive, minutes)
    assert_protected(a)
    for c, n in zip(cells, people, strict=True):
        if c.hidden == "small":
            assert 1 <= n <= 4
        elif c.hidden == "complement":
            assert n >= 5


# The report's tables: (path, additive in people, carries minutes).
TABLES = [
    (("hours", "by_partner"), False, True),
    (("hours", "by_activity_kind"), False, True),
    (("hours", "by_target_group"), False, True),
    (("hours", "by_age_band"), True, True),
    (("volunteers", "active_by_age_band"), True, False),
]


def attack(reports: list[dict[str, Any]]) -> Attacker:
    """Every table of every report; reports of the same (snapped) period are one set of unknowns."""
    a = Attacker()
    for r in reports:
        period = f"{r['start']}_{r['end']}"
        active = a.figure(f"{period}.active", r["volunteers"]["active"]["value"], "small_or_total")
        minutes = a.figure(f"{period}.minutes", r["hours"]["total_minutes"], "minutes")
        for (section, key), additive, with_minutes in TABLES:
            # The age table and the active-by-age table are the same people: one set of unknowns.
            name = f"{period}.{'age' if key.endswith('age_band') else key}"
            a.table(name, r[section][key], active, additive, minutes if with_minutes else None)
        a.lp += pulp.lpSum(c["minutes"] for c in r["hours"]["by_month"]) == minutes
        new = a.figure(f"{period}.new", r["volunteers"]["new"]["value"], "small_or_total")
        a.table(f"{period}.new_age", r["volunteers"]["new_by_age_band"], new, True, None)
        fu = r["follow_ups"]
        respondents = a.figure(f"{period}.respondents", fu["respondents"]["value"], "small_or_total")
        a.table(f"{period}.situation", fu["latest_situation"], respondents, True, None)
        for c in fu["helped"]:
            a.figure(f"{period}.helped.{c['key']}.people", c["people"], c.get("hidden", ""))
        retention(a, r, period, active)
        reach(a, r)
    return a


def retention(a: Attacker, r: dict[str, Any], period: str, active: Any) -> None:
    """The previous period's figures are that period's own unknowns; retained and left make a table of two."""
    prev = r.get("previous")
    if not prev:
        return
    before = f"{prev['start']}_{prev['end']}"
    p_active = a.figure(f"{before}.active", prev["active"]["value"], "small_or_total")
    if prev["total_hours"] is not None:  # hours to one decimal: the minutes within three
        p_minutes = a.figure(f"{before}.minutes", None, "minutes")
        a.lp += p_minutes >= prev["total_hours"] * 60 - 3
        a.lp += p_minutes <= prev["total_hours"] * 60 + 3
    retained = a.figure(f"{period}.retained", prev["retained"]["value"], "small_or_total")
    left = a.figure(f"{period}.left", None, "derived")  # published nowhere: its bounds follow from retained
    a.lp += retained + left == p_active
    a.lp += retained <= active  # the retained are active now too
    if prev["retention"] is not None:  # a share to three decimals
        a.lp += retained >= (prev["retention"] - 0.0005) * p_active
        a.lp += retained <= (prev["retention"] + 0.0005) * p_active


def reach(a: Attacker, r: dict[str, Any]) -> None:
    """Head counts add up over months: every report's cell is the sum of its months' unknowns."""
    if not r.get("reach"):
        return
    months = _months(dt.date.fromisoformat(r["start"]), dt.date.fromisoformat(r["end"]))
    period = f"{r['start']}_{r['end']}"
    cells = []
    for c in r["reach"]["by_age_group"]:
        parts = [a.figure(f"reach.{m}.{c['key']}", None, "month") for m in months]
        cell = a.figure(f"{period}.reach.{c['key']}", c["people"], c.get("hidden", ""))
        a.lp += pulp.lpSum(parts) == cell
        cells.append(cell)
    total = a.figure(f"{period}.reach.total", r["reach"]["total"]["value"], "small_or_total")
    a.lp += pulp.lpSum(cells) == total


def _months(start: dt.date, end: dt.date) -> list[str]:
    out, day = [], start.replace(day=1)
    while day <= end:
        out.append(day.strftime("%Y-%m"))
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return out


@pytest.fixture
def generated(settings: Any, world: Any) -> Any:
    return run_db(settings, generate(world, seed=5))


@pytest.mark.parametrize(
    ("start", "end", "shift"),
    [
        ("2026-02-10", "2026-04-20", dt.timedelta(days=1)),
        ("2026-02-10", "2026-04-20", dt.timedelta(days=7)),
        ("2026-02-01", "2026-04-30", dt.timedelta(days=1)),  # across a month's end: a month more
        ("2026-02-01", "2026-04-30", dt.timedelta(days=7)),
        ("2026-02-01", "2026-04-30", "month"),
    ],
)
def test_overlapping_periods_give_no_hidden_cell_away(
    api: Any, generated: Any, start: str, end: str, shift: Any
) -> None:
    a0, b0 = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    if shift == "month":
        periods = [(a0, b0), (dt.date(2026, 3, 1), dt.date(2026, 5, 31))]
    else:
        periods = [(a0, b0), (a0 + shift, b0 + shift)]
    reports = []
    for a, b in periods:
        got = api("coordinator").get(f"/api/reports/impact?start={a}&end={b}&lang=en")
        assert got.status_code == 200, got.text
        reports.append(got.json())
    first, second = ({k: v for k, v in r.items() if k != "generated_at"} for r in reports)
    if (first["start"], first["end"]) == (second["start"], second["end"]):
        # Within the same whole months: the same report, nothing to difference.
        assert first == second
    attacker = attack(reports)
    assert any(kind == "small" for _, kind in attacker.vars.values())  # there was something to protect
    assert_protected(attacker)


def test_small_random_partnerships_keep_their_hidden_cells(api: Any, settings: Any, world: Any) -> None:
    """A small partnership (a dozen volunteers): most cells are small, and none is given away."""
    run_db(settings, generate(world, seed=random.Random(3).randint(0, 99), volunteers=12))
    got = api("coordinator").get("/api/reports/impact?start=2026-01-01&end=2026-06-30&lang=en")
    assert got.status_code == 200, got.text
    assert_protected(attack([got.json()]))


def _sparse_participants(world: Any) -> Any:
    """A few toddlers and young adults at one football session a month: small head counts to give away."""

    async def arrange(db: Any) -> None:
        counts = {2: {"0-6": 2}, 3: {"0-6": 7, "20-25": 1}, 4: {"0-6": 3, "20-25": 6}, 5: {"20-25": 2}}
        for month, groups in counts.items():
            first = dt.datetime(2026, month, 1, tzinfo=dt.UTC) + dt.timedelta(days=3)
            sid = await db.scalar(
                select(Session.id)
                .where(
                    Session.activity_id == world.activities["football"],
                    Session.status == SessionStatus.SCHEDULED,
                    Session.starts_at >= first,
                )
                .order_by(Session.starts_at)
                .limit(1)
            )
            for group, n in groups.items():
                db.add(SessionParticipants(session_id=sid, age_group=group, count=n))

    return arrange


def test_reach_across_nested_and_shifted_months_gives_no_hidden_cell_away(
    api: Any, settings: Any, world: Any, generated: Any
) -> None:
    """Head counts add up over months: one month's small count is the difference of two shown ones
    (February's 2 toddlers = February-March's 9 less March's 7) unless the suppression sees it."""
    run_db(settings, _sparse_participants(world))
    months = [(1, 1), (2, 2), (3, 3), (4, 4), (5, 5), (1, 2), (2, 3), (3, 4), (2, 4), (3, 5), (1, 4), (5, 8)]
    reports = []
    for a, b in months:
        end = (dt.date(2026, b, 1) + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        got = api("coordinator").get(f"/api/reports/impact?start=2026-{a:02d}-01&end={end}&lang=en")
        assert got.status_code == 200, got.text
        reports.append(got.json())
    attacker = attack(reports)
    hidden_reach = [n for n, (_, kind) in attacker.vars.items() if ".reach." in n and kind == "small"]
    assert hidden_reach  # there was a small head count to protect
    assert_protected(attacker)


def test_a_hidden_total_does_not_come_back_as_the_next_periods_previous(api: Any, settings: Any, world: Any) -> None:
    """Seven volunteers, one of them 17: the age table cannot hide the one without hiding the total. The next
    quarter's report shows the previous quarter beside it; it must not show that total (nor its hours)."""
    run_db(settings, generate(world, seed=4, volunteers=7))

    async def ages(db: Any) -> int:
        profiles = list((await db.scalars(select(VolunteerProfile).order_by(VolunteerProfile.created_at))).all())
        for i, v in enumerate(profiles):
            v.birth_date = dt.date(2008, 6, 1) if i == 0 else dt.date(1990, 1, 1)
        return len(profiles)

    run_db(settings, ages)
    reports = []
    for start, end in (("2026-01-01", "2026-03-31"), ("2026-04-01", "2026-06-30")):
        got = api("coordinator").get(f"/api/reports/impact?start={start}&end={end}&lang=en")
        assert got.status_code == 200, got.text
        reports.append(got.json())
    first, second = reports
    ages_shown = {c["key"]: c for c in first["hours"]["by_age_band"]}
    assert ages_shown["16-17"]["hidden"] == "small" and first["volunteers"]["active"]["suppressed"]
    assert second["previous"]["start"] == "2026-01-01"
    assert second["previous"]["active"]["suppressed"] and second["previous"]["total_hours"] is None
    # A quarter's total minutes are its months' hours added up, published by design (README: limits).
    assert_protected(attack(reports), known=tuple(f"{r['start']}_{r['end']}.minutes" for r in reports))
