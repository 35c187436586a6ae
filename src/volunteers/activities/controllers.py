"""HTTP for partnerships, partners, activities, sessions and staffing needs."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Literal

from litestar import Controller, Request, delete, get, patch, post
from litestar.datastructures import State
from litestar.status_codes import HTTP_204_NO_CONTENT

from volunteers.accounts.actor import Actor
from volunteers.activities import schemas, services
from volunteers.db.session import Db
from volunteers.pagination import Limit, Offset, Page

ActorRequest = Request[Actor, Any, Any]


class PartnershipController(Controller):
    path = "/api/partnerships"
    tags = ["partnerships"]

    @get("/", summary="The partnerships you belong to")
    async def list_partnerships(self, db: Db, request: ActorRequest) -> list[schemas.Partnership]:
        return await services.list_partnerships(db, request.user)

    @get("/{partnership_id:uuid}", summary="One partnership")
    async def get_partnership(self, partnership_id: uuid.UUID, db: Db, request: ActorRequest) -> schemas.Partnership:
        return services.partnership_out(await services.visible_partnership(db, request.user, partnership_id))

    @get("/{partnership_id:uuid}/partners", summary="The partnership's partner organisations")
    async def list_partners(self, partnership_id: uuid.UUID, db: Db, request: ActorRequest) -> list[schemas.Partner]:
        return await services.list_partners(db, request.user, partnership_id)

    @post("/{partnership_id:uuid}/partners", summary="Add a partner organisation (coordinators)")
    async def create_partner(
        self, partnership_id: uuid.UUID, data: schemas.PartnerCreate, db: Db, request: ActorRequest
    ) -> schemas.Partner:
        return await services.create_partner(db, request.user, partnership_id, data)


class PartnerController(Controller):
    path = "/api/partners"
    tags = ["partnerships"]

    @patch("/{partner_id:uuid}", summary="Change a partner organisation (coordinators)")
    async def update_partner(
        self, partner_id: uuid.UUID, data: schemas.PartnerUpdate, db: Db, request: ActorRequest
    ) -> schemas.Partner:
        return await services.update_partner(db, request.user, partner_id, data)


class ActivityController(Controller):
    path = "/api/activities"
    tags = ["activities"]

    @get("/", summary="Activities, filterable")
    async def list_activities(
        self,
        db: Db,
        request: ActorRequest,
        partnership_id: uuid.UUID | None = None,
        partner_id: uuid.UUID | None = None,
        kind: Literal["study_circle", "sport", "workshop", "culture", "other"] | None = None,
        target_group: Literal["children", "youth", "adults", "seniors", "mixed"] | None = None,
        mine: bool = False,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Page[schemas.Activity]:
        items, total = await services.list_activities(
            db, request.user, partnership_id, partner_id, kind, target_group, mine, limit, offset
        )
        return Page(items=items, total=total, limit=limit, offset=offset)

    @post("/", summary="Create an activity (the partner's leaders, coordinators)")
    async def create_activity(self, data: schemas.ActivityCreate, db: Db, request: ActorRequest) -> schemas.Activity:
        return await services.create_activity(db, request.user, data)

    @get("/{activity_id:uuid}", summary="One activity")
    async def get_activity(self, activity_id: uuid.UUID, db: Db, request: ActorRequest) -> schemas.Activity:
        return await services.get_activity(db, request.user, activity_id)

    @patch("/{activity_id:uuid}", summary="Change an activity")
    async def update_activity(
        self, activity_id: uuid.UUID, data: schemas.ActivityUpdate, db: Db, request: ActorRequest, state: State
    ) -> schemas.Activity:
        return await services.update_activity(db, request.user, activity_id, data, state.clock())

    @post("/{activity_id:uuid}/sessions", summary="Add a session or a weekly series of sessions")
    async def create_sessions(
        self, activity_id: uuid.UUID, data: schemas.SessionCreate, db: Db, request: ActorRequest
    ) -> list[schemas.SessionOut]:
        return await services.create_sessions(db, request.user, activity_id, data)

    @get("/{activity_id:uuid}/needs", summary="The activity's staffing needs (for every session)")
    async def list_needs(self, activity_id: uuid.UUID, db: Db, request: ActorRequest) -> list[schemas.Need]:
        return await services.list_needs(db, request.user, activity_id)

    @post("/{activity_id:uuid}/needs", summary="Add a staffing need to every session of the activity")
    async def create_need(
        self, activity_id: uuid.UUID, data: schemas.NeedCreate, db: Db, request: ActorRequest, state: State
    ) -> schemas.Need:
        return await services.create_need(db, request.user, data, activity_id=activity_id, now=state.clock())


class SessionController(Controller):
    path = "/api/sessions"
    tags = ["sessions"]

    @get("/", summary="Sessions overlapping a time range")
    async def list_sessions(
        self,
        db: Db,
        request: ActorRequest,
        start: dt.datetime,
        end: dt.datetime,
        partnership_id: uuid.UUID | None = None,
        activity_id: uuid.UUID | None = None,
        partner_id: uuid.UUID | None = None,
        limit: Limit = 100,
        offset: Offset = 0,
    ) -> Page[schemas.SessionOut]:
        if start.tzinfo is None:
            start = start.replace(tzinfo=dt.UTC)
        if end.tzinfo is None:
            end = end.replace(tzinfo=dt.UTC)
        items, total = await services.list_sessions(
            db, request.user, start, end, partnership_id, activity_id, partner_id, limit, offset, cached=True
        )
        return Page(items=items, total=total, limit=limit, offset=offset)

    @get("/{session_id:uuid}", summary="One session")
    async def get_session(self, session_id: uuid.UUID, db: Db, request: ActorRequest) -> schemas.SessionOut:
        return await services.get_session(db, request.user, session_id)

    @patch("/{session_id:uuid}", summary="Move, cancel or annotate a session")
    async def update_session(
        self, session_id: uuid.UUID, data: schemas.SessionUpdate, db: Db, request: ActorRequest, state: State
    ) -> schemas.SessionOut:
        return await services.update_session(db, request.user, session_id, data, state.clock())

    @get("/{session_id:uuid}/needs", summary="The session's effective staffing needs")
    async def list_needs(self, session_id: uuid.UUID, db: Db, request: ActorRequest) -> list[schemas.Need]:
        return await services.list_needs(db, request.user, uuid.UUID(int=0), session_id=session_id)

    @post("/{session_id:uuid}/needs", summary="Adjust a need for this session only")
    async def create_need(
        self, session_id: uuid.UUID, data: schemas.NeedCreate, db: Db, request: ActorRequest, state: State
    ) -> schemas.Need:
        return await services.create_need(db, request.user, data, session_id=session_id, now=state.clock())


class NeedController(Controller):
    path = "/api/needs"
    tags = ["activities"]

    @patch("/{need_id:uuid}", summary="Change a staffing need")
    async def update_need(
        self, need_id: uuid.UUID, data: schemas.NeedUpdate, db: Db, request: ActorRequest, state: State
    ) -> schemas.Need:
        return await services.update_need(db, request.user, need_id, data, state.clock())

    @delete("/{need_id:uuid}", status_code=HTTP_204_NO_CONTENT, summary="Remove a staffing need")
    async def delete_need(
        self, need_id: uuid.UUID, db: Db, request: ActorRequest, state: State, confirm: bool = False
    ) -> None:
        await services.delete_need(db, request.user, need_id, state.clock(), confirm=confirm)
