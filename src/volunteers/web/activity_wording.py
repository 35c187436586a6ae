"""An activity's wording on certificates, through the pages: its tasks and how each reads once done.

The API took `tasks` and `tasks_done` (the past tense a certificate prints, in Swedish and
English) since issue 16; a leader or coordinator without the API could not set them, and
certificates fell back to the starter vocabulary or the task as written ("hjälpa med läxor").
"""

from __future__ import annotations

import uuid
from typing import Any

import msgspec
from litestar import get, post
from litestar.response import Template

from volunteers.accounts.middleware import staff_only
from volunteers.activities import schemas, services
from volunteers.db.session import Db
from volunteers.errors import DomainError, NotFound
from volunteers.web.common import PageRequest, actor_of, language, page, redirect
from volunteers.web.errors import field_of, refusal_message
from volunteers.web.i18n import N_, gettext

STAFF = [staff_only]
MAX_TASKS = 20


def _rows(activity: schemas.Activity) -> list[dict[str, str]]:
    """One row per task: the task, and its past tense in Swedish and English as stored."""
    stored = {d.task: d for d in activity.tasks_done}
    empty = schemas.TaskDone(task="")
    return [{"task": t, "sv": stored.get(t, empty).sv, "en": stored.get(t, empty).en} for t in activity.tasks]


def _sent_rows(form: Any) -> list[dict[str, str]]:
    """The rows the form showed (task_N, done_sv_N, done_en_N), as sent."""
    return [
        {
            "task": str(form.get(f"task_{i}")),
            "sv": str(form.get(f"done_sv_{i}") or "").strip(),
            "en": str(form.get(f"done_en_{i}") or "").strip(),
        }
        for i in range(MAX_TASKS)
        if form.get(f"task_{i}") is not None
    ]


async def _form(
    db: Db,
    request: PageRequest,
    activity: schemas.Activity,
    tasks_text: str,
    rows: list[dict[str, str]],
    errors: dict[str, str] | None = None,
) -> Template:
    return page(
        request,
        "leader/activity_wording.html",
        status=422 if errors else 200,
        activity=activity,
        tasks_text=tasks_text,
        rows=rows,
        errors=errors or {},
    )


async def _managed(db: Db, request: PageRequest, activity_id: uuid.UUID) -> schemas.Activity:
    actor = actor_of(request)
    activity = await services.get_activity(db, actor, activity_id)
    if not actor.can_manage_partner(activity.partnership_id, activity.partner_id):
        raise NotFound(f"activity {activity_id} not found")
    return activity


@get("/activities/{activity_id:uuid}/wording", guards=STAFF, name="activity-wording")
async def activity_wording(activity_id: uuid.UUID, db: Db, request: PageRequest) -> Template:
    activity = await _managed(db, request, activity_id)
    return await _form(db, request, activity, "\n".join(activity.tasks), _rows(activity))


@post("/activities/{activity_id:uuid}/wording", guards=STAFF, name="activity-wording-save", status_code=200)
async def activity_wording_save(activity_id: uuid.UUID, db: Db, request: PageRequest) -> Any:
    """Save the tasks (one a line) and, for the tasks the form showed, their past tense."""
    lang = language(request)
    activity = await _managed(db, request, activity_id)
    form = await request.form()
    tasks_text = form.get("tasks") or ""
    tasks = list(dict.fromkeys(" ".join(line.split()) for line in tasks_text.splitlines() if line.strip()))
    rows = _sent_rows(form)
    errors: dict[str, str] = {}
    if len(tasks) > MAX_TASKS:
        errors["tasks"] = gettext(lang, N_("At most %(n)s tasks.")) % {"n": MAX_TASKS}
    for i, row in enumerate(rows):
        for side in ("sv", "en"):
            if len(row[side]) > 200:
                errors[f"done_{side}_{i}"] = gettext(lang, N_("Check this value."))
    # Only tasks still listed keep a wording; a task added now gets its row on the next visit.
    done = [
        {"task": row["task"], "sv": row["sv"], "en": row["en"]}
        for row in rows
        if row["task"] in tasks and (row["sv"] or row["en"])
    ]
    if not errors:
        try:
            data = msgspec.convert({"tasks": tasks, "tasks_done": done}, schemas.ActivityUpdate)
        except msgspec.ValidationError:
            errors["tasks"] = gettext(lang, N_("Check this value."))
        else:
            try:
                await services.update_activity(db, actor_of(request), activity_id, data)
            except DomainError as exc:
                await db.rollback()
                errors[field_of(exc, {"tasks_done": "tasks"}) or "_form"] = refusal_message(lang, exc)
            else:
                return redirect(f"/activities/{activity_id}/wording", "saved")
    return await _form(db, request, activity, tasks_text, rows, errors)


activity_wording_routes = [activity_wording, activity_wording_save]
