"""HTTP for references on request (rules in references.py)."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, Request, get, patch, post, put
from litestar.datastructures import State

from volunteers.accounts.actor import Actor
from volunteers.certify import references
from volunteers.certify.references import ReferenceAnswer, ReferenceAsk, ReferenceChoice, ReferenceOut
from volunteers.db.session import Db

ActorRequest = Request[Actor, Any, Any]


class VolunteerReferenceController(Controller):
    path = "/api/volunteers/{volunteer_id:uuid}/references"
    tags = ["references"]

    @post("/", summary="Ask the leaders of an activity you worked on for a reference (the volunteer)")
    async def ask(self, volunteer_id: uuid.UUID, data: ReferenceAsk, db: Db, request: ActorRequest) -> ReferenceOut:
        return await references.ask(db, request.user, volunteer_id, data)

    @get("/", summary="Your reference requests and references (the volunteer)")
    async def mine(self, volunteer_id: uuid.UUID, db: Db, request: ActorRequest) -> list[ReferenceOut]:
        return await references.for_volunteer(db, request.user, volunteer_id)


class ReferenceController(Controller):
    path = "/api/references"
    tags = ["references"]

    @get("/", summary="Requests about your partners' activities (leaders)")
    async def inbox(self, db: Db, request: ActorRequest) -> list[ReferenceOut]:
        return await references.for_leader(db, request.user)

    @put("/{reference_id:uuid}", summary="Approve with your words, or decline (a leader of the activity)")
    async def answer(
        self, reference_id: uuid.UUID, data: ReferenceAnswer, db: Db, request: ActorRequest, state: State
    ) -> ReferenceOut:
        return await references.answer(db, request.user, reference_id, data, state.clock())

    @patch("/{reference_id:uuid}", summary="Include an approved reference in your next certificate, or not")
    async def choose(
        self, reference_id: uuid.UUID, data: ReferenceChoice, db: Db, request: ActorRequest
    ) -> ReferenceOut:
        return await references.choose(db, request.user, reference_id, data)


reference_api = [VolunteerReferenceController, ReferenceController]
