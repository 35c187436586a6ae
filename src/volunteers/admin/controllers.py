"""The audit log, for coordinators."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import msgspec
from litestar import Request, get
from litestar.params import Parameter
from sqlalchemy import func, select

from volunteers.accounts.actor import Actor
from volunteers.accounts.middleware import coordinator_only
from volunteers.db.models import AuditEntry, User
from volunteers.db.session import Db
from volunteers.errors import NotFound
from volunteers.pagination import Limit, Offset, Page


class AuditEntryOut(msgspec.Struct):
    id: uuid.UUID
    at: dt.datetime
    actor: str | None
    action: str
    subject_type: str
    subject_id: str
    detail: dict[str, Any]


@get("/api/audit", guards=[coordinator_only], tags=["audit"], summary="The audit log of a partnership, newest first")
async def audit_log(
    db: Db,
    request: Request[Actor, Any, Any],
    partnership_id: uuid.UUID,
    action: str | None = Parameter(default=None, max_length=80),
    subject_id: str | None = Parameter(default=None, max_length=80),
    limit: Limit = 100,
    offset: Offset = 0,
) -> Page[AuditEntryOut]:
    if not request.user.is_coordinator(partnership_id):
        raise NotFound(f"partnership {partnership_id} not found")
    stmt = (
        select(AuditEntry, User.display_name)
        .outerjoin(User, User.id == AuditEntry.actor_id)
        .where(AuditEntry.partnership_id == partnership_id)
    )
    if action:
        stmt = stmt.where(AuditEntry.action == action)
    if subject_id:
        stmt = stmt.where(AuditEntry.subject_id == subject_id)
    total = (await db.execute(select(func.count()).select_from(stmt.subquery()))).scalar_one()
    rows = (await db.execute(stmt.order_by(AuditEntry.created_at.desc()).limit(limit).offset(offset))).all()
    items = [
        AuditEntryOut(e.id, e.created_at, name, e.action, e.subject_type, e.subject_id, dict(e.detail))
        for e, name in rows
    ]
    return Page(items=items, total=total, limit=limit, offset=offset)
