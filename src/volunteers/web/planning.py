"""Leaders plan: create an activity, add one session or a weekly series, cancel a session."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import msgspec
from litestar import get, post
from litestar.response import Template
from sqlalchemy import or_, select

from volunteers import limits
from volunteers.accounts.actor import Actor
from volunteers.accounts.middleware import staff_only
from volunteers.activities import schemas, services
from volunteers.db.models import Partner
from volunteers.db.session import Db
from volunteers.errors import DomainError, Forbidden
from volunteers.web.choices import ACTIVITY_KINDS, TARGET_GROUPS
from volunteers.web.common import (
    PageRequest,
    actor_of,
    language,
    now,
    page,
    parse_date,
    parse_int,
    parse_time,
    redirect,
    today,
)
from volunteers.web.errors import field_of, refusal_message
from volunteers.web.i18n import N_, gettext

STAFF = [staff_only]
REQUIRED = N_("Fill in this field.")
BAD_DATE = N_("Write the date as year-month-day, for example 2026-11-20.")
BAD_TIME = N_("Write the time as hours:minutes, for example 17:30.")
ACTIVITY_FIELDS = ("partner_id", "name", "kind", "target_group", "place", "description", "name_sv", "name_en")
SESSION_FIELDS = ("mode", "date", "start_time", "end_time", "weekday", "first_date", "last_date", "every_weeks", "note")


async def _partners(db: Db, actor: Actor) -> list[Partner]:
    """The partners this caller may create activities for."""
    rows = await db.execute(
        select(Partner)
        .where(or_(Partner.partnership_id.in_(actor.coordinated_partnerships), Partner.id.in_(actor.led_partners)))
        .order_by(Partner.name)
    )
    return list(rows.scalars().all())


# --- a new activity ------------------------------------------------------------------


async def _activity_form(
    db: Db, request: PageRequest, values: dict[str, str] | None = None, errors: dict[str, str] | None = None
) -> Template:
    partners = await _partners(db, actor_of(request))
    values = values or {k: "" for k in ACTIVITY_FIELDS}
    if not values["partner_id"] and len(partners) == 1:
        values["partner_id"] = str(partners[0].id)
    return page(
        request,
        "leader/activity_new.html",
        status=422 if errors else 200,
        partners=partners,
        values=values,
        errors=errors or {},
        kinds=ACTIVITY_KINDS,
        groups=TARGET_GROUPS,
    )


@get("/activities/new", guards=STAFF, name="activity-new")
async def activity_new(db: Db, request: PageRequest) -> Template:
    return await _activity_form(db, request)


@post("/activities/new", guards=STAFF, name="activity-create", status_code=200)
async def activity_create(db: Db, request: PageRequest) -> Any:
    """Create the activity through the activities service, then go on to its sessions."""
    lang = language(request)
    form = await request.form()
    values = {k: (form.get(k) or "").strip() for k in ACTIVITY_FIELDS}
    if not values["partner_id"]:
        partners = await _partners(db, actor_of(request))
        values["partner_id"] = str(partners[0].id) if len(partners) == 1 else ""
    errors = {k: gettext(lang, REQUIRED) for k in ("partner_id", "name", "kind", "target_group") if not values[k]}
    if values["kind"] and values["kind"] not in ACTIVITY_KINDS:
        errors["kind"] = gettext(lang, N_("Check this value."))
    if values["target_group"] and values["target_group"] not in TARGET_GROUPS:
        errors["target_group"] = gettext(lang, N_("Check this value."))
    if not errors:
        try:
            data = msgspec.convert(values, schemas.ActivityCreate)
        except msgspec.ValidationError as exc:
            field = str(exc).rpartition("$.")[2].split("[")[0] or "_form"
            errors[field if field in values else "_form"] = gettext(lang, N_("Check this value."))
        else:
            try:
                activity = await services.create_activity(db, actor_of(request), data)
            except DomainError as exc:
                await db.rollback()
                errors[field_of(exc) or "_form"] = refusal_message(lang, exc)
            else:
                return redirect(f"/activities/{activity.id}/sessions/new", "activity_created")
    return await _activity_form(db, request, values, errors)


# --- sessions ------------------------------------------------------------------------


def _blank_sessions(day: dt.date) -> dict[str, str]:
    return {
        "mode": "weekly",
        "date": "",
        "start_time": "17:00",
        "end_time": "18:30",
        "weekday": str(day.weekday()),
        "first_date": day.isoformat(),
        "last_date": "",
        "every_weeks": "1",
        "note": "",
    }


async def _sessions_form(
    db: Db,
    request: PageRequest,
    activity_id: uuid.UUID,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
) -> Template:
    actor = actor_of(request)
    activity = await services.get_activity(db, actor, activity_id)
    if not actor.can_manage_partner(activity.partnership_id, activity.partner_id):
        raise Forbidden("only the partner's leaders and coordinators add sessions")
    return page(
        request,
        "leader/sessions_new.html",
        status=422 if errors else 200,
        activity=activity,
        values=values or _blank_sessions(today(request)),
        errors=errors or {},
        weekdays=range(7),
    )


@get("/activities/{activity_id:uuid}/sessions/new", guards=STAFF, name="sessions-new")
async def sessions_new(activity_id: uuid.UUID, db: Db, request: PageRequest) -> Template:
    return await _sessions_form(db, request, activity_id)


def _read_sessions(values: dict[str, str], lang: str) -> tuple[schemas.SessionCreate | None, dict[str, str]]:
    """The form as the service's SessionCreate, or the fields to correct."""
    errors: dict[str, str] = {}

    def need(name: str, parse: Any, bad: str) -> Any:
        if not values[name]:
            errors[name] = gettext(lang, REQUIRED)
            return None
        parsed = parse(values[name])
        if parsed is None:
            errors[name] = gettext(lang, bad)
        return parsed

    start, end = need("start_time", parse_time, BAD_TIME), need("end_time", parse_time, BAD_TIME)
    if values["mode"] == "one":
        day = need("date", parse_date, BAD_DATE)
        if errors:
            return None, errors
        return schemas.SessionCreate(
            starts_at=dt.datetime.combine(day, start),
            ends_at=dt.datetime.combine(day, end),
            note=values["note"],
        ), errors
    first, last = need("first_date", parse_date, BAD_DATE), need("last_date", parse_date, BAD_DATE)
    weekday, every = parse_int(values["weekday"]), parse_int(values["every_weeks"])
    if weekday is None or not 0 <= weekday <= 6:
        errors["weekday"] = gettext(lang, N_("Choose a weekday."))
    if every is None or not 1 <= every <= 8:
        errors["every_weeks"] = gettext(lang, N_("Give a number from 1 to 8."))
    if errors:
        return None, errors
    assert weekday is not None and every is not None  # a missing one is an error above
    recurrence = schemas.Recurrence(
        weekday=weekday, start_time=start, end_time=end, first_date=first, last_date=last, every_weeks=every
    )
    return schemas.SessionCreate(recurrence=recurrence, note=values["note"]), errors


@post("/activities/{activity_id:uuid}/sessions", guards=STAFF, name="sessions-create", status_code=200)
async def sessions_create(activity_id: uuid.UUID, db: Db, request: PageRequest) -> Any:
    """One session or a weekly series, through the activities service (it checks the dates and times)."""
    lang = language(request)
    form = await request.form()
    values = {k: (form.get(k) or "").strip() for k in SESSION_FIELDS}
    values["mode"] = "one" if values["mode"] == "one" else "weekly"
    data, errors = _read_sessions(values, lang)
    if data is not None:
        try:
            await services.create_sessions(db, actor_of(request), activity_id, limits.checked(data))
        except DomainError as exc:
            await db.rollback()
            if exc.status in (403, 404):
                raise
            field = field_of(exc, {"starts_at": "start_time", "ends_at": "end_time", "recurrence": "_form"})
            errors[field if field in values else "_form"] = refusal_message(lang, exc)
        else:
            return redirect(f"/activities/{activity_id}", "sessions_created")
    return await _sessions_form(db, request, activity_id, values, errors)


@post("/sessions/{session_id:uuid}/cancel", guards=STAFF, name="session-cancel", status_code=200)
async def session_cancel(session_id: uuid.UUID, db: Db, request: PageRequest) -> Any:
    """Cancel a session; the service tells everyone on it."""
    form = await request.form()
    note = (form.get("note") or "").strip()[:1000]
    update = schemas.SessionUpdate(status="cancelled", note=note or None)
    await services.update_session(db, actor_of(request), session_id, update, now(request))
    return redirect(f"/sessions/{session_id}", "session_cancelled")


planning_routes = [activity_new, activity_create, sessions_new, sessions_create, session_cancel]
