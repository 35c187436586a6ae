"""Weekly availability rules plus dated exceptions, expanded into concrete UTC intervals.

Rules are in local wall-clock time, so a Tuesday 17:00-20:00 rule stays 17:00-20:00 in
Stockholm across the daylight-saving changes while its UTC offset moves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

Interval = tuple[dt.datetime, dt.datetime]


@dataclass(frozen=True)
class WeeklyRule:
    weekday: int  # 0 = Monday
    start: dt.time
    end: dt.time  # 00:00 means midnight at the end of the day
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None


@dataclass(frozen=True)
class DatedException:
    available: bool  # False: away; True: extra time available
    date_from: dt.date
    date_to: dt.date
    start: dt.time | None = None  # none: the whole day
    end: dt.time | None = None


def _local_span(day: dt.date, start: dt.time | None, end: dt.time | None, tz: ZoneInfo) -> Interval:
    begin = dt.datetime.combine(day, start or dt.time(0), tzinfo=tz)
    if end is None or end == dt.time(0):
        finish = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=tz)
    else:
        finish = dt.datetime.combine(day, end, tzinfo=tz)
    return begin.astimezone(dt.UTC), finish.astimezone(dt.UTC)


def merge(intervals: Iterable[Interval]) -> list[Interval]:
    """Sorted, with overlapping or touching intervals joined."""
    out: list[Interval] = []
    for s, e in sorted(intervals):
        if e <= s:
            continue
        if out and s <= out[-1][1]:
            if e > out[-1][1]:
                out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def subtract(intervals: Sequence[Interval], holes: Sequence[Interval]) -> list[Interval]:
    """`intervals` with every part inside a hole removed (both merged)."""
    result: list[Interval] = []
    holes = merge(holes)
    for s, e in merge(intervals):
        cur = s
        for hs, he in holes:
            if he <= cur or hs >= e:
                continue
            if hs > cur:
                result.append((cur, hs))
            cur = max(cur, he)
            if cur >= e:
                break
        if cur < e:
            result.append((cur, e))
    return result


def expand_availability(
    rules: Iterable[WeeklyRule],
    exceptions: Iterable[DatedException],
    start: dt.date,
    end: dt.date,
    tz: ZoneInfo | str,
) -> list[Interval]:
    """Concrete UTC intervals for local dates start..end (inclusive), exceptions applied."""
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    rules = list(rules)
    exceptions = list(exceptions)
    by_weekday: dict[int, list[WeeklyRule]] = {}
    for rule in rules:
        by_weekday.setdefault(rule.weekday, []).append(rule)
    spans: list[Interval] = []
    away: list[Interval] = []
    day = start
    while day <= end:
        for rule in by_weekday.get(day.weekday(), ()):
            if rule.valid_from and day < rule.valid_from:
                continue
            if rule.valid_until and day > rule.valid_until:
                continue
            spans.append(_local_span(day, rule.start, rule.end, zone))
        day += dt.timedelta(days=1)
    for exc in exceptions:
        d = max(exc.date_from, start)
        while d <= min(exc.date_to, end):
            (spans if exc.available else away).append(_local_span(d, exc.start, exc.end, zone))
            d += dt.timedelta(days=1)
    return subtract(spans, away)
