"""Leaders' and coordinators' pages: activities, their staffing needs, the week's sessions."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from litestar import get, post
from litestar.response import Template

from volunteers import limits
from volunteers.accounts.actor import Actor
from volunteers.accounts.middleware import staff_only
from volunteers.activities import schemas, services
from volunteers.db.session import Db
from volunteers.errors import DomainError, Forbidden, NotFound
from volunteers.people import services as people
from volunteers.web.choices import ACTIVITY_KINDS, LANGUAGE_CHOICES, SESSION_STATUSES, TARGET_GROUPS
from volunteers.web.common import (
    PageRequest,
    actor_of,
    language,
    now,
    page,
    parse_date,
    parse_int,
    redirect,
    today,
    zone_of,
)
from volunteers.web.errors import field_of, refusal_message
from volunteers.web.gaps import activity_fill, awaiting_signups, my_requests, session_fill
from volunteers.web.i18n import N_, gettext
from volunteers.web.volunteer import catalogue

STAFF = [staff_only]
REQUIRED = N_("Fill in this field.")


def _mine(actor: Actor) -> bool:
    """Leaders see their own partner's activities; coordinators the whole partnership's."""
    return not actor.is_coordinator()


@get("/activities", guards=STAFF, name="activities")
async def activities_page(db: Db, request: PageRequest) -> Template:
    actor = actor_of(request)
    items, total = await services.list_activities(db, actor, None, None, None, None, _mine(actor), 500, 0)
    return page(
        request,
        "leader/activities.html",
        fills=await activity_fill(db, [a.id for a in items], now(request)),
        requests=await my_requests(db, actor),
        signups=await awaiting_signups(db, actor, now(request)),
        activities=items,
        total=total,
        kinds=ACTIVITY_KINDS,
        groups=TARGET_GROUPS,
        coordinator=actor.is_coordinator(),
    )


# --- one activity and its needs ------------------------------------------------------


def _blank_need() -> dict[str, Any]:
    return {
        "role": "",
        "count": "1",
        "skills": [],
        "languages": [],
        "min_age": "",
        "priority": "1",
        "role_sv": "",
        "role_en": "",
    }


def _need_values(need: schemas.Need) -> dict[str, Any]:
    return {
        "role": need.role,
        "count": str(need.count),
        "skills": list(need.skills),
        "languages": list(need.languages),
        "min_age": "" if need.min_age is None else str(need.min_age),
        "priority": str(need.priority),
        "role_sv": need.role_sv,
        "role_en": need.role_en,
    }


def _read_need_form(
    form: Any, lang: str, known_skills: set[str], with_role: bool
) -> tuple[dict[str, Any], dict[str, str]]:
    values: dict[str, Any] = {
        "role": (form.get("role") or "").strip(),
        "count": (form.get("count") or "").strip(),
        "skills": [c for c in dict.fromkeys(form.getall("skills", [])) if c in known_skills],
        "languages": [c for c in dict.fromkeys(form.getall("languages", [])) if c in LANGUAGE_CHOICES],
        "min_age": (form.get("min_age") or "").strip(),
        "priority": (form.get("priority") or "1").strip(),
        # The role's name on certificates in Swedish and English (optional).
        "role_sv": " ".join((form.get("role_sv") or "").split()),
        "role_en": " ".join((form.get("role_en") or "").split()),
    }
    errors: dict[str, str] = {}
    for name in ("role_sv", "role_en"):
        if len(values[name]) > 80:
            errors[name] = gettext(lang, N_("Use at most %(n)s characters."), n=80)
    if with_role and not values["role"]:
        errors["role"] = gettext(lang, REQUIRED)
    elif with_role and len(values["role"]) > 80:
        errors["role"] = gettext(lang, N_("Use at most %(n)s characters."), n=80)
    count = parse_int(values["count"])
    if count is None or not 1 <= count <= 50:
        errors["count"] = gettext(lang, N_("Give a number from 1 to 50."))
    if values["min_age"]:
        age = parse_int(values["min_age"])
        if age is None or not 13 <= age <= 100:
            errors["min_age"] = gettext(lang, N_("Give an age from 13 to 100, or leave it empty."))
    priority = parse_int(values["priority"])
    if priority is None or not 1 <= priority <= 10:
        errors["priority"] = gettext(lang, N_("Give a number from 1 to 10."))
    return values, errors


async def _activity_page(
    db: Db,
    request: PageRequest,
    activity_id: uuid.UUID,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    search: tuple[str, list[Any]] | None = None,
) -> Template:
    actor = actor_of(request)
    activity = await services.get_activity(db, actor, activity_id)
    needs = await services.list_needs(db, actor, activity_id)
    start = dt.datetime.combine(today(request), dt.time(0), tzinfo=zone_of(request))
    sessions, _ = await services.list_sessions(
        db, actor, start, start + dt.timedelta(days=28), None, activity_id, None, 50, 0
    )
    skills = await catalogue(db)
    values = values or _blank_need()
    return page(
        request,
        "leader/activity.html",
        status=422 if errors else 200,
        activity=activity,
        needs=needs,
        sessions=sessions,
        skills=skills,
        can_manage=actor.can_manage_partner(activity.partnership_id, activity.partner_id),
        values=values,
        chosen=[skills[c] for c in values["skills"] if c in skills],
        errors=errors or {},
        kinds=ACTIVITY_KINDS,
        groups=TARGET_GROUPS,
        statuses=SESSION_STATUSES,
        language_choices=LANGUAGE_CHOICES,
        query=search[0] if search else "",
        results=search[1] if search else None,
    )


@get("/activities/{activity_id:uuid}", guards=STAFF, name="activity")
async def activity_page(activity_id: uuid.UUID, db: Db, request: PageRequest) -> Template:
    return await _activity_page(db, request, activity_id)


async def _search(db: Db, form: Any) -> tuple[str, list[Any]]:
    """The no-JavaScript catalogue search of the need form's skill picker."""
    query = (form.get("skills_q") or "").strip()[:100]
    return query, ((await people.list_skills(db, query))[:20] if query else [])


def _need_update(values: dict[str, Any]) -> schemas.NeedUpdate:
    return schemas.NeedUpdate(
        count=int(values["count"]),
        skills=values["skills"],
        languages=values["languages"],
        min_age=int(values["min_age"]) if values["min_age"] else None,
        clear_min_age=not values["min_age"],
        priority=int(values["priority"]),
        role_sv=values["role_sv"],
        role_en=values["role_en"],
    )


@post("/activities/{activity_id:uuid}/needs", guards=STAFF, name="need-add", status_code=200)
async def need_add(activity_id: uuid.UUID, db: Db, request: PageRequest) -> Any:
    """Add a staffing need for every session of the activity, through the activities service."""
    lang = language(request)
    skills = await catalogue(db)
    form = await request.form()
    values, errors = _read_need_form(form, lang, set(skills), with_role=True)
    if (form.get("action") or "").startswith("search-"):
        return await _activity_page(db, request, activity_id, values, search=await _search(db, form))
    if not errors:
        data = schemas.NeedCreate(
            role=values["role"],
            count=int(values["count"]),
            skills=values["skills"],
            languages=values["languages"],
            min_age=int(values["min_age"]) if values["min_age"] else None,
            priority=int(values["priority"]),
            role_sv=values["role_sv"],
            role_en=values["role_en"],
        )
        try:
            await services.create_need(db, actor_of(request), limits.checked(data), activity_id=activity_id)
        except DomainError as exc:
            await db.rollback()
            if exc.status in (403, 404):
                raise
            errors[field_of(exc) or "_form"] = refusal_message(lang, exc)
        else:
            return redirect(f"/activities/{activity_id}", "need_added")
    return await _activity_page(db, request, activity_id, values, errors)


async def _need(
    db: Db, request: PageRequest, activity_id: uuid.UUID, need_id: uuid.UUID
) -> tuple[schemas.Need, schemas.Activity]:
    """The activity's need, if the caller may change it (the service checks again on save)."""
    actor = actor_of(request)
    activity = await services.get_activity(db, actor, activity_id)
    need = next((n for n in await services.list_needs(db, actor, activity_id) if n.id == need_id), None)
    if need is None:
        raise NotFound(f"need {need_id} not found")
    if not actor.can_manage_partner(activity.partnership_id, activity.partner_id):
        raise Forbidden("only the partner's leaders and coordinators change this need")
    return need, activity


def _edit_page(
    request: PageRequest,
    need: schemas.Need,
    activity: schemas.Activity,
    skills: dict[str, Any],
    values: dict[str, Any],
    errors: dict[str, str] | None = None,
    search: tuple[str, list[Any]] | None = None,
) -> Template:
    return page(
        request,
        "leader/need_edit.html",
        status=422 if errors else 200,
        need=need,
        activity=activity,
        values=values,
        errors=errors or {},
        chosen=[skills[c] for c in values["skills"] if c in skills],
        language_choices=LANGUAGE_CHOICES,
        query=search[0] if search else "",
        results=search[1] if search else None,
    )


@get("/activities/{activity_id:uuid}/needs/{need_id:uuid}/edit", guards=STAFF, name="need-edit")
async def need_edit(activity_id: uuid.UUID, need_id: uuid.UUID, db: Db, request: PageRequest) -> Template:
    need, activity = await _need(db, request, activity_id, need_id)
    return _edit_page(request, need, activity, await catalogue(db), _need_values(need))


@post("/activities/{activity_id:uuid}/needs/{need_id:uuid}/edit", guards=STAFF, name="need-save", status_code=200)
async def need_save(activity_id: uuid.UUID, need_id: uuid.UUID, db: Db, request: PageRequest) -> Any:
    lang = language(request)
    need, activity = await _need(db, request, activity_id, need_id)
    skills = await catalogue(db)
    form = await request.form()
    values, errors = _read_need_form(form, lang, set(skills), with_role=False)
    values["role"] = need.role
    if (form.get("action") or "").startswith("search-"):
        return _edit_page(request, need, activity, skills, values, search=await _search(db, form))
    if not errors:
        try:
            await services.update_need(db, actor_of(request), need_id, limits.checked(_need_update(values)))
        except DomainError as exc:
            await db.rollback()
            if exc.status in (403, 404):
                raise
            errors[field_of(exc) or "_form"] = refusal_message(lang, exc)
        else:
            return redirect(f"/activities/{activity.id}", "need_saved")
    return _edit_page(request, need, activity, skills, values, errors)


@post("/activities/{activity_id:uuid}/needs/{need_id:uuid}/remove", guards=STAFF, name="need-remove", status_code=200)
async def need_remove(activity_id: uuid.UUID, need_id: uuid.UUID, db: Db, request: PageRequest) -> Any:
    _, activity = await _need(db, request, activity_id, need_id)
    await services.delete_need(db, actor_of(request), need_id)
    return redirect(f"/activities/{activity.id}", "need_removed")


# --- the week's sessions -------------------------------------------------------------


@get("/week", guards=STAFF, name="week")
async def week_page(db: Db, request: PageRequest, start: str | None = None) -> Template:
    """Monday to Sunday of a week: every session of the caller's activities."""
    actor = actor_of(request)
    day = parse_date(start) or today(request)
    monday = day - dt.timedelta(days=day.weekday())
    zone = zone_of(request)
    begin = dt.datetime.combine(monday, dt.time(0), tzinfo=zone)
    end = dt.datetime.combine(monday + dt.timedelta(days=7), dt.time(0), tzinfo=zone)
    sessions, _ = await services.list_sessions(db, actor, begin, end, None, None, None, 500, 0)
    if _mine(actor):
        sessions = [s for s in sessions if actor.leads_partner(s.partner_id)]
    days = [
        {
            "date": monday + dt.timedelta(days=i),
            "sessions": [s for s in sessions if s.starts_at.astimezone(zone).date() == monday + dt.timedelta(days=i)],
        }
        for i in range(7)
    ]
    iso = monday.isocalendar()
    return page(
        request,
        "leader/week.html",
        fills=await session_fill(db, [s.id for s in sessions]),
        days=days,
        monday=monday,
        sunday=monday + dt.timedelta(days=6),
        week_number=iso.week,
        previous=(monday - dt.timedelta(days=7)).isoformat(),
        next=(monday + dt.timedelta(days=7)).isoformat(),
        today=today(request),
        statuses=SESSION_STATUSES,
        count=len(sessions),
    )


leader_routes = [activities_page, activity_page, need_add, need_edit, need_save, need_remove, week_page]
