"""HTTP for own hours: a volunteer reports, the activity's leader approves or not."""

from __future__ import annotations

import uuid
from typing import Any
from zoneinfo import ZoneInfo

from litestar import Controller, Request, get, post
from litestar.datastructures import State

from volunteers.accounts.actor import Actor
from volunteers.accounts.middleware import staff_only
from volunteers.db.session import Db
from volunteers.experience import own_hours

ActorRequest = Request[Actor, Any, Any]


class OwnHoursController(Controller):
    path = "/api/own-hours"
    tags = ["experience"]

    @post("/", summary="Report time of my own (preparation, a trip) for the leader to approve")
    async def report(
        self, data: own_hours.OwnHoursIn, db: Db, request: ActorRequest, state: State
    ) -> own_hours.OwnHoursOut:
        today = state.clock().astimezone(ZoneInfo(state.settings.timezone)).date()
        return await own_hours.report(db, request.user, data, today)

    @get("/mine", summary="The time I reported, and what the leaders said")
    async def mine(self, db: Db, request: ActorRequest) -> list[own_hours.OwnHoursOut]:
        return await own_hours.mine(db, request.user)

    @get("/pending", guards=[staff_only], summary="Reported time waiting for my decision")
    async def pending(self, db: Db, request: ActorRequest) -> list[own_hours.OwnHoursOut]:
        return await own_hours.to_decide(db, request.user)

    @post("/{hours_id:uuid}/decision", guards=[staff_only], status_code=200, summary="Approve reported time, or not")
    async def decision(
        self, hours_id: uuid.UUID, data: own_hours.DecisionIn, db: Db, request: ActorRequest, state: State
    ) -> own_hours.OwnHoursOut:
        return await own_hours.decide(db, request.user, hours_id, data.approve, state.clock())
