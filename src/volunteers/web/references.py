"""Pages for references on request: the volunteer asks and decides, the leader writes and approves.

The rules live in certify/references.py; these pages only read forms and show results.
"""

from __future__ import annotations

import uuid
from typing import Any

from litestar import get, post
from litestar.response import Template

from volunteers.certify import references
from volunteers.db.session import Db
from volunteers.errors import DomainError, NotFound
from volunteers.web.common import PageRequest, actor_of, language, now, page, redirect
from volunteers.web.errors import refusal_message


def _profile(request: PageRequest) -> uuid.UUID:
    actor = actor_of(request)
    if actor.profile_id is None:
        raise NotFound("you have no volunteer profile")
    return actor.profile_id


async def _volunteer_page(db: Db, request: PageRequest, error: str = "") -> Template:
    profile_id = _profile(request)
    return page(
        request,
        "volunteer/references.html",
        status=422 if error else 200,
        activities=await references.worked_activities(db, profile_id),
        references=await references.for_volunteer(db, actor_of(request), profile_id),
        error=error,
    )


@get("/me/references", name="my-references")
async def my_references(db: Db, request: PageRequest) -> Template:
    """Ask for a reference; see the answers; choose what the next certificate carries."""
    return await _volunteer_page(db, request)


@post("/me/references", name="my-reference-ask", status_code=200)
async def ask(db: Db, request: PageRequest) -> Any:
    form = await request.form()
    try:
        activity_id = uuid.UUID(str(form.get("activity_id", "")))
    except ValueError:
        return await _volunteer_page(db, request, refusal_message(language(request), _bad_activity()))
    try:
        await references.ask(
            db,
            actor_of(request),
            _profile(request),
            references.ReferenceAsk(activity_id=activity_id, message=str(form.get("message", ""))[:300]),
        )
    except DomainError as exc:
        await db.rollback()
        return await _volunteer_page(db, request, refusal_message(language(request), exc))
    return redirect("/me/references")


@post("/me/references/{reference_id:uuid}/include", name="my-reference-include", status_code=200)
async def include(reference_id: uuid.UUID, db: Db, request: PageRequest) -> Any:
    form = await request.form()
    choice = references.ReferenceChoice(included=form.get("included") == "yes")
    await references.choose(db, actor_of(request), reference_id, choice)
    return redirect("/me/references")


def _bad_activity() -> DomainError:
    from volunteers.errors import InvalidInput

    return InvalidInput("activity_id", "choose an activity")


async def _leader_page(db: Db, request: PageRequest, error: str = "") -> Template:
    actor = actor_of(request)
    if not actor.led_partners:
        raise NotFound("you lead no activities")
    return page(
        request,
        "leader/references.html",
        status=422 if error else 200,
        references=await references.for_leader(db, actor),
        error=error,
    )


@get("/leader/references", name="leader-references")
async def leader_references(db: Db, request: PageRequest) -> Template:
    """The reference requests about this leader's activities."""
    return await _leader_page(db, request)


@post("/leader/references/{reference_id:uuid}", name="leader-reference-answer", status_code=200)
async def answer(reference_id: uuid.UUID, db: Db, request: PageRequest) -> Any:
    form = await request.form()
    data = references.ReferenceAnswer(
        decision="approve" if form.get("decision") == "approve" else "decline",
        text=str(form.get("text", ""))[:600],
        role=str(form.get("role", ""))[:120],
        contact=str(form.get("contact", ""))[:200],
        contact_consent=form.get("contact_consent") == "yes",
        language="en" if form.get("language") == "en" else "sv" if form.get("language") == "sv" else None,
    )
    try:
        await references.answer(db, actor_of(request), reference_id, data, now(request))
    except DomainError as exc:
        await db.rollback()
        if exc.status == 404:
            raise
        return await _leader_page(db, request, refusal_message(language(request), exc))
    return redirect("/leader/references")


reference_routes = [my_references, ask, include, leader_references, answer]
