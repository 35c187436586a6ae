"""The impact report's volunteer, hour and session figures, each a GROUP BY in the database."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, and_, case, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from volunteers.db.models import (
    Activity,
    ActivityKind,
    Assignment,
    AssignmentEvent,
    AssignmentStatus,
    Attendance,
    Partner,
    Session,
    SessionStatus,
    StaffingNeed,
    TargetGroup,
    User,
    VolunteerProfile,
)
from volunteers.reports import schemas
from volunteers.reports.period import Period
from volunteers.reports.suppression import count, protect
from volunteers.reports.texts import AGE_BANDS, text

FILLED = (AssignmentStatus.ACCEPTED, AssignmentStatus.CONFIRMED, AssignmentStatus.COMPLETED, AssignmentStatus.NO_SHOW)


def hours(minutes: int | None) -> float | None:
    return None if minutes is None else round(minutes / 60, 1)


def cell(key: str, label: str, people: int, minutes: int | None = None) -> schemas.Cell:
    return schemas.Cell(key=key, label=label, people=people, minutes=minutes, hours=hours(minutes))


async def partner_names(db: AsyncSession, partnership_id: uuid.UUID) -> dict[str, str]:
    """Slug -> name of the partnership's partners, in name order."""
    rows = await db.execute(
        select(Partner.slug, Partner.name).where(Partner.partnership_id == partnership_id).order_by(Partner.name)
    )
    return {slug: name for slug, name in rows.all()}


def _attended(period: Period) -> list[ColumnElement[bool]]:
    """Attended, completed assignments that started in the period (the assignment's copy of its start)."""
    return [
        Assignment.status == AssignmentStatus.COMPLETED,
        Attendance.attended.is_(True),
        Assignment.starts_at >= period.lo,
        Assignment.starts_at < period.hi,
    ]


def _per_activity_and_volunteer(
    partnership_id: uuid.UUID, period: Period, by_session: bool = False
) -> Select[tuple[object, ...]]:
    """Verified minutes and first start per activity and volunteer, with what the breakdowns need.

    The grouping has no month in it: a volunteer's few activities give a few thousand rows
    for a city's three years (where activity, volunteer and month gave a hundred thousand),
    so the partner, kind, target-group and age breakdowns are counted from these rows in
    Python. The grouping runs over the period's attendance alone and only the grouped rows
    are kept to the partnership's activities (a join per grouped row, not per attendance).
    """
    summed = (
        select(
            Session.activity_id.label("activity_id"),
            Assignment.volunteer_id.label("volunteer_id"),
            func.sum(Attendance.minutes).label("minutes"),
            func.min(Assignment.starts_at).label("first_at"),
        )
        .select_from(Attendance)
        .join(Assignment, Assignment.id == Attendance.assignment_id)
        .join(Session, Session.id == Assignment.session_id)
        .where(*_attended(period))
        # `by_session`: the session's own start too (the assignment's is its copy), so a short
        # or empty period reads its own sessions' assignments, not all of them.
        .where(*((Session.starts_at >= period.lo, Session.starts_at < period.hi) if by_session else ()))
        .group_by(Session.activity_id, Assignment.volunteer_id)
        .subquery("summed")
    )
    return (
        select(
            Partner.slug,
            Activity.kind,
            Activity.target_group,
            summed.c.volunteer_id,
            VolunteerProfile.birth_date,
            summed.c.minutes,
            summed.c.first_at,
        )
        .select_from(summed)
        .join(Activity, Activity.id == summed.c.activity_id)
        .join(Partner, Partner.id == Activity.partner_id)
        .join(VolunteerProfile, VolunteerProfile.id == summed.c.volunteer_id)
        .where(Activity.partnership_id == partnership_id)
    )


def _per_month(partnership_id: uuid.UUID, period: Period) -> Select[tuple[str, Any]]:
    """Verified minutes per local month: summed per session first, so the month is worked out per session."""
    per_session = (
        select(Assignment.session_id.label("sid"), func.sum(Attendance.minutes).label("minutes"))
        .select_from(Attendance)
        .join(Assignment, Assignment.id == Attendance.assignment_id)
        .where(*_attended(period))
        .group_by(Assignment.session_id)
        .subquery("per_session")
    )
    month = period.month_of(Session.starts_at)
    return (
        select(month, func.sum(per_session.c.minutes))
        .select_from(per_session)
        .join(Session, Session.id == per_session.c.sid)
        .join(Activity, Activity.id == Session.activity_id)
        .where(Activity.partnership_id == partnership_id)
        .group_by(month)
    )


@dataclass
class _Person:
    """A volunteer's birth date, first attended start in the period and verified minutes."""

    born: dt.date | None
    first_at: dt.datetime
    minutes: int


def age_band_on(birth_date: dt.date | None, day: dt.date) -> str:
    """The age band of someone born on `birth_date`, on `day` (ages 13-15 are the youngest band)."""
    if birth_date is None:
        return "unknown"
    age = day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))
    for floor, band in ((65, "65+"), (50, "50-64"), (35, "35-49"), (25, "25-34"), (18, "18-24"), (16, "16-17")):
        if age >= floor:
            return band
    return AGE_BANDS[0]


def _people(
    rows: Sequence[Row[Any]], period: Period
) -> tuple[dict[str, dict[str, tuple[int, int]]], dict[uuid.UUID, _Person]]:
    """People and minutes by partner, kind, target group and age band, and each volunteer, from the grouped rows."""
    found: dict[str, dict[str, tuple[int, int]]] = defaultdict(dict)
    people: dict[str, dict[str, set[uuid.UUID]]] = {d: defaultdict(set) for d in ("partner", "kind", "target")}
    minutes_in: dict[str, dict[str, int]] = {d: defaultdict(int) for d in ("partner", "kind", "target")}
    each: dict[uuid.UUID, _Person] = {}
    for partner, kind, target, vid, born, minutes, first_at in rows:
        m = int(minutes)
        for dim, key in (("partner", partner), ("kind", kind), ("target", target)):
            k = str(getattr(key, "value", key))
            people[dim][k].add(vid)
            minutes_in[dim][k] += m
        at = _as_utc(first_at)
        person = each.setdefault(vid, _Person(born, at, 0))
        person.first_at = min(person.first_at, at)
        person.minutes += m
    for dim in people:
        found[dim] = {k: (len(v), minutes_in[dim][k]) for k, v in people[dim].items()}
    ages: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for person in each.values():
        agg = ages[age_band_on(person.born, person.first_at.astimezone(period.zone).date())]
        agg[0] += 1
        agg[1] += person.minutes
    found["age"] = {k: (n, m) for k, (n, m) in ages.items()}
    return found, each


def _tables(
    found: dict[str, dict[str, tuple[int, int]]], total_people: int, lang: str, partners: dict[str, str]
) -> tuple[schemas.Count, dict[str, list[schemas.Cell]], bool]:
    """The active count and its four breakdowns protected; whether the total (and total hours) must be hidden."""
    labels: dict[str, list[tuple[str, str]]] = {
        "partner": list(partners.items()),
        "kind": [(k.value, text(lang, k.value)) for k in ActivityKind],
        "target": [(t.value, text(lang, t.value)) for t in TargetGroup],
        "age": [(b, text(lang, b)) for b in AGE_BANDS],
    }
    active = count(total_people)
    total = None if active.suppressed else total_people
    hidden_total = active.suppressed
    cells: dict[str, list[schemas.Cell]] = {}
    for dim, keys in labels.items():
        # Ages add up to the total; a volunteer may work for several partners, kinds and groups.
        cells[dim], lost = protect(
            [cell(k, label, *found[dim].get(k, (0, 0))) for k, label in keys], total, additive=dim == "age"
        )
        hidden_total = hidden_total or lost
    return (schemas.Count(None, True) if hidden_total else active), cells, hidden_total


async def headline(
    db: AsyncSession, partnership_id: uuid.UUID, period: Period, lang: str, partners: dict[str, str]
) -> tuple[schemas.Count, int | None, set[uuid.UUID]]:
    """Active volunteers and verified minutes exactly as the period's own report shows them (hidden where it hides
    them), and who was active: for a report that shows another period's headline beside its own."""
    found, each = _people(
        (await db.execute(_per_activity_and_volunteer(partnership_id, period, by_session=True))).all(), period
    )
    active, _, hidden_total = _tables(found, len(each), lang, partners)
    return active, None if hidden_total else sum(p.minutes for p in each.values()), set(each)


async def hour_figures(
    db: AsyncSession,
    partnership_id: uuid.UUID,
    period: Period,
    lang: str,
    partners: dict[str, str],
    month_db: AsyncSession | None = None,
) -> tuple[schemas.Count, schemas.HourFigures, list[schemas.Cell], set[uuid.UUID]]:
    """Active volunteers, verified hours in total and by each dimension, active people by age band, and who.

    Two statements over the same grouped work. The first counts the partners, kinds, target
    groups and months; the second lists each volunteer once (their minutes, birth date and
    first session of the period), from which the total and the age bands are counted here:
    a volunteer's age band is their age on the date of their first session of the period,
    so that each volunteer is in one band and the bands add up to the total.
    """
    if month_db is None:
        rows = (await db.execute(_per_activity_and_volunteer(partnership_id, period))).all()
        month_rows = (await db.execute(_per_month(partnership_id, period))).all()
    else:  # the two large statements at once, each on its own connection (see build_report)
        people_result, month_result = await asyncio.gather(
            db.execute(_per_activity_and_volunteer(partnership_id, period)),
            month_db.execute(_per_month(partnership_id, period)),
        )
        rows, month_rows = people_result.all(), month_result.all()
    found, each = _people(rows, period)
    found["month"] = {str(m): (0, int(n)) for m, n in month_rows}
    total_people, total_minutes = len(each), sum(p.minutes for p in each.values())
    active, cells, hidden_total = _tables(found, total_people, lang, partners)
    # Months carry hours only, every month with work: the partnership's volume of activity,
    # the same figure in every report that covers the month (see the README's limits).
    months = [
        schemas.Cell(m, m, None, found["month"][m][1], hours(found["month"][m][1]))
        for m, _, _ in period.months()
        if m in found["month"]
    ]
    shown = None if hidden_total else total_minutes
    figures = schemas.HourFigures(
        total_minutes=shown,
        total_hours=hours(shown),
        by_partner=cells["partner"],
        by_activity_kind=cells["kind"],
        by_target_group=cells["target"],
        by_month=months,
        by_age_band=cells["age"],
    )
    by_age = [schemas.Cell(c.key, c.label, c.people, suppressed=c.suppressed, hidden=c.hidden) for c in cells["age"]]
    return active, figures, by_age, set(each)


def _as_utc(at: dt.datetime | str) -> dt.datetime:
    """A time read back from an aggregate (SQLite returns the stored text)."""
    if isinstance(at, str):
        at = dt.datetime.fromisoformat(at)
    return at if at.tzinfo else at.replace(tzinfo=dt.UTC)


async def new_volunteers(
    db: AsyncSession, partnership_id: uuid.UUID, period: Period, lang: str
) -> tuple[schemas.Count, list[schemas.Cell]]:
    """Registrations in the period (not anonymised since), in total and by age band on the day they registered."""
    rows = (
        await db.execute(
            select(VolunteerProfile.birth_date, VolunteerProfile.created_at)
            .join(User, User.id == VolunteerProfile.user_id)
            .where(
                VolunteerProfile.partnership_id == partnership_id,
                VolunteerProfile.created_at >= period.lo,
                VolunteerProfile.created_at < period.hi,
                User.anonymised_at.is_(None),
            )
        )
    ).all()
    by_band: dict[str, int] = defaultdict(int)
    for born, created in rows:
        by_band[age_band_on(born, _as_utc(created).astimezone(period.zone).date())] += 1
    total = count(len(rows))
    cells, lost = protect([cell(b, text(lang, b), by_band.get(b, 0)) for b in AGE_BANDS], total.value, additive=True)
    return (schemas.Count(None, True) if lost else total), cells


async def session_figures(
    db: AsyncSession, partnership_id: uuid.UUID, period: Period, now: dt.datetime, partners: dict[str, str]
) -> schemas.SessionFigures:
    """Sessions held (not cancelled, begun in the period and before now) and their fill rate, per partner.

    A session's needed places are its effective needs (a session's own need for a role
    replaces the activity's); its filled places are the assignments holding a place,
    counted at most up to what was needed.
    """
    held = (
        select(
            Session.id.label("sid"),
            Session.activity_id.label("activity_id"),
            Partner.slug.label("partner"),
        )
        .join(Activity, Activity.id == Session.activity_id)
        .join(Partner, Partner.id == Activity.partner_id)
        .where(
            Activity.partnership_id == partnership_id,
            Session.status == SessionStatus.SCHEDULED,
            Session.starts_at >= period.lo,
            Session.starts_at < min(period.hi, now),
        )
        .cte("held")
        .prefix_with("MATERIALIZED")
    )
    # Every session needs its activity's total, plus what its own needs add or take away.
    per_activity = (
        select(StaffingNeed.activity_id, func.sum(StaffingNeed.count).label("n"))
        .where(StaffingNeed.session_id.is_(None))
        .group_by(StaffingNeed.activity_id)
        .subquery("per_activity")
    )
    general = aliased(StaffingNeed)
    own = (
        select(
            StaffingNeed.session_id.label("sid"),
            func.sum(StaffingNeed.count - func.coalesce(general.count, 0)).label("n"),
        )
        .outerjoin(
            general,
            and_(
                general.activity_id == StaffingNeed.activity_id,
                general.session_id.is_(None),
                general.role == StaffingNeed.role,
            ),
        )
        .where(StaffingNeed.session_id.is_not(None))
        .group_by(StaffingNeed.session_id)
        .subquery("own")
    )
    # Filled: the volunteer had said yes by the session's start and has not withdrawn since
    # (one who then did not come still filled the place; hours count only who came). A
    # proposal nobody could answer in time, such as a hand assignment to a session already
    # over, fills nothing. Assignments carry their session's times: no join to count.
    said_yes_in_time = exists().where(
        AssignmentEvent.assignment_id == Assignment.id,
        AssignmentEvent.to_status == AssignmentStatus.ACCEPTED.value,
        AssignmentEvent.created_at <= Assignment.starts_at,
    )
    filled = (
        select(Assignment.session_id.label("sid"), func.count().label("n"))
        .where(
            Assignment.status.in_(FILLED),
            said_yes_in_time,
            Assignment.starts_at >= period.lo,
            Assignment.starts_at < min(period.hi, now),
        )
        .group_by(Assignment.session_id)
        .subquery("filled")
    )
    need_n = func.coalesce(per_activity.c.n, 0) + func.coalesce(own.c.n, 0)
    fill_n = func.coalesce(filled.c.n, 0)
    rows = (
        await db.execute(
            select(
                held.c.partner,
                func.count(),
                func.coalesce(func.sum(need_n), 0),
                func.coalesce(func.sum(case((fill_n > need_n, need_n), else_=fill_n)), 0),
            )
            .select_from(held)
            .outerjoin(per_activity, per_activity.c.activity_id == held.c.activity_id)
            .outerjoin(own, own.c.sid == held.c.sid)
            .outerjoin(filled, filled.c.sid == held.c.sid)
            .group_by(held.c.partner)
        )
    ).all()
    found = {str(p): (int(s), int(n), int(f)) for p, s, n, f in rows}
    by_partner = [
        schemas.FillCell(slug, name, s, n, f, _rate(f, n))
        for slug, name in partners.items()
        for s, n, f in [found.get(slug, (0, 0, 0))]
    ]
    held_n = sum(c.sessions for c in by_partner)
    need_total = sum(c.needed_slots for c in by_partner)
    fill_total = sum(c.filled_slots for c in by_partner)
    return schemas.SessionFigures(held_n, need_total, fill_total, _rate(fill_total, need_total), by_partner)


def _rate(filled: int, needed: int) -> float | None:
    return round(filled / needed, 3) if needed else None
