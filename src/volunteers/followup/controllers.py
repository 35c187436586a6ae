"""HTTP for a volunteer's own follow-up answers."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, Request, delete, get, post
from litestar.datastructures import State

from volunteers.accounts.actor import Actor
from volunteers.db.session import Db
from volunteers.followup import schemas, services

ActorRequest = Request[Actor, Any, Any]


class FollowUpController(Controller):
    path = "/api"
    tags = ["follow-ups"]

    @post("/me/follow-ups", summary="Answer the follow-up (working, studying, looking for work, other), with consent")
    async def answer(
        self, data: schemas.FollowUpIn, db: Db, request: ActorRequest, state: State
    ) -> schemas.FollowUpOut:
        return await services.record_answer(db, request.user, data, state.clock())

    @get("/me/follow-ups", summary="My own follow-up answers, newest first")
    async def mine(self, db: Db, request: ActorRequest) -> schemas.FollowUpHistory:
        return await services.my_history(db, request.user)

    @delete("/me/follow-ups", summary="Withdraw consent: my answers are deleted and reminders stop")
    async def withdraw(self, db: Db, request: ActorRequest, state: State) -> None:
        await services.withdraw(db, request.user, state.clock())

    @get("/volunteers/{volunteer_id:uuid}/follow-ups", summary="A volunteer's answers: for that volunteer only")
    async def of_volunteer(self, volunteer_id: uuid.UUID, db: Db, request: ActorRequest) -> schemas.FollowUpHistory:
        return await services.volunteer_history(db, request.user, volunteer_id)
