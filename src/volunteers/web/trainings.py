"""A coordinator records a volunteer's completed training through the pages, with its names on certificates.

The API (`POST /api/volunteers/{id}/trainings`) took the training's name in Swedish and
English for certificates; without the API a coordinator could not record a training at
all, and an English certificate printed a Swedish course name.
"""

from __future__ import annotations

import uuid
from typing import Any

import msgspec
from litestar import get, post
from litestar.response import Template

from volunteers.accounts.middleware import coordinator_only
from volunteers.db.session import Db
from volunteers.errors import DomainError
from volunteers.experience import record, schemas, services
from volunteers.people import services as people
from volunteers.web.common import PageRequest, actor_of, language, now, page, parse_date, redirect, today
from volunteers.web.errors import field_of, refusal_message
from volunteers.web.i18n import N_, gettext

COORDINATORS = [coordinator_only]
FIELDS = ("name", "issuer", "completed_on", "name_sv", "name_en")
REQUIRED = N_("Fill in this field.")


async def _page(
    db: Db,
    request: PageRequest,
    volunteer_id: uuid.UUID,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
) -> Template:
    actor = actor_of(request)
    profile = await people.get_profile(db, actor, volunteer_id)
    exp = await record.experience(db, actor, volunteer_id, now(request))
    return page(
        request,
        "coordinator/trainings.html",
        status=422 if errors else 200,
        profile=profile,
        trainings=exp.trainings,
        values=values or {k: "" for k in FIELDS},
        errors=errors or {},
        today=today(request),
    )


@get("/volunteers/{volunteer_id:uuid}/trainings", guards=COORDINATORS, name="volunteer-trainings")
async def trainings_page(volunteer_id: uuid.UUID, db: Db, request: PageRequest) -> Template:
    return await _page(db, request, volunteer_id)


@post("/volunteers/{volunteer_id:uuid}/trainings", guards=COORDINATORS, name="training-add", status_code=200)
async def training_add(volunteer_id: uuid.UUID, db: Db, request: PageRequest) -> Any:
    """Record the training through the experience service, as the API does."""
    lang = language(request)
    form = await request.form()
    values = {k: str(form.get(k) or "").strip() for k in FIELDS}
    errors = {k: gettext(lang, REQUIRED) for k in ("name", "issuer", "completed_on") if not values[k]}
    completed_on = parse_date(values["completed_on"])
    if values["completed_on"] and completed_on is None:
        errors["completed_on"] = gettext(lang, N_("Write the date as year-month-day, for example 2026-11-20."))
    if not errors:
        try:
            data = msgspec.convert({**values, "completed_on": completed_on}, schemas.TrainingIn)
        except msgspec.ValidationError as exc:
            field = str(exc).rpartition("$.")[2].split("[")[0]
            errors[field if field in values else "_form"] = gettext(lang, N_("Check this value."))
        else:
            try:
                await services.record_training(db, actor_of(request), volunteer_id, data, today(request))
            except DomainError as exc:
                await db.rollback()
                if exc.status in (403, 404):
                    raise
                errors[field_of(exc) or "_form"] = refusal_message(lang, exc)
            else:
                return redirect(f"/volunteers/{volunteer_id}/trainings", "saved")
    return await _page(db, request, volunteer_id, values, errors)


training_routes = [trainings_page, training_add]
