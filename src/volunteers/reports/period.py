"""A report's period in the partnership's time zone: its UTC bounds, months and age bands."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, SQLColumnExpression, case, literal

from volunteers.db.models.base import UTC
from volunteers.errors import InvalidInput
from volunteers.reports.texts import AGE_BANDS

MAX_DAYS = 366 * 5
# The lower age of each band, oldest first, for the CASE that sorts birth dates into bands.
_BAND_FLOORS = ((65, "65+"), (50, "50-64"), (35, "35-49"), (25, "25-34"), (18, "18-24"), (16, "16-17"))


@dataclass(frozen=True)
class Period:
    """From `start` to `end`, both local dates included."""

    start: dt.date
    end: dt.date
    zone: ZoneInfo

    @classmethod
    def of(cls, start: dt.date, end: dt.date, zone: str) -> Period:
        if end < start:
            raise InvalidInput("end", "must not be before start")
        if (end - start).days > MAX_DAYS:
            raise InvalidInput("end", f"a report covers at most {MAX_DAYS} days")
        # Whole months: two reports a day or a week apart are the same report, so that
        # nobody can difference them to read off what one person did on the odd days.
        start = start.replace(day=1)
        end = (end.replace(day=1) + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        return cls(start, end, ZoneInfo(zone))

    def midnight(self, day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(0), tzinfo=self.zone).astimezone(dt.UTC)

    @property
    def lo(self) -> dt.datetime:
        return self.midnight(self.start)

    @property
    def hi(self) -> dt.datetime:
        """The first instant after the period."""
        return self.midnight(self.end + dt.timedelta(days=1))

    def months(self) -> list[tuple[str, dt.datetime, dt.datetime]]:
        """Each calendar month the period touches: its label and UTC bounds clipped to the period."""
        out = []
        first = self.start.replace(day=1)
        while first <= self.end:
            nxt = (first + dt.timedelta(days=32)).replace(day=1)
            lo = max(self.lo, self.midnight(first))
            hi = min(self.hi, self.midnight(nxt))
            out.append((first.strftime("%Y-%m"), lo, hi))
            first = nxt
        return out

    def month_of(self, at: SQLColumnExpression[dt.datetime]) -> ColumnElement[str]:
        """The local month (YYYY-MM) of a UTC time in the period, in SQL.

        A binary search written as nested CASEs: about six comparisons a row for three
        years, where joining a table of months costs one per month, and portable where
        time-zone functions are not (SQLite has none).
        """
        months = self.months()

        def tree(lo: int, hi: int) -> ColumnElement[str]:
            if hi - lo == 1:
                return literal(months[lo][0])
            mid = (lo + hi) // 2
            return case((at < literal(months[mid][1], UTC), tree(lo, mid)), else_=tree(mid, hi))

        return tree(0, len(months))


def years_before(day: dt.date, years: int) -> dt.date:
    """The same day `years` earlier (28 February for 29 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def age_band(birth_date: SQLColumnExpression[dt.date | None], on: dt.date) -> ColumnElement[str]:
    """The age band of a birth date on a day, in SQL (ages 13-15 are the youngest band)."""
    whens: list[tuple[ColumnElement[bool], str]] = [(birth_date.is_(None), "unknown")]
    whens += [(birth_date <= years_before(on, floor), band) for floor, band in _BAND_FLOORS]
    return case(*whens, else_=AGE_BANDS[0])
