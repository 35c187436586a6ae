"""HTTP for the GDPR self-service: export and erasure."""

from __future__ import annotations

import uuid
from typing import Any

import msgspec
from litestar import Request, Response, get, post
from litestar.datastructures import State
from litestar.status_codes import HTTP_204_NO_CONTENT

from volunteers import limits
from volunteers.accounts.actor import Actor
from volunteers.db.session import AUDITED_READ, Db
from volunteers.errors import InvalidInput
from volunteers.privacy import services


class ErasureIn(msgspec.Struct, forbid_unknown_fields=True):
    confirm: limits.Line200


@get(
    "/api/volunteers/{volunteer_id:uuid}/export",
    tags=["privacy"],
    summary="Everything stored about a volunteer (zip)",
    opt={AUDITED_READ: True},
)
async def export_volunteer(
    volunteer_id: uuid.UUID, db: Db, request: Request[Actor, Any, Any], state: State
) -> Response[bytes]:
    body = await services.export(db, request.user, volunteer_id, state.clock())
    return Response(
        body,
        media_type="application/zip",
        headers={"Content-Disposition": 'attachment; filename="samverka-export.zip"'},
    )


@post(
    "/api/volunteers/{volunteer_id:uuid}/erase",
    status_code=HTTP_204_NO_CONTENT,
    tags=["privacy"],
    summary='Erase a volunteer\'s personal data (give confirm: "ERASE")',
)
async def erase_volunteer(
    volunteer_id: uuid.UUID, data: ErasureIn, db: Db, request: Request[Actor, Any, Any], state: State
) -> None:
    if data.confirm != "ERASE":
        raise InvalidInput("confirm", 'type "ERASE" to confirm')
    # The erased person's log-in sessions are deleted with the rest, so their cookie is dead.
    await services.erase(db, request.user, volunteer_id, state.clock())
