"""Reports for coordinators: who may read which partnership, and the impact report assembled."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from dataclasses import dataclass

import msgspec
from sqlalchemy import text as sql
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from volunteers.accounts.actor import Actor
from volunteers.db.models import Partnership
from volunteers.errors import Forbidden, InvalidInput, NotFound
from volunteers.reports import compare, goals, impact, outcomes, reach, schemas
from volunteers.reports.cache import report_cache
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
    return await report_cache.get_or_build(
        db, p.id, period, now, language, lambda: build_report(db, p, period, now, language)
    )


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
    db: AsyncSession, p: Partnership, period: Period, now: dt.datetime, lang: str, parallel: bool = True
) -> schemas.ImpactReport:
    """The report itself, for callers that have already decided who may read it (and benchmarks).

    The hour figures, the one large aggregate, run on the caller's session while the other
    figures run at the same time on a second connection of the same engine (unless the caller
    writes in this transaction: `parallel=False`, as SQLite's writer would lock the second out), so the report
    takes about as long as its largest query where the database has a second core free.
    The two connections read committed data; a write landing between their first reads
    could show in one part of the report and not yet in the other, as with any report
    assembled from several queries.
    """
    await _tune_for_aggregates(db)
    partners = await impact.partner_names(db, p.id)

    async def the_rest(other: AsyncSession) -> _Rest:
        new, new_by_age = await impact.new_volunteers(other, p.id, period, lang)
        return _Rest(
            new=new,
            new_by_age=new_by_age,
            sessions=await impact.session_figures(other, p.id, period, now, partners),
            unfilled_demand=await outcomes.unfilled_demand(other, p.id, period, lang),
            job_seekers=await outcomes.job_seeker_outcomes(other, p.id, period),
            follow_ups=await outcomes.follow_up_figures(other, p.id, period, lang),
            certificates=await outcomes.certificate_figures(other, p.id, period),
            learning=await outcomes.learning_figures(other, p.id, period),
            reach=await reach.children_reached(other, p.id, period, lang),
        )

    if parallel and isinstance(db.bind, AsyncEngine):
        # On SQLite (in process, each connection in its own thread) the monthly hours get a
        # third connection: 1.17 -> 0.79 s for three years of a city on a quiet 2-core machine.
        # On PostgreSQL a third large statement at once made it slower (0.67 -> 1.27 s).
        split_months = db.bind.dialect.name == "sqlite"
        async with AsyncSession(db.bind) as other, AsyncSession(db.bind) as third, asyncio.TaskGroup() as tasks:
            await _tune_for_aggregates(other)
            if split_months:
                await _tune_for_aggregates(third)
            month_db = third if split_months else None
            hours = tasks.create_task(impact.hour_figures(db, p.id, period, lang, partners, month_db=month_db))
            rest_task = tasks.create_task(the_rest(other))
        (active, hour_figures, active_by_age, who), rest = hours.result(), rest_task.result()
    else:  # a session bound to one connection: one query at a time
        active, hour_figures, active_by_age, who = await impact.hour_figures(db, p.id, period, lang, partners)
        rest = await the_rest(db)
    previous = await compare.comparison(db, p.id, period, now, who, lang, partners)
    hour_value = None
    if p.hour_value_sek is not None:
        minutes, rate = hour_figures.total_minutes, p.hour_value_sek
        hour_value = schemas.HourValue(rate, None if minutes is None else round(minutes * rate / 60))
    report = schemas.ImpactReport(
        partnership_id=p.id,
        partnership_name=p.name,
        start=period.start,
        end=period.end,
        generated_at=now,
        min_cell=MIN_CELL,
        volunteers=schemas.VolunteerFigures(active, rest.new, active_by_age, rest.new_by_age),
        hours=hour_figures,
        sessions=rest.sessions,
        unfilled_demand=rest.unfilled_demand,
        job_seekers=rest.job_seekers,
        follow_ups=rest.follow_ups,
        certificates=rest.certificates,
        learning=rest.learning,
        previous=previous,
        hour_value=hour_value,
        reach=rest.reach,
        notes=[text(lang, k) for k in ("suppression_note", "gender_note", "age_note", "seekers_note")],
    )
    targets = await goals.read_goals(db, p.id)
    return msgspec.structs.replace(report, goals=goals.results(report, targets, lang)) if targets else report


@dataclass(frozen=True)
class _Rest:
    """The figures computed beside the hour figures."""

    new: schemas.Count
    new_by_age: list[schemas.Cell]
    sessions: schemas.SessionFigures
    unfilled_demand: schemas.UnfilledDemand
    job_seekers: schemas.JobSeekerOutcomes
    follow_ups: schemas.FollowUpFigures
    certificates: schemas.CertificateFigures
    learning: schemas.LearningFigures
    reach: schemas.Reach
