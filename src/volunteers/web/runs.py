"""Coordinators' match runs: start one, watch it work, review it by session, publish it."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from litestar import MediaType, get, post
from litestar.response import Template
from sqlalchemy import select

from volunteers.accounts.middleware import coordinator_only
from volunteers.db.models import MatchRun
from volunteers.db.session import Db
from volunteers.errors import DomainError, NotFound
from volunteers.staffing import runs
from volunteers.staffing import schemas as staffing_schemas
from volunteers.web.choices import RUN_STATUSES
from volunteers.web.common import PageRequest, actor_of, language, now, page, parse_date, redirect, today, zone_of
from volunteers.web.errors import RULES, field_of, refusal_message
from volunteers.web.gaps import plan_grid, shortage_groups
from volunteers.web.i18n import N_, gettext

COORDINATORS = [coordinator_only]
REQUIRED = N_("Fill in this field.")
RUNNING = ("queued", "running")


def _partnership(request: PageRequest) -> uuid.UUID:
    actor = actor_of(request)
    ids = sorted(p for p in actor.partnership_ids if actor.is_coordinator(p))
    if not ids:
        raise NotFound("no partnership")
    return ids[0]


async def _runs_page(db: Db, request: PageRequest, values: dict[str, str] | None = None, errors: Any = None) -> Any:
    partnership_id = _partnership(request)
    rows = (
        await db.execute(
            select(MatchRun)
            .where(MatchRun.partnership_id == partnership_id)
            .order_by(MatchRun.created_at.desc())
            .limit(20)
        )
    ).scalars()
    day = today(request)
    monday = day + dt.timedelta(days=7 - day.weekday())
    return page(
        request,
        "coordinator/runs.html",
        status=422 if errors else 200,
        runs=[runs.run_out(r) for r in rows],
        statuses=RUN_STATUSES,
        values=values or {"start": monday.isoformat(), "end": (monday + dt.timedelta(days=6)).isoformat()},
        errors=errors or {},
    )


@get("/runs", guards=COORDINATORS, name="runs")
async def runs_page(db: Db, request: PageRequest) -> Template:
    return await _runs_page(db, request)  # type: ignore[no-any-return]


@post("/runs", guards=COORDINATORS, name="run-start", status_code=200)
async def run_start(db: Db, request: PageRequest) -> Any:
    """Queue a run for a period and start it in the background."""
    lang = language(request)
    form = await request.form()
    values = {k: (form.get(k) or "").strip() for k in ("start", "end")}
    errors: dict[str, str] = {}
    dates = {}
    for k in ("start", "end"):
        dates[k] = parse_date(values[k])
        if dates[k] is None:
            hint = N_("Write the date as year-month-day, for example 2026-12-07.")
            errors[k] = gettext(lang, REQUIRED if not values[k] else hint)
    start, end = dates["start"], dates["end"]
    if start is not None and end is not None:  # that is, no errors
        state = request.app.state
        data = staffing_schemas.RunCreate(partnership_id=_partnership(request), start=start, end=end)
        try:
            run = await runs.create_run(db, actor_of(request), data, state.settings.match_time_limit_seconds)
        except DomainError as exc:
            await db.rollback()
            errors[field_of(exc) or "_form"] = refusal_message(lang, exc)
        else:
            await db.commit()
            state.runner.schedule(run.id)
            return redirect(f"/runs/{run.id}")
    return await _runs_page(db, request, values, errors)


async def run_gaps(db: Db, request: PageRequest, review: staffing_schemas.RunReview) -> dict[str, Any]:
    """The review's opening: shortages grouped by reason, and the plan as a day-by-day grid."""
    return {
        "shortage_groups": await shortage_groups(db, review, language(request)),
        "plan_grid": plan_grid(review, zone_of(request)),
    }


def _context(review: staffing_schemas.RunReview, error: str = "") -> dict[str, Any]:
    short = [s for s in review.sessions if any(slot.missing for slot in s.slots)]
    return {
        "review": review,
        "run": review.run,
        "statuses": RUN_STATUSES,
        "rules": RULES,
        "short": len(short),
        "error": error,
    }


@get("/runs/{run_id:uuid}", guards=COORDINATORS, name="run")
async def run_page(run_id: uuid.UUID, db: Db, request: PageRequest) -> Template:
    """The run's progress; once done, its review by session and the changes to publish."""
    review = await runs.review(db, actor_of(request), run_id)
    return page(request, "coordinator/run.html", **_context(review), **await run_gaps(db, request, review))


@get("/runs/{run_id:uuid}/progress", guards=COORDINATORS, name="run-progress")
async def run_progress(run_id: uuid.UUID, db: Db, request: PageRequest) -> Template:
    """The HTMX fragment polled every 2 s; it stops polling once the run has finished."""
    review = await runs.review(db, actor_of(request), run_id)
    context = {**_context(review), **await run_gaps(db, request, review)}
    return Template(template_name="partials/run_progress.html", context=context, media_type=MediaType.HTML)


@post("/runs/{run_id:uuid}/publish", guards=COORDINATORS, name="run-publish", status_code=200)
async def run_publish(run_id: uuid.UUID, db: Db, request: PageRequest) -> Any:
    state = request.app.state
    try:
        await runs.publish(db, actor_of(request), run_id, now(request), state.settings.base_url)
    except DomainError as exc:
        await db.rollback()
        if exc.status in (403, 404):
            raise
        review = await runs.review(db, actor_of(request), run_id)
        message = gettext(
            language(request), N_("The plan is out of date: something changed since the run. Start a new run.")
        )
        return page(
            request,
            "coordinator/run.html",
            status=409,
            **_context(review, message),
            **await run_gaps(db, request, review),
        )
    return redirect(f"/runs/{run_id}", "published")


run_routes = [runs_page, run_start, run_page, run_progress, run_publish]
