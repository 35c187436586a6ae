"""Reports for coordinators: who may read which partnership, and the impact report assembled."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import text as sql
from sqlalchemy.ext.asyncio import AsyncSession

from volunteers.accounts.actor import Actor
from volunteers.db.models import Partnership
from volunteers.errors import Forbidden, InvalidInput, NotFound
from volunteers.reports import impact, outcomes, schemas
from volunteers.reports.period import Period
from volunteers.reports.suppression import MIN_CELL
from volunteers.reports.texts import lang_of, text


async def coordinated_partnership(db: AsyncSession, actor: Actor, partnership_id: uuid.UUID | None) -> Partnership:
    """The partnership the caller coordinates (the only one, when none is named)."""
    if partnership_id is None:
        mine = actor.coordinated_partnerships
        if len(mine) != 1:
            raise InvalidInput("partnership_id", "name the partnership: you coordinate more than one")
        partnership_id = next(iter(mine))
    p = await db.get(Partnership, partnership_id)
    if p is None or partnership_id not in actor.partnership_ids:
        raise NotFound(f"partnership {partnership_id} not found")
    if not actor.is_coordinator(partnership_id):
        raise Forbidden("only the partnership's coordinators read its reports")
    return p


def default_period(
    p: Partnership, start: dt.date | None, end: dt.date | None, today: dt.date
) -> tuple[dt.date, dt.date]:
    """The partnership's own dates, up to today, where the caller names none."""
    end = end or min(p.ends_on or today, today)
    start = start or p.starts_on or end.replace(month=1, day=1)
    return start, end


async def impact_report(
    db: AsyncSession,
    actor: Actor,
    partnership_id: uuid.UUID | None,
    start: dt.date | None,
    end: dt.date | None,
    now: dt.datetime,
    lang: str | None = None,
) -> schemas.ImpactReport:
    """The partnership's figures for the period, with small cells suppressed."""
    p = await coordinated_partnership(db, actor, partnership_id)
    language = lang_of(lang or actor.locale)
    start, end = default_period(p, start, end, now.date())
    period = Period.of(start, end, p.timezone)
    return await build_report(db, p, period, now, language)


async def _tune_for_aggregates(db: AsyncSession) -> None:
    """On PostgreSQL, settings for this transaction's few large aggregates.

    JIT compilation costs more (about 0.1 s a statement) than it saves on queries that run
    for a fraction of a second, and the default 4 MB of work memory sends the grouping
    of a city's three years of attendance to sorts on disk instead of hash tables.
    `SET LOCAL` ends with the request's transaction.
    """
    if db.get_bind().dialect.name == "postgresql":
        await db.execute(sql("SET LOCAL jit = off"))
        await db.execute(sql("SET LOCAL work_mem = '64MB'"))


async def build_report(
    db: AsyncSession, p: Partnership, period: Period, now: dt.datetime, lang: str
) -> schemas.ImpactReport:
    """The report itself, for callers that have already decided who may read it (and benchmarks)."""
    await _tune_for_aggregates(db)
    partners = await impact.partner_names(db, p.id)
    active, hour_figures, active_by_age = await impact.hour_figures(db, p.id, period, lang, partners)
    new, new_by_age = await impact.new_volunteers(db, p.id, period, lang)
    return schemas.ImpactReport(
        partnership_id=p.id,
        partnership_name=p.name,
        start=period.start,
        end=period.end,
        generated_at=now,
        min_cell=MIN_CELL,
        volunteers=schemas.VolunteerFigures(active, new, active_by_age, new_by_age),
        hours=hour_figures,
        sessions=await impact.session_figures(db, p.id, period, now, partners),
        unfilled_demand=await outcomes.unfilled_demand(db, p.id, period),
        job_seekers=await outcomes.job_seeker_outcomes(db, p.id, period),
        follow_ups=await outcomes.follow_up_figures(db, p.id, period, lang),
        certificates=await outcomes.certificate_figures(db, p.id, period),
        notes=[text(lang, k) for k in ("suppression_note", "gender_note", "age_note", "seekers_note")],
    )
