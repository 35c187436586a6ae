"""Weekly rules <-> the hour cells of the availability editor.

The grid shows whole hours from 06 to 23, when nearly all activities run. Rules the grid
cannot show (dated ones, times outside the grid) are kept as they are when the grid is
saved, so editing the grid never silently drops them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from volunteers.people.schemas import WeeklyRuleIn

FIRST_HOUR = 6
LAST_HOUR = 23  # the grid's last cell is 22:00-23:00
HOURS = list(range(FIRST_HOUR, LAST_HOUR))
Cell = tuple[int, int]  # (weekday 0 = Monday, hour)


def _minutes(t: dt.time, is_end: bool = False) -> int:
    if is_end and t == dt.time(0):
        return 24 * 60
    return t.hour * 60 + t.minute


def _time(minutes: int) -> dt.time:
    return dt.time(0) if minutes >= 24 * 60 else dt.time(minutes // 60, minutes % 60)


@dataclass
class GridView:
    cells: set[Cell]
    kept: list[WeeklyRuleIn]  # rules the grid does not show; saved back unchanged
    rounded: bool  # some rule inside the grid's hours did not start or end on the hour


def grid_from_rules(rules: Iterable[WeeklyRuleIn]) -> GridView:
    cells: set[Cell] = set()
    kept: list[WeeklyRuleIn] = []
    rounded = False
    lo, hi = FIRST_HOUR * 60, LAST_HOUR * 60
    for rule in rules:
        if rule.valid_from or rule.valid_until:
            kept.append(rule)
            continue
        start, end = _minutes(rule.start_time), _minutes(rule.end_time, is_end=True)
        if start < lo:
            kept.append(WeeklyRuleIn(rule.weekday, _time(start), _time(min(end, lo))))
        if end > hi:
            kept.append(WeeklyRuleIn(rule.weekday, _time(max(start, hi)), _time(end)))
        inner_start, inner_end = max(start, lo), min(end, hi)
        if inner_start >= inner_end:
            continue
        if inner_start % 60 or inner_end % 60:
            rounded = True
        for hour in HOURS:
            if inner_start <= hour * 60 and (hour + 1) * 60 <= inner_end:
                cells.add((rule.weekday, hour))
    return GridView(cells, kept, rounded)


def parse_cells(values: Iterable[str]) -> set[Cell]:
    """Cells from the form's `slot` values ("weekday-hour"); anything else is ignored."""
    cells: set[Cell] = set()
    for value in values:
        day, _, hour = value.partition("-")
        if day.isdigit() and hour.isdigit() and 0 <= int(day) <= 6 and int(hour) in HOURS:
            cells.add((int(day), int(hour)))
    return cells


def rules_from_grid(cells: set[Cell], kept: Iterable[WeeklyRuleIn]) -> list[WeeklyRuleIn]:
    """One rule per run of consecutive hours on a weekday, plus the kept rules."""
    rules: list[WeeklyRuleIn] = []
    for weekday in range(7):
        run_start: int | None = None
        for hour in [*HOURS, LAST_HOUR]:
            on = (weekday, hour) in cells
            if on and run_start is None:
                run_start = hour
            elif not on and run_start is not None:
                rules.append(WeeklyRuleIn(weekday, dt.time(run_start), _time(hour * 60)))
                run_start = None
    return sorted([*rules, *kept], key=lambda r: (r.weekday, r.start_time))
