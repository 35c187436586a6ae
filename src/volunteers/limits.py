"""The limits on everything a user can send, in one place.

Every schema takes its text, list and date types from here, so the OpenAPI document
states each limit, SQLite (which stores text of any length) and PostgreSQL (which
refuses a NUL byte and text longer than its column) see the same values, and one
volunteer's huge or odd input is a 4xx for them instead of a stall or a 500 for others.

- Single-line text (names, places, roles, phones) refuses every control character:
  a tab or a line break in a name breaks a mail header or a certificate's layout.
- Multi-line text (descriptions, notes, comments) allows tab, CR and LF only.
- NUL is refused in every string, by these patterns and by `input_guard` for the
  fields and routes (form posts, paths, query strings) that do not use them.
- Dates a user gives lie within 2000-01-01 .. 2100-12-31 (birth dates from 1900).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, TypeVar

import msgspec

S = TypeVar("S", bound=msgspec.Struct)

# Control characters: C0, DEL, C1 and the Unicode line and paragraph separators.
SINGLE_LINE = r"^[^\x00-\x1f\x7f-\x9f\u2028\u2029]*$"
MULTI_LINE = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]*$"

FIRST_DAY = dt.date(2000, 1, 1)
LAST_DAY = dt.date(2100, 12, 31)
FIRST_BIRTH_DAY = dt.date(1900, 1, 1)

MAX_RULES = 100  # weekly availability rules: far more than a week has evenings
MAX_EXCEPTIONS = 400  # dated exceptions: more than a day a year for a year
MAX_LIST = 100  # skills, languages, tasks, learning goals, ids in a request
MAX_OFFSET = 1_000_000  # no list the service keeps is this long; < 2^31 for PostgreSQL
MAX_EXPANDED_DAYS = 366  # a year of expanded availability at a time
MAX_BODY_BYTES = 1_048_576  # a request body; the largest allowed availability is ~80 kB


def _line(max_length: int, min_length: int = 0) -> msgspec.Meta:
    return msgspec.Meta(min_length=min_length, max_length=max_length, pattern=SINGLE_LINE)


def _text(max_length: int) -> msgspec.Meta:
    return msgspec.Meta(max_length=max_length, pattern=MULTI_LINE)


# Written out, not made by a function, so that type checkers see plain `str`.
Name = Annotated[str, _line(100, 1)]
Line40 = Annotated[str, _line(40)]
Line64 = Annotated[str, _line(64)]
Line80 = Annotated[str, _line(80)]
Line100 = Annotated[str, _line(100)]
Line200 = Annotated[str, _line(200)]
Line320 = Annotated[str, _line(320)]
RequiredLine40 = Annotated[str, _line(40, 1)]
RequiredLine64 = Annotated[str, _line(64, 1)]
RequiredLine80 = Annotated[str, _line(80, 1)]
RequiredLine200 = Annotated[str, _line(200, 1)]
RequiredLine500 = Annotated[str, _line(500, 1)]
Text200 = Annotated[str, _text(200)]
Text500 = Annotated[str, _text(500)]
Text1000 = Annotated[str, _text(1000)]
Text2000 = Annotated[str, _text(2000)]
Text4000 = Annotated[str, _text(4000)]
# A time of day on the partnership's clock: "18:00:00", never with an offset (an aware
# time cannot be compared with the stored ones: a 500 before this type).
ClockTime = Annotated[dt.time, msgspec.Meta(tz=False)]
Secret = Annotated[str, msgspec.Meta(max_length=256, pattern=r"^[^\x00]*$")]  # a password: anything but NUL


def outside(value: dt.date | dt.datetime, first: dt.date = FIRST_DAY) -> bool:
    """True when the date (or the date of the time) lies outside the accepted range."""
    day = value.date() if isinstance(value, dt.datetime) else value
    return not first <= day <= LAST_DAY


def check_dates(struct: msgspec.Struct, *, earliest: dict[str, dt.date] | None = None) -> None:
    """Refuse any date or time field of the struct outside 2000..2100 (for __post_init__).

    msgspec turns the ValueError into a 400 that names the struct's path; the message
    names the field.
    """
    for name in struct.__struct_fields__:
        value = getattr(struct, name)
        if isinstance(value, dt.date) and outside(value, (earliest or {}).get(name, FIRST_DAY)):
            first = (earliest or {}).get(name, FIRST_DAY)
            raise ValueError(f"{name}: must lie between {first.isoformat()} and {LAST_DAY.isoformat()}")


def check_day(field: str, value: dt.date | dt.datetime | None) -> None:
    """Refuse a date or time given in a query or path outside 2000..2100 (a 422 naming the field)."""
    from volunteers.errors import InvalidInput

    if value is not None and outside(value):
        raise InvalidInput(field, f"must lie between {FIRST_DAY.isoformat()} and {LAST_DAY.isoformat()}")


def clean_line(value: str) -> str:
    """Text for one line (a mail subject, a certificate's name): control characters become spaces.

    For values stored before the limits existed; new input never has them.
    """
    import re

    return re.sub(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+", " ", value).strip()


def checked(value: S) -> S:
    """The struct checked against its own limits (lengths, patterns, dates).

    msgspec checks them when it decodes a request; a struct built in code (from a web
    form) is not checked, so the pages pass what they build through here.
    """
    from volunteers.errors import InvalidInput

    try:
        return msgspec.convert(msgspec.to_builtins(value), type(value))
    except msgspec.ValidationError as exc:
        message, _, where = str(exc).rpartition(" - at `$")
        field = where.rstrip("`").lstrip(".") or "body"
        raise InvalidInput(field, message or str(exc)) from None
