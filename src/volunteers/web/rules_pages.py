"""Pages that preview who a change releases before it is applied: a leader moving a session.

The service refuses a change that would break a rule for held people (WouldRelease, with
the list); the page shows that list in the reader's language and asks again, and the
confirmed form sends the same change with confirm.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from litestar import get, post
from litestar.response import Template

from volunteers.accounts.middleware import staff_only
from volunteers.activities import schemas, services
from volunteers.db.session import Db
from volunteers.errors import DomainError
from volunteers.staffing.guard import WouldRelease
from volunteers.web.common import PageRequest, actor_of, language, now, page, parse_date, parse_time, redirect, zone_of
from volunteers.web.errors import refusal_message, rule_message
from volunteers.web.i18n import gettext

STAFF = [staff_only]


def preview_rows(lang: str, exc: WouldRelease, zone: Any) -> list[dict[str, Any]]:
    """The affected places, with each rule explained in the reader's language."""
    rows = []
    for row in exc.extra.get("affected", []):
        starts = dt.datetime.fromisoformat(row["starts_at"]) if row.get("starts_at") else None
        rows.append(
            {
                "name": row.get("volunteer_name") or "",
                "activity": row.get("activity_name") or "",
                "starts_at": starts.astimezone(zone) if starts else None,
                "role": row.get("role", ""),
                "rules": [rule_message(lang, code) for code in row.get("rules") or [row["code"]]],
                "detail": row.get("message", ""),
            }
        )
    return rows


async def _move_page(
    db: Db,
    request: PageRequest,
    session_id: uuid.UUID,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    preview: list[dict[str, Any]] | None = None,
) -> Template:
    session = await services.get_session(db, actor_of(request), session_id)
    if values is None:
        values = {
            "date": session.starts_at.date().isoformat(),
            "start_time": session.starts_at.strftime("%H:%M"),
            "end_time": session.ends_at.strftime("%H:%M"),
        }
    return page(
        request,
        "leader/session_move.html",
        status=422 if errors else (409 if preview else 200),
        session=session,
        values=values,
        errors=errors or {},
        preview=preview or [],
    )


@get("/sessions/{session_id:uuid}/move", guards=STAFF, name="session-move")
async def session_move_form(session_id: uuid.UUID, db: Db, request: PageRequest) -> Template:
    return await _move_page(db, request, session_id)


@post("/sessions/{session_id:uuid}/move", guards=STAFF, name="session-move-save", status_code=200)
async def session_move(session_id: uuid.UUID, db: Db, request: PageRequest) -> Any:
    """Move a session; if held people would be released, show who and why, and ask to confirm."""
    lang = language(request)
    form = await request.form()
    values = {k: (form.get(k) or "").strip() for k in ("date", "start_time", "end_time")}
    day, start, end = parse_date(values["date"]), parse_time(values["start_time"]), parse_time(values["end_time"])
    errors: dict[str, str] = {}
    if day is None:
        errors["date"] = gettext(lang, "Give a date.")
    if start is None:
        errors["start_time"] = gettext(lang, "Give a time.")
    if end is None:
        errors["end_time"] = gettext(lang, "Give a time.")
    if errors:
        return await _move_page(db, request, session_id, values, errors)
    assert day is not None and start is not None and end is not None
    zone = zone_of(request)
    starts = dt.datetime.combine(day, start, tzinfo=zone)
    ends = dt.datetime.combine(day if end > start else day + dt.timedelta(days=1), end, tzinfo=zone)
    update = schemas.SessionUpdate(starts_at=starts, ends_at=ends, confirm=form.get("confirm") == "yes")
    try:
        await services.update_session(db, actor_of(request), session_id, update, now(request))
    except WouldRelease as exc:
        await db.rollback()
        return await _move_page(db, request, session_id, values, preview=preview_rows(lang, exc, zone))
    except DomainError as exc:
        await db.rollback()
        if exc.status in (403, 404):
            raise
        return await _move_page(db, request, session_id, values, {"_form": refusal_message(lang, exc)})
    return redirect(f"/sessions/{session_id}", "session_moved")


rules_routes = [session_move_form, session_move]
