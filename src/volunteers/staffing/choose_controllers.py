"""HTTP for volunteers' own choices: open places, waiting lists, offers of freed places, swaps, settings."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, delete, get, post, put
from litestar.datastructures import State
from sqlalchemy import select, update

from volunteers.accounts.actor import Actor
from volunteers.accounts.middleware import coordinator_only, staff_only
from volunteers.db.models import Activity, ActivityKind, Partnership, Skill
from volunteers.db.session import Db
from volunteers.errors import InvalidInput, NotFound
from volunteers.staffing import replacement, schemas, signup, swaps
from volunteers.staffing.replacement import OFFER_HOURS_MAX
from volunteers.web.place_words import words

ActorRequest = Request[Actor, Any, Any]
RoleName = Annotated[str, msgspec.Meta(min_length=1, max_length=80)]


class Reason(msgspec.Struct):
    code: str
    params: dict[str, Any]
    words: str
    fix: str
    fix_url: str


class OpenPlaceOut(msgspec.Struct):
    session_id: uuid.UUID
    activity_id: uuid.UUID
    activity_name: str
    kind: str
    partner_id: uuid.UUID
    partner_name: str
    place: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    role: str
    count: int
    free: int
    may_take: bool
    may_wait: bool
    waiting: bool
    reasons: list[Reason]


class TakeIn(msgspec.Struct, forbid_unknown_fields=True):
    role: RoleName


class SwapIn(msgspec.Struct, forbid_unknown_fields=True):
    # A volunteer's e-mail address; leave out to offer the place to the best eligible volunteers.
    to: Annotated[str, msgspec.Meta(max_length=320)] | None = None


class SwapOut(msgspec.Struct):
    offers: int


class AnswerIn(msgspec.Struct, forbid_unknown_fields=True):
    yes: bool


class OfferOut(msgspec.Struct):
    id: uuid.UUID
    kind: str
    session_id: uuid.UUID
    activity_name: str
    place: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    role: str
    expires_at: dt.datetime | None  # unanswered by then, the offer passes to the next who fits


class SignupSettings(msgspec.Struct, forbid_unknown_fields=True):
    leader_confirms: bool
    open_activity_ids: Annotated[list[uuid.UUID], msgspec.Meta(max_length=2000)]
    # How long an offer of a freed place waits for an answer (never past the start); left out: unchanged.
    offer_hours: Annotated[int, msgspec.Meta(ge=1, le=OFFER_HOURS_MAX)] | None = None


async def skill_labels(db: Db, lang: str) -> dict[str, str]:
    rows = (await db.execute(select(Skill.code, Skill.label_sv, Skill.label_en))).all()
    return {code: (en if lang == "en" else sv) for code, sv, en in rows}


def place_out(place: signup.OpenPlace, lang: str, labels: dict[str, str]) -> OpenPlaceOut:
    reasons = []
    for h in place.hindrances:
        w = words(lang, h.code, h.params, labels)
        reasons.append(Reason(h.code, {k: v for k, v in h.params.items()}, w.text, w.fix, w.fix_url))
    return OpenPlaceOut(
        place.session_id,
        place.activity_id,
        place.activity_name,
        place.kind,
        place.partner_id,
        place.partner_name,
        place.place,
        place.starts_at,
        place.ends_at,
        place.role,
        place.count,
        place.free,
        place.may_take,
        place.may_wait,
        place.waiting,
        reasons,
    )


class OpenPlaceController(Controller):
    path = "/api/open-places"
    tags = ["choosing"]

    @get("/", summary="Open places I may take, and why not where I may not")
    async def list_places(
        self,
        db: Db,
        request: ActorRequest,
        state: State,
        day: dt.date | None = None,
        kind: ActivityKind | None = None,
        partner_id: uuid.UUID | None = None,
    ) -> list[OpenPlaceOut]:
        lang = "en" if request.user.locale == "en" else "sv"
        places = await signup.open_places(
            db, request.user, state.clock(), day=day, kind=kind.value if kind else None, partner_id=partner_id
        )
        labels = await skill_labels(db, lang)
        return [place_out(p, lang, labels) for p in places]

    @post("/{session_id:uuid}/take", status_code=200, summary="Take an open place (the rules are checked again)")
    async def take(
        self, session_id: uuid.UUID, data: TakeIn, db: Db, request: ActorRequest, state: State
    ) -> schemas.AssignmentOut:
        return await signup.take(db, request.user, session_id, data.role, state.clock())

    @post("/{session_id:uuid}/waiting-list", status_code=204, summary="Join a full session's waiting list")
    async def wait(self, session_id: uuid.UUID, data: TakeIn, db: Db, request: ActorRequest, state: State) -> None:
        await signup.join_waiting_list(db, request.user, session_id, data.role, state.clock())

    @delete("/{session_id:uuid}/waiting-list", status_code=204, summary="Leave a waiting list")
    async def leave(self, session_id: uuid.UUID, db: Db, request: ActorRequest) -> None:
        await signup.leave_waiting_list(db, request.user, session_id)


class OfferController(Controller):
    path = "/api/offers"
    tags = ["choosing"]

    @get("/mine", summary="Freed places offered to me")
    async def mine(self, db: Db, request: ActorRequest, state: State) -> list[OfferOut]:
        return [OfferOut(**vars(o)) for o in await replacement.my_offers(db, request.user, state.clock())]

    @post("/{offer_id:uuid}/take", status_code=200, summary="Take an offered place: the first to take it gets it")
    async def take(self, offer_id: uuid.UUID, db: Db, request: ActorRequest, state: State) -> schemas.AssignmentOut:
        return await replacement.take_offer(db, request.user, offer_id, state.clock(), state.settings.base_url)

    @post("/{offer_id:uuid}/decline", status_code=204, summary="Say no to an offered place")
    async def decline(self, offer_id: uuid.UUID, db: Db, request: ActorRequest, state: State) -> None:
        await replacement.decline_offer(db, request.user, offer_id, state.clock())


@post("/api/assignments/{assignment_id:uuid}/swap", status_code=200, tags=["choosing"], summary="Offer my place")
async def offer_swap(
    assignment_id: uuid.UUID, db: Db, request: ActorRequest, state: State, data: SwapIn | None = None
) -> SwapOut:
    n = await swaps.offer_swap(
        db, request.user, assignment_id, data.to if data else None, state.clock(), state.settings.base_url
    )
    return SwapOut(n)


@post(
    "/api/assignments/{assignment_id:uuid}/signup-answer",
    guards=[staff_only],
    status_code=200,
    tags=["choosing"],
    summary="A leader says yes or no to a sign-up that waits for them",
)
async def answer_signup(
    assignment_id: uuid.UUID, data: AnswerIn, db: Db, request: ActorRequest, state: State
) -> schemas.AssignmentOut:
    return await signup.confirm_signup(db, request.user, assignment_id, data.yes, state.clock())


@put(
    "/api/partnerships/{partnership_id:uuid}/signup-settings",
    guards=[coordinator_only],
    tags=["choosing"],
    summary="Which activities volunteers may sign up to themselves, and whether a leader confirms",
)
async def signup_settings(
    partnership_id: uuid.UUID, data: SignupSettings, db: Db, request: ActorRequest
) -> SignupSettings:
    if not request.user.is_coordinator(partnership_id):
        raise NotFound(f"partnership {partnership_id} not found")
    p = await db.get(Partnership, partnership_id)
    assert p is not None
    wanted = set(data.open_activity_ids)
    known = set((await db.execute(select(Activity.id).where(Activity.partnership_id == p.id))).scalars())
    unknown = wanted - known
    if unknown:
        raise InvalidInput("open_activity_ids", f"unknown activity {sorted(unknown)[0]}")
    p.signup_leader_confirms = data.leader_confirms
    if data.offer_hours is not None:
        p.offer_hours = data.offer_hours
    await db.execute(
        update(Activity).where(Activity.partnership_id == p.id).values(open_for_signup=Activity.id.in_(wanted))
    )
    await db.flush()
    return SignupSettings(data.leader_confirms, data.open_activity_ids, p.offer_hours)


choose_routes = [OpenPlaceController, OfferController, offer_swap, answer_signup, signup_settings]
