"""HTTP for CSV import (dry run or for real) and export of volunteers and activities (coordinators)."""

from __future__ import annotations

import uuid
from typing import Any

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import State
from sqlalchemy.ext.asyncio import AsyncSession

from volunteers.accounts.actor import Actor
from volunteers.db.models import Partnership
from volunteers.db.session import Db
from volunteers.errors import InvalidInput
from volunteers.imports import activities, volunteers
from volunteers.imports.common import Problem
from volunteers.partnerships.invitations import coordinated
from volunteers.partnerships.mail import deliver_many, invitation_link, invitation_text
from volunteers.settings import Settings

ActorRequest = Request[Actor, Any, Any]


class HandOver(msgspec.Struct):
    email: str
    link: str


class ImportResult(msgspec.Struct):
    dry_run: bool
    rows: int
    problems: list[Problem]
    imported: int = 0
    mailed: int = 0
    # Links for the coordinator to hand over, only for invitations no mail server took.
    links: list[HandOver] = []


async def _text(request: Request[Any, Any, Any]) -> str:
    try:
        return (await request.body()).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInput("body", "the CSV file must be UTF-8 (save as 'CSV UTF-8')") from exc


async def mail_invitations(
    settings: Settings, partnership: Partnership, secrets: list[tuple[str, str]]
) -> tuple[int, list[HandOver]]:
    """Mail each imported volunteer their link; the ones not mailed come back to be handed over."""
    messages = []
    links = {}
    for email, token in secrets:
        link = links[email] = invitation_link(settings, token)
        messages.append((email, *invitation_text("sv", partnership.name, "volunteer", None, link)))
    sent = await deliver_many(settings, messages)
    return len(sent), [HandOver(e, link) for e, link in links.items() if e not in sent]


async def run_volunteers(
    db: AsyncSession,
    settings: Settings,
    partnership: Partnership,
    text: str,
    dry_run: bool,
    actor_id: uuid.UUID | None,
    now: Any,
) -> ImportResult:
    """Check, and unless a dry run, import and invite (the mail goes after the commit)."""
    checked = await volunteers.check(db, partnership, text, now)
    rows = len(checked.people) + len({p.line for p in checked.problems})
    if dry_run:
        return ImportResult(True, rows, checked.problems)
    secrets = await volunteers.import_people(db, partnership, checked, actor_id, now)
    await db.commit()
    mailed, links = await mail_invitations(settings, partnership, secrets)
    return ImportResult(False, rows, [], len(secrets), mailed, links)


class ImportController(Controller):
    path = "/api/partnerships/{partnership_id:uuid}"
    tags = ["imports"]

    @post(
        "/imports/volunteers",
        status_code=200,
        summary="Import volunteers from CSV (all or nothing); each is invited to set a password and consent",
    )
    async def import_volunteers(
        self, partnership_id: uuid.UUID, db: Db, state: State, request: ActorRequest, dry_run: bool = False
    ) -> ImportResult:
        partnership = await coordinated(db, request.user, partnership_id)
        text = await _text(request)
        return await run_volunteers(db, state.settings, partnership, text, dry_run, request.user.user_id, state.clock())

    @post(
        "/imports/activities",
        status_code=200,
        summary="Import activities with their weekly sessions and needs from CSV (all or nothing)",
    )
    async def import_activities(
        self, partnership_id: uuid.UUID, db: Db, state: State, request: ActorRequest, dry_run: bool = False
    ) -> ImportResult:
        partnership = await coordinated(db, request.user, partnership_id)
        checked = await activities.check(db, partnership, await _text(request))
        rows = len(checked.activities) + len({p.line for p in checked.problems})
        if dry_run:
            return ImportResult(True, rows, checked.problems)
        count = await activities.import_activities(db, partnership, checked, request.user.user_id, state.clock())
        return ImportResult(False, rows, [], count)

    @get("/exports/volunteers.csv", summary="The volunteers, in the import's CSV shape")
    async def export_volunteers(self, partnership_id: uuid.UUID, db: Db, request: ActorRequest) -> Response[str]:
        partnership = await coordinated(db, request.user, partnership_id)
        return _csv(await volunteers.export(db, partnership), f"{partnership.slug}-volunteers.csv")

    @get("/exports/activities.csv", summary="The activities, in the import's CSV shape")
    async def export_activities(self, partnership_id: uuid.UUID, db: Db, request: ActorRequest) -> Response[str]:
        partnership = await coordinated(db, request.user, partnership_id)
        return _csv(await activities.export(db, partnership), f"{partnership.slug}-activities.csv")


def _csv(text: str, filename: str) -> Response[str]:
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
