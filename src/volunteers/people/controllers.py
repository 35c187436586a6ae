"""HTTP for volunteer profiles, availability, background checks and the skills catalogue."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any
from zoneinfo import ZoneInfo

from litestar import Controller, Request, delete, get, patch, post, put
from litestar.datastructures import State
from litestar.params import Parameter

from volunteers.accounts.actor import Actor
from volunteers.accounts.middleware import coordinator_only
from volunteers.db.session import AUDITED_READ, Db
from volunteers.errors import NotFound
from volunteers.pagination import Limit, Offset, Page
from volunteers.people import records, schemas, services

ActorRequest = Request[Actor, Any, Any]


class VolunteerController(Controller):
    path = "/api/volunteers"
    tags = ["volunteers"]

    @get("/me", summary="My own volunteer profile")
    async def my_profile(self, db: Db, request: ActorRequest) -> schemas.Profile:
        if request.user.profile_id is None:
            raise NotFound("you have no volunteer profile")
        result = await services.get_profile(db, request.user, request.user.profile_id)
        assert isinstance(result, schemas.Profile)
        return result

    @get("/", guards=[coordinator_only], summary="Search volunteers (coordinators)")
    async def list_volunteers(
        self,
        db: Db,
        request: ActorRequest,
        partnership_id: uuid.UUID | None = None,
        q: str | None = Parameter(default=None, max_length=100),
        skill: str | None = Parameter(default=None, max_length=80),
        language: str | None = Parameter(default=None, max_length=3),
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Page[schemas.Profile]:
        items, total = await services.list_volunteers(
            db, request.user, partnership_id, q, skill, language, limit, offset
        )
        return Page(items=items, total=total, limit=limit, offset=offset)

    @get("/{volunteer_id:uuid}", summary="A volunteer's profile, as far as your role may see it")
    async def get_profile(
        self, volunteer_id: uuid.UUID, db: Db, request: ActorRequest
    ) -> schemas.Profile | schemas.ProfileForLeader:
        return await services.get_profile(db, request.user, volunteer_id)

    @patch(
        "/{volunteer_id:uuid}",
        summary="Change your own profile (a coordinator: correct the birth date, sent alone)",
        description=(
            "A coordinator sends `birth_date` (and `confirm`) alone. If the new date would break a rule for "
            "the volunteer's held places (ages, minors' hours, background checks, a guardian's consent), "
            "the answer is 409 `would_release` listing them; with `confirm: true` they are released."
        ),
    )
    async def update_profile(
        self, volunteer_id: uuid.UUID, data: schemas.ProfileUpdate, db: Db, request: ActorRequest, state: State
    ) -> schemas.Profile:
        return await services.update_profile(db, request.user, volunteer_id, data, state.clock())

    @get("/{volunteer_id:uuid}/availability", summary="Weekly rules and dated exceptions")
    async def get_availability(self, volunteer_id: uuid.UUID, db: Db, request: ActorRequest) -> schemas.Availability:
        return await services.get_availability(db, request.user, volunteer_id)

    @put("/{volunteer_id:uuid}/availability", summary="Replace your weekly rules and exceptions")
    async def put_availability(
        self, volunteer_id: uuid.UUID, data: schemas.AvailabilityIn, db: Db, request: ActorRequest, state: State
    ) -> schemas.Availability:
        return await services.replace_availability(db, request.user, volunteer_id, data, state.clock())

    @get("/{volunteer_id:uuid}/availability/expanded", summary="Availability as concrete intervals")
    async def expanded(
        self,
        volunteer_id: uuid.UUID,
        db: Db,
        request: ActorRequest,
        start: dt.date,
        end: dt.date,
    ) -> schemas.ExpandedAvailability:
        return await services.expanded_availability(db, request.user, volunteer_id, start, end)

    @post(
        "/{volunteer_id:uuid}/background-checks",
        guards=[coordinator_only],
        summary="Record that a background-check extract was seen (date only, never a copy)",
    )
    async def record_check(
        self,
        volunteer_id: uuid.UUID,
        data: schemas.BackgroundCheckIn,
        db: Db,
        request: ActorRequest,
        state: State,
    ) -> schemas.BackgroundCheckOut:
        today = state.clock().astimezone(ZoneInfo(state.settings.timezone)).date()
        return await services.record_background_check(db, request.user, volunteer_id, data, today)

    @patch(
        "/{volunteer_id:uuid}/background-checks/{check_id:uuid}",
        guards=[coordinator_only],
        summary="Correct the date a background-check extract was seen (409 would_release unless confirm)",
    )
    async def correct_check(
        self,
        volunteer_id: uuid.UUID,
        check_id: uuid.UUID,
        data: schemas.BackgroundCheckCorrection,
        db: Db,
        request: ActorRequest,
        state: State,
    ) -> schemas.BackgroundCheckOut:
        return await records.correct_background_check(db, request.user, volunteer_id, check_id, data, state.clock())

    @delete(
        "/{volunteer_id:uuid}/background-checks/{check_id:uuid}",
        guards=[coordinator_only],
        summary="Remove a background-check record made in error (409 would_release unless ?confirm=true)",
    )
    async def remove_check(
        self,
        volunteer_id: uuid.UUID,
        check_id: uuid.UUID,
        db: Db,
        request: ActorRequest,
        state: State,
        confirm: bool = False,
    ) -> None:
        await records.remove_background_check(db, request.user, volunteer_id, check_id, state.clock(), confirm)

    @post(
        "/{volunteer_id:uuid}/guardian-consent",
        guards=[coordinator_only],
        summary="Record a guardian's consent for a volunteer under 16",
    )
    async def record_guardian_consent(
        self, volunteer_id: uuid.UUID, data: schemas.GuardianConsentIn, db: Db, request: ActorRequest, state: State
    ) -> schemas.Profile:
        profile, user = await records.record_guardian_consent(db, request.user, volunteer_id, data, state.clock())
        return await services.profile_out(db, profile, user)

    @delete(
        "/{volunteer_id:uuid}/guardian-consent",
        guards=[coordinator_only],
        summary="Record that the guardian withdrew their consent (409 would_release unless ?confirm=true)",
        status_code=200,
    )
    async def withdraw_guardian_consent(
        self, volunteer_id: uuid.UUID, db: Db, request: ActorRequest, state: State, confirm: bool = False
    ) -> schemas.Profile:
        profile, user = await records.withdraw_guardian_consent(db, request.user, volunteer_id, state.clock(), confirm)
        return await services.profile_out(db, profile, user)

    @get(
        "/{volunteer_id:uuid}/background-checks",
        guards=[coordinator_only],
        summary="Background-check records (every read is audited)",
        opt={AUDITED_READ: True},
    )
    async def list_checks(
        self, volunteer_id: uuid.UUID, db: Db, request: ActorRequest
    ) -> list[schemas.BackgroundCheckOut]:
        return await services.list_background_checks(db, request.user, volunteer_id)


@get("/api/skills", tags=["skills"], summary="The skills catalogue (ESCO-mapped)")
async def list_skills(db: Db, q: str | None = Parameter(default=None, max_length=100)) -> list[schemas.Skill]:
    return await services.list_skills(db, q)
