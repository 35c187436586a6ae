"""HTTP for attendance, endorsements, trainings and the experience record."""

from __future__ import annotations

import uuid
from typing import Any
from zoneinfo import ZoneInfo

from litestar import Controller, Request, get, post
from litestar.datastructures import State

from volunteers.accounts.actor import Actor
from volunteers.accounts.middleware import coordinator_only, staff_only
from volunteers.db.session import Db
from volunteers.experience import record, schemas, services

ActorRequest = Request[Actor, Any, Any]


class AttendanceController(Controller):
    path = "/api/sessions/{session_id:uuid}/attendance"
    tags = ["experience"]

    @get("/", guards=[staff_only], summary="Who was expected on the session and what is confirmed")
    async def show(self, session_id: uuid.UUID, db: Db, request: ActorRequest) -> list[schemas.AttendanceOut]:
        return await services.session_attendance(db, request.user, session_id)

    @post(
        "/",
        guards=[staff_only],
        status_code=200,
        summary="Confirm attendance and minutes for the whole session (again to correct)",
    )
    async def confirm(
        self, session_id: uuid.UUID, data: schemas.AttendanceIn, db: Db, request: ActorRequest, state: State
    ) -> schemas.SessionAttendance:
        return await services.confirm_attendance(db, request.user, session_id, data, state.clock())


class ExperienceController(Controller):
    path = "/api/volunteers/{volunteer_id:uuid}"
    tags = ["experience"]

    @get("/experience", summary="The experience record: verified hours, skills, trainings, goals")
    async def experience(
        self, volunteer_id: uuid.UUID, db: Db, request: ActorRequest, state: State
    ) -> schemas.Experience:
        return await record.experience(db, request.user, volunteer_id, state.clock())

    @post("/endorsements", guards=[staff_only], summary="Endorse a skill you saw the volunteer use")
    async def endorse(
        self, volunteer_id: uuid.UUID, data: schemas.EndorsementIn, db: Db, request: ActorRequest
    ) -> schemas.EndorsementOut:
        return await services.endorse(db, request.user, volunteer_id, data)

    @get("/endorsements", summary="A volunteer's endorsements (the volunteer, coordinators)")
    async def endorsements(
        self, volunteer_id: uuid.UUID, db: Db, request: ActorRequest
    ) -> list[schemas.EndorsementOut]:
        return await services.list_endorsements(db, request.user, volunteer_id)

    @post("/trainings", guards=[coordinator_only], summary="Record a completed training (coordinators)")
    async def training(
        self, volunteer_id: uuid.UUID, data: schemas.TrainingIn, db: Db, request: ActorRequest, state: State
    ) -> schemas.TrainingOut:
        today = state.clock().astimezone(ZoneInfo(state.settings.timezone)).date()
        return await services.record_training(db, request.user, volunteer_id, data, today)
