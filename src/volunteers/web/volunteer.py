"""The volunteer's own pages: profile (skills from the catalogue), weekly availability."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from litestar import MediaType, get, post
from litestar.params import Parameter
from litestar.response import Template

from volunteers import limits
from volunteers.db.models import VolunteerProfile
from volunteers.db.session import Db
from volunteers.errors import DomainError, NotFound
from volunteers.people import schemas, services
from volunteers.people.guardian_status import guardian_status
from volunteers.staffing.checks import check_status
from volunteers.staffing.guard import WouldRelease
from volunteers.web.availability_grid import HOURS, grid_from_rules, parse_cells, rules_from_grid
from volunteers.web.choices import ACTIVITY_KINDS, EXCEPTION_KINDS, LANGUAGE_CHOICES
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
    zone_of,
)
from volunteers.web.errors import field_of, refusal_message
from volunteers.web.i18n import N_, gettext
from volunteers.web.rules_pages import preview_rows

REQUIRED = N_("Fill in this field.")
SKILL_FIELDS = ("skills", "learning_goals")


def _own_profile_id(request: PageRequest) -> uuid.UUID:
    actor = actor_of(request)
    if actor.profile_id is None:
        raise NotFound("you have no volunteer profile")
    return actor.profile_id


async def catalogue(db: Db) -> dict[str, schemas.Skill]:
    """The skills catalogue by code (a few hundred rows at most)."""
    return {s.code: s for s in await services.list_skills(db, None)}


@get("/skills/search", name="skill-search")
async def skill_search(db: Db, request: PageRequest, field: str = Parameter(default="skills")) -> Template:
    """The picker's live search: catalogue skills matching the typed words (an HTMX fragment)."""
    name = field if field in SKILL_FIELDS else "skills"
    query = (request.query_params.get(f"{name}_q") or "").strip()[:100]
    results = (await services.list_skills(db, query))[:20] if query else []
    return Template(
        template_name="partials/skill_results.html",
        context={"results": results, "name": name},
        media_type=MediaType.HTML,
    )


# --- profile -------------------------------------------------------------------------


def _profile_values(profile: schemas.Profile) -> dict[str, Any]:
    return {
        "first_name": profile.first_name,
        "last_name": profile.last_name,
        "phone": profile.phone,
        "languages": list(profile.languages),
        "skills": list(profile.skills),
        "learning_goals": list(profile.learning_goals),
        "preferred_activity_kinds": list(profile.preferred_activity_kinds),
        "seeking_work": profile.seeking_work,
        "max_hours": "" if profile.max_minutes_per_week is None else str(profile.max_minutes_per_week // 60),
        "targets": {c: d.isoformat() for c, d in profile.learning_goal_targets.items()},
    }


def _profile_page(
    request: PageRequest,
    profile: schemas.Profile,
    values: dict[str, Any],
    skills: dict[str, schemas.Skill],
    errors: dict[str, str] | None = None,
    results: dict[str, list[schemas.Skill] | None] | None = None,
    queries: dict[str, str] | None = None,
    check: Any = None,
    preview: list[dict[str, Any]] | None = None,
    guardian: Any = None,
) -> Template:
    languages = [*LANGUAGE_CHOICES, *[c for c in values["languages"] if c not in LANGUAGE_CHOICES]]
    return page(
        request,
        "volunteer/profile.html",
        status=422 if errors else (409 if preview else 200),
        profile=profile,
        values=values,
        errors=errors or {},
        chosen={f: [skills[c] for c in values[f] if c in skills] for f in SKILL_FIELDS},
        results=results or dict.fromkeys(SKILL_FIELDS),
        queries=queries or dict.fromkeys(SKILL_FIELDS, ""),
        language_choices=languages,
        activity_kinds=ACTIVITY_KINDS,
        check=check,
        preview=preview or [],
        guardian=guardian,
    )


@get("/profile", name="profile")
async def profile_page(db: Db, request: PageRequest) -> Template:
    profile_id = _own_profile_id(request)
    profile = await services.get_profile(db, actor_of(request), profile_id)
    assert isinstance(profile, schemas.Profile)
    own = await db.get(VolunteerProfile, profile_id)
    assert own is not None
    check = await check_status(db, own, now(request), actor_of(request))  # an audited read
    guardian = await guardian_status(db, own, now(request), zone_of(request))  # under 16 only
    values = _profile_values(profile)
    return _profile_page(request, profile, values, await catalogue(db), check=check, guardian=guardian)


@post("/profile", name="profile-save", status_code=200)
async def profile_save(db: Db, request: PageRequest) -> Any:
    """Save the profile through the people service, or search the catalogue without saving."""
    actor = actor_of(request)
    lang = language(request)
    profile_id = _own_profile_id(request)
    profile = await services.get_profile(db, actor, profile_id)
    assert isinstance(profile, schemas.Profile)
    skills = await catalogue(db)
    form = await request.form()

    def codes(name: str) -> list[str]:
        return list(dict.fromkeys(c for c in form.getall(name, []) if c in skills))

    values: dict[str, Any] = {
        "first_name": (form.get("first_name") or "").strip(),
        "last_name": (form.get("last_name") or "").strip(),
        "phone": (form.get("phone") or "").strip(),
        "languages": [c for c in dict.fromkeys(form.getall("languages", [])) if c.isalpha() and 2 <= len(c) <= 3],
        "skills": codes("skills"),
        "learning_goals": codes("learning_goals"),
        "preferred_activity_kinds": [k for k in form.getall("preferred_activity_kinds", []) if k in ACTIVITY_KINDS],
        "seeking_work": form.get("seeking_work") == "yes",
        "max_hours": (form.get("max_hours") or "").strip(),
    }
    # A target date per goal already on the profile (a goal added now gets its field after saving).
    values["targets"] = {
        c: (form.get(f"learning_goal_targets.{c}") or "").strip()[:20]
        for c in values["learning_goals"]
        if f"learning_goal_targets.{c}" in form
    }
    queries = {f: (form.get(f"{f}_q") or "").strip()[:100] for f in SKILL_FIELDS}
    action = form.get("action") or "save"
    if action.startswith("search-"):  # the no-JavaScript way to search the catalogue
        field = action.removeprefix("search-")
        results: dict[str, list[schemas.Skill] | None] = dict.fromkeys(SKILL_FIELDS)
        if field in SKILL_FIELDS:
            results[field] = (await services.list_skills(db, queries[field]))[:20] if queries[field] else []
        return _profile_page(request, profile, values, skills, results=results, queries=queries)

    errors: dict[str, str] = {}
    for name in ("first_name", "last_name"):
        if not values[name]:
            errors[name] = gettext(lang, REQUIRED)
    hours = parse_int(values["max_hours"]) if values["max_hours"] else None
    if values["max_hours"] and (hours is None or not 0 <= hours <= 60):
        errors["max_hours"] = gettext(lang, N_("Give a whole number of hours between 0 and 60."))
    targets: dict[str, dt.date | None] = {}
    for code, raw in values["targets"].items():
        day = parse_date(raw) if raw else None
        if raw and day is None:
            errors[f"learning_goal_targets.{code}"] = gettext(lang, N_("Give a date, such as 2027-06-30."))
        targets[code] = day
    if errors:
        return _profile_page(request, profile, values, skills, errors, queries=queries)
    update = schemas.ProfileUpdate(
        first_name=values["first_name"][:100],
        last_name=values["last_name"][:100],
        phone=values["phone"][:40],
        languages=values["languages"],
        skills=values["skills"],
        learning_goals=values["learning_goals"],
        learning_goal_targets=[schemas.GoalTargetIn(c, d) for c, d in targets.items()],
        preferred_activity_kinds=values["preferred_activity_kinds"],
        seeking_work=values["seeking_work"],
        max_minutes_per_week=hours * 60 if hours is not None else None,
        clear_max_minutes_per_week=hours is None,
        confirm=form.get("confirm") == "yes",
    )
    try:
        await services.update_profile(db, actor, profile_id, limits.checked(update), now(request))
    except WouldRelease as exc:
        # A lower weekly cap (or fewer skills or languages) would release their own sessions: show which, and ask.
        await db.rollback()
        rows = preview_rows(lang, exc, zone_of(request))
        return _profile_page(request, profile, values, skills, queries=queries, preview=rows)
    except DomainError as exc:
        await db.rollback()
        errors[field_of(exc) or "_form"] = refusal_message(lang, exc)
        return _profile_page(request, profile, values, skills, errors, queries=queries)
    return redirect("/profile", "saved")


# --- availability --------------------------------------------------------------------


def _availability_page(
    request: PageRequest,
    availability: schemas.Availability,
    cells: set[tuple[int, int]] | None = None,
    errors: dict[str, str] | None = None,
    exception_values: dict[str, Any] | None = None,
    status: int | None = None,
    preview: list[dict[str, Any]] | None = None,
) -> Template:
    grid = grid_from_rules(availability.rules)
    day = today(request).isoformat()
    return page(
        request,
        "volunteer/availability.html",
        status=status or (422 if errors else 200),
        cells=grid.cells if cells is None else cells,
        kept=grid.kept,
        rounded=grid.rounded,
        hours=HOURS,
        exceptions=list(enumerate(availability.exceptions)),
        exception_kinds=EXCEPTION_KINDS,
        errors=errors or {},
        exc=exception_values
        or {"kind": "away", "date_from": day, "date_to": "", "start_time": "", "end_time": "", "note": ""},
        preview=preview or [],
    )


@get("/availability", name="availability")
async def availability_page(db: Db, request: PageRequest) -> Template:
    availability = await services.get_availability(db, actor_of(request), _own_profile_id(request))
    return _availability_page(request, availability)


async def _replace(
    db: Db,
    request: PageRequest,
    rules: list[schemas.WeeklyRuleIn],
    exceptions: list[schemas.ExceptionIn],
    confirm: bool = False,
) -> schemas.Availability:
    data = schemas.AvailabilityIn(rules=rules, exceptions=exceptions, confirm=confirm)
    return await services.replace_availability(db, actor_of(request), _own_profile_id(request), data, now(request))


@post("/availability", name="availability-save", status_code=200)
async def availability_save(db: Db, request: PageRequest) -> Any:
    """Save the ticked hours as weekly rules; exceptions and rules the grid cannot show stay."""
    actor = actor_of(request)
    profile_id = _own_profile_id(request)
    current = await services.get_availability(db, actor, profile_id)
    form = await request.form()
    cells = parse_cells(form.getall("slot", []))
    rules = rules_from_grid(cells, grid_from_rules(current.rules).kept)
    try:
        await _replace(db, request, rules, list(current.exceptions), confirm=form.get("confirm") == "yes")
    except WouldRelease as exc:
        # The narrower week would release some of the volunteer's own sessions: show which, and ask.
        await db.rollback()
        rows = preview_rows(language(request), exc, zone_of(request))
        return _availability_page(request, current, cells, status=409, preview=rows)
    except DomainError as exc:
        await db.rollback()
        return _availability_page(request, current, cells, {"_form": refusal_message(language(request), exc)})
    return redirect("/availability", "saved")


@post("/availability/exceptions", name="availability-exception-add", status_code=200)
async def exception_add(db: Db, request: PageRequest) -> Any:
    """Add a dated exception: a holiday away, or extra time free."""
    lang = language(request)
    actor = actor_of(request)
    current = await services.get_availability(db, actor, _own_profile_id(request))
    form = await request.form()
    values = {
        k: (form.get(k) or "").strip() for k in ("kind", "date_from", "date_to", "start_time", "end_time", "note")
    }
    errors: dict[str, str] = {}
    kind = values["kind"] if values["kind"] in EXCEPTION_KINDS else "away"
    date_from = parse_date(values["date_from"])
    date_to = parse_date(values["date_to"]) if values["date_to"] else date_from
    start = parse_time(values["start_time"]) if values["start_time"] else None
    end = parse_time(values["end_time"]) if values["end_time"] else None
    date_hint = N_("Write the date as year-month-day, for example 2026-12-24.")
    if date_from is None:
        errors["date_from"] = gettext(lang, REQUIRED if not values["date_from"] else date_hint)
    if values["date_to"] and date_to is None:
        errors["date_to"] = gettext(lang, date_hint)
    if values["start_time"] and start is None:
        errors["start_time"] = gettext(lang, N_("Write the time as hours:minutes, for example 17:30."))
    if values["end_time"] and end is None:
        errors["end_time"] = gettext(lang, N_("Write the time as hours:minutes, for example 17:30."))
    if not errors:
        assert date_from is not None and date_to is not None
        new = schemas.ExceptionIn(kind, date_from, date_to, start, end, values["note"][:200])  # type: ignore[arg-type]
        try:
            await _replace(db, request, list(current.rules), [*current.exceptions, new])
        except DomainError as exc:
            await db.rollback()
            aliases = {"exceptions": "date_to" if "date_to" in (exc.field or "") else "_form"}
            if exc.field and exc.field.endswith("end_time"):
                aliases["exceptions"] = "end_time"
            errors[field_of(exc, aliases) or "_form"] = refusal_message(lang, exc)
        else:
            return redirect("/availability", "exception_added")
    return _availability_page(request, current, errors=errors, exception_values=values)


@post("/availability/exceptions/{index:int}/remove", name="availability-exception-remove", status_code=200)
async def exception_remove(index: int, db: Db, request: PageRequest) -> Any:
    actor = actor_of(request)
    current = await services.get_availability(db, actor, _own_profile_id(request))
    if not 0 <= index < len(current.exceptions):
        raise NotFound("no such exception")
    remaining = [e for i, e in enumerate(current.exceptions) if i != index]
    await _replace(db, request, list(current.rules), remaining)
    return redirect("/availability", "exception_removed")


volunteer_routes = [
    skill_search,
    profile_page,
    profile_save,
    availability_page,
    availability_save,
    exception_add,
    exception_remove,
]
