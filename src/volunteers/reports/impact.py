"""The impact report's volunteer, hour and session figures, each a GROUP BY in the database."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict

from sqlalchemy import CTE, Select, and_, case, func, literal, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from volunteers.db.models import (
    Activity,
    ActivityKind,
    Assignment,
    AssignmentStatus,
    Attendance,
    Partner,
    Session,
    SessionStatus,
    StaffingNeed,
    TargetGroup,
    VolunteerProfile,
)
from volunteers.reports import schemas
from volunteers.reports.period import Period, age_band
from volunteers.reports.suppression import count, suppress
from volunteers.reports.texts import AGE_BANDS, text

HOLDING = [s for s in AssignmentStatus if s.holds_slot]
# The breakdowns of verified hours, in the order the report shows them.
DIMENSIONS = ("partner", "kind", "target", "month", "age")


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


def _work(partnership_id: uuid.UUID, period: Period) -> CTE:
    """Verified minutes per month, activity and volunteer of the partnership in the period.

    The grouping runs over the assignments of the period alone, with no join to filter
    by partnership first: SQLite then scans the assignments instead of walking from each
    activity to its sessions and their assignments, which costs several index lookups a
    row. The grouped rows (far fewer) are then kept to the partnership's activities. The
    month comes first in the GROUP BY so that SQLite sorts once rather than walking the
    assignments in volunteer order to spare part of that sort.
    """
    rows = (
        select(
            period.month_of(Assignment.starts_at).label("month"),
            Session.activity_id.label("activity_id"),
            Assignment.volunteer_id.label("volunteer_id"),
            Attendance.minutes.label("minutes"),
        )
        .select_from(Attendance)
        .join(Assignment, Assignment.id == Attendance.assignment_id)
        .join(Session, Session.id == Assignment.session_id)
        .where(
            Assignment.status == AssignmentStatus.COMPLETED,
            Attendance.attended.is_(True),
            # The assignment's copy of its session's start: the filter needs no join.
            Assignment.starts_at >= period.lo,
            Assignment.starts_at < period.hi,
        )
        .subquery("rows")
    )
    keys = [rows.c.month, rows.c.activity_id, rows.c.volunteer_id]
    summed = (
        select(*keys, func.sum(rows.c.minutes).label("minutes"))
        .group_by(*keys)
        .cte("summed")
        .prefix_with("MATERIALIZED")
    )
    return (
        select(summed)
        .join(Activity, Activity.id == summed.c.activity_id)
        .where(Activity.partnership_id == partnership_id)
        .cte("work")
        .prefix_with("MATERIALIZED")
    )


async def hour_figures(
    db: AsyncSession, partnership_id: uuid.UUID, period: Period, lang: str, partners: dict[str, str]
) -> tuple[schemas.Count, schemas.HourFigures, list[schemas.Cell]]:
    """Active volunteers, verified hours in total and by each dimension, and active people by age band.

    One statement. The months are counted from the work per month, activity and
    volunteer; the partners, kinds and target groups from its sum per volunteer and
    activity (a few thousand rows), and the total and age bands from its sum per
    volunteer, so that each breakdown counts its people over as few rows as it can.
    """
    work = _work(partnership_id, period)
    per_activity = (
        select(work.c.volunteer_id, work.c.activity_id, func.sum(work.c.minutes).label("minutes"))
        .group_by(work.c.activity_id, work.c.volunteer_id)
        .subquery("per_activity")
    )
    by_activity = (
        select(
            per_activity.c.volunteer_id,
            per_activity.c.minutes,
            Partner.slug.label("partner"),
            Activity.kind.label("kind"),
            Activity.target_group.label("target"),
        )
        .join(Activity, Activity.id == per_activity.c.activity_id)
        .join(Partner, Partner.id == Activity.partner_id)
        .cte("by_activity")
        .prefix_with("MATERIALIZED")
    )
    by_volunteer = (
        select(
            VolunteerProfile.id.label("volunteer_id"),
            func.sum(by_activity.c.minutes).label("minutes"),
            age_band(VolunteerProfile.birth_date, period.end).label("age"),
        )
        .join(VolunteerProfile, VolunteerProfile.id == by_activity.c.volunteer_id)
        .group_by(VolunteerProfile.id)
        .cte("by_volunteer")
        .prefix_with("MATERIALIZED")
    )

    def breakdown(dim: str, source: CTE, distinct: bool) -> Select[tuple[object, ...]]:
        people = func.count(source.c.volunteer_id.distinct()) if distinct else func.count()
        minutes = func.coalesce(func.sum(source.c.minutes), 0)
        if dim == "total":
            return select(literal("total").label("dim"), literal("all").label("key"), people, minutes)
        return select(literal(dim), source.c[dim], people, minutes).group_by(source.c[dim])

    parts = [
        breakdown("total", by_volunteer, distinct=False),
        breakdown("partner", by_activity, distinct=True),
        breakdown("kind", by_activity, distinct=True),
        breakdown("target", by_activity, distinct=True),
        breakdown("month", work, distinct=True),
        breakdown("age", by_volunteer, distinct=False),
    ]
    rows = (await db.execute(union_all(*parts))).all()
    found: dict[str, dict[str, tuple[int, int]]] = defaultdict(dict)
    for dim, key, n, m in rows:
        found[dim][str(key)] = (int(n), int(m))
    total_people, total_minutes = found["total"].get("all", (0, 0))
    labels: dict[str, list[tuple[str, str]]] = {
        "partner": list(partners.items()),
        "kind": [(k.value, text(lang, k.value)) for k in ActivityKind],
        "target": [(t.value, text(lang, t.value)) for t in TargetGroup],
        "month": [(m, m) for m, _, _ in period.months()],
        "age": [(b, text(lang, b)) for b in AGE_BANDS],
    }
    cells = {
        dim: suppress([cell(k, label, *found[dim].get(k, (0, 0))) for k, label in labels[dim]]) for dim in DIMENSIONS
    }
    active = count(total_people)
    shown = total_minutes if not active.suppressed else None
    figures = schemas.HourFigures(
        total_minutes=shown,
        total_hours=hours(shown),
        by_partner=cells["partner"],
        by_activity_kind=cells["kind"],
        by_target_group=cells["target"],
        by_month=cells["month"],
        by_age_band=cells["age"],
    )
    by_age = [schemas.Cell(c.key, c.label, c.people, suppressed=c.suppressed) for c in cells["age"]]
    return active, figures, by_age


async def new_volunteers(
    db: AsyncSession, partnership_id: uuid.UUID, period: Period, lang: str
) -> tuple[schemas.Count, list[schemas.Cell]]:
    """Volunteers who registered in the period, in total and by age band."""
    band = age_band(VolunteerProfile.birth_date, period.end).label("band")
    rows = (
        await db.execute(
            select(band, func.count())
            .where(
                VolunteerProfile.partnership_id == partnership_id,
                VolunteerProfile.created_at >= period.lo,
                VolunteerProfile.created_at < period.hi,
            )
            .group_by(band)
        )
    ).all()
    by_band = {str(b): int(n) for b, n in rows}
    cells = suppress([cell(b, text(lang, b), by_band.get(b, 0)) for b in AGE_BANDS])
    return count(sum(by_band.values())), cells


async def session_figures(
    db: AsyncSession, partnership_id: uuid.UUID, period: Period, now: dt.datetime, partners: dict[str, str]
) -> schemas.SessionFigures:
    """Sessions held (scheduled and begun in the period) and their fill rate, per partner.

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
    # Assignments carry their session's times, so the filled places need no join to count.
    filled = (
        select(Assignment.session_id.label("sid"), func.count().label("n"))
        .where(
            Assignment.status.in_(HOLDING),
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
