"""Coordinators' pages: find volunteers, read and record background checks (audited)."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import MediaType, get, post
from litestar.params import Parameter
from litestar.response import Template

from volunteers.accounts.middleware import coordinator_only
from volunteers.db.session import AUDITED_READ, Db
from volunteers.errors import DomainError
from volunteers.experience import record
from volunteers.limits import MAX_OFFSET
from volunteers.people import schemas, services
from volunteers.web.choices import ACTIVITY_KINDS
from volunteers.web.common import PageRequest, actor_of, language, now, page, parse_date, redirect, today
from volunteers.web.errors import field_of, is_htmx, refusal_message
from volunteers.web.gaps import checks_running_out
from volunteers.web.i18n import N_, gettext
from volunteers.web.volunteer import catalogue

COORDINATORS = [coordinator_only]
PAGE_SIZE = 50


@get("/volunteers", guards=COORDINATORS, name="volunteers")
async def volunteers_page(
    db: Db,
    request: PageRequest,
    q: str | None = Parameter(default=None, max_length=100),
    offset: int = Parameter(default=0, ge=0, le=MAX_OFFSET),
) -> Template:
    """Search by name or e-mail; HTMX asks for the result list alone as you type."""
    items, total = await services.list_volunteers(
        db, actor_of(request), None, (q or "").strip() or None, None, None, PAGE_SIZE, offset
    )
    context: dict[str, Any] = {
        "volunteers": items,
        "total": total,
        "q": q or "",
        "offset": offset,
        "page_size": PAGE_SIZE,
    }
    if is_htmx(request) and request.headers.get("hx-target") == "volunteer-results":
        return Template(template_name="partials/volunteer_results.html", context=context, media_type=MediaType.HTML)
    context["checks_running_out"] = await checks_running_out(db, actor_of(request), now(request))
    return page(request, "coordinator/volunteers.html", **context)


async def _volunteer_page(
    db: Db,
    request: PageRequest,
    volunteer_id: uuid.UUID,
    errors: dict[str, str] | None = None,
    seen_on: str = "",
    cert_error: str = "",
    revoke_errors: dict[str, str] | None = None,
    release: dict[str, Any] | None = None,
    correct_errors: dict[str, str] | None = None,
) -> Template:
    from volunteers.web.certificates import certificate_context

    actor = actor_of(request)
    profile = await services.get_profile(db, actor, volunteer_id)
    checks = await services.list_background_checks(db, actor, volunteer_id)  # audited read
    skills = await catalogue(db)
    day = today(request)
    # The learning goals from the volunteer's own experience record: the same status they see.
    exp = await record.experience(db, actor, volunteer_id, now(request))
    return page(
        request,
        "coordinator/volunteer.html",
        status=422 if errors or revoke_errors or correct_errors else 409 if cert_error or release else 200,
        **await certificate_context(db, request, volunteer_id),
        cert_error=cert_error,
        revoke_errors=revoke_errors or {},
        release=release,
        correct_errors=correct_errors or {},
        profile=profile,
        goals=exp.learning_goals,
        checks=checks,
        valid_now=any(c.valid_until >= day for c in checks),
        skills=skills,
        kinds=ACTIVITY_KINDS,
        errors=errors or {},
        seen_on=seen_on or day.isoformat(),
        today=day,
    )


async def volunteer_page_with(db: Db, request: PageRequest, volunteer_id: uuid.UUID, **kw: Any) -> Template:
    """The volunteer page with a refusal from the certificate or correction forms, or a release preview."""
    return await _volunteer_page(db, request, volunteer_id, **kw)


@get("/volunteers/{volunteer_id:uuid}", guards=COORDINATORS, name="volunteer", opt={AUDITED_READ: True})
async def volunteer_page(volunteer_id: uuid.UUID, db: Db, request: PageRequest) -> Template:
    return await _volunteer_page(db, request, volunteer_id)


@post("/volunteers/{volunteer_id:uuid}/background-checks", guards=COORDINATORS, name="check-add", status_code=200)
async def check_add(volunteer_id: uuid.UUID, db: Db, request: PageRequest) -> Any:
    """Record the date an extract from the police record was seen; never a copy of it."""
    lang = language(request)
    form = await request.form()
    raw = (form.get("seen_on") or "").strip()
    seen_on = parse_date(raw)
    errors: dict[str, str] = {}
    if seen_on is None:
        message = (
            N_("Fill in this field.") if not raw else N_("Write the date as year-month-day, for example 2026-11-20.")
        )
        errors["seen_on"] = gettext(lang, message)
    else:
        try:
            await services.record_background_check(
                db, actor_of(request), volunteer_id, schemas.BackgroundCheckIn(seen_on=seen_on), today(request)
            )
        except DomainError as exc:
            await db.rollback()
            if exc.status in (403, 404):
                raise
            errors[field_of(exc) or "_form"] = refusal_message(lang, exc)
        else:
            return redirect(f"/volunteers/{volunteer_id}", "check_recorded")
    return await _volunteer_page(db, request, volunteer_id, errors, raw)


coordinator_routes = [volunteers_page, volunteer_page, check_add]
