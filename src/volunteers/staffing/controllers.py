"""HTTP for match runs, staff requests, assignments, fill status and the calendar feed."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import State
from litestar.params import Parameter
from litestar.status_codes import HTTP_202_ACCEPTED

from volunteers.accounts.actor import Actor
from volunteers.accounts.middleware import coordinator_only, staff_only
from volunteers.accounts.ratelimit import rate_limited
from volunteers.db.models import MatchRun
from volunteers.db.session import Db
from volunteers.errors import NotFound
from volunteers.pagination import Limit, Offset, Page
from volunteers.staffing import assignments, calendar, runs, schemas
from volunteers.staffing.publishing import publish
from volunteers.staffing.replacement import decline_and_replace

ActorRequest = Request[Actor, Any, Any]
Wait = Annotated[float, Parameter(ge=0, le=60, description="Wait up to this many seconds for the run to finish")]


class MatchRunController(Controller):
    path = "/api/match-runs"
    tags = ["staffing"]

    @post("/", guards=[coordinator_only], status_code=HTTP_202_ACCEPTED, summary="Start a match run for a period")
    async def start(self, data: schemas.RunCreate, db: Db, request: ActorRequest, state: State) -> schemas.Run:
        run = await runs.create_run(db, request.user, data, state.settings.match_time_limit_seconds)
        await db.commit()
        state.runner.schedule(run.id)
        return runs.run_out(run)

    @get("/", summary="Match runs of a partnership, newest first")
    async def list_runs(
        self, db: Db, request: ActorRequest, partnership_id: uuid.UUID, limit: Limit = 20, offset: Offset = 0
    ) -> Page[schemas.Run]:
        from sqlalchemy import func, select

        if not request.user.is_coordinator(partnership_id):
            raise NotFound(f"partnership {partnership_id} not found")
        stmt = select(MatchRun).where(MatchRun.partnership_id == partnership_id)
        total = (await db.execute(select(func.count()).select_from(stmt.subquery()))).scalar_one()
        rows = (await db.execute(stmt.order_by(MatchRun.created_at.desc()).limit(limit).offset(offset))).scalars()
        return Page(items=[runs.run_out(r) for r in rows], total=total, limit=limit, offset=offset)

    @get("/{run_id:uuid}", summary="A run's status (optionally waiting for it), proposals, shortages and changes")
    async def get_run(
        self, run_id: uuid.UUID, db: Db, request: ActorRequest, state: State, wait: Wait = 0
    ) -> schemas.RunReview:
        await runs.visible_run(db, request.user, run_id, documents=False)
        if wait:
            await db.rollback()  # don't hold a snapshot (or SQLite's lock) while waiting
            await state.runner.wait(run_id, wait)
        return await runs.review(db, request.user, run_id)

    @post("/{run_id:uuid}/publish", guards=[coordinator_only], summary="Publish the plan: proposals to volunteers")
    async def publish(
        self,
        run_id: uuid.UUID,
        db: Db,
        request: ActorRequest,
        state: State,
        data: schemas.ConfirmIn | None = None,
        confirm: bool = False,
    ) -> schemas.Run:
        confirmed = confirm or bool(data and data.confirm)
        run = await publish(db, request.user, run_id, state.clock(), state.settings.base_url, confirm=confirmed)
        return runs.run_out(run)


@post(
    "/api/staff-requests",
    guards=[staff_only],
    status_code=HTTP_202_ACCEPTED,
    tags=["staffing"],
    summary="A leader asks for people",
)
async def request_staff(data: schemas.StaffRequest, db: Db, request: ActorRequest, state: State) -> schemas.Run:
    run = await runs.create_leader_request(db, request.user, data, state.settings.match_time_limit_seconds)
    await db.commit()
    state.runner.schedule(run.id)
    return runs.run_out(run)


class AssignmentController(Controller):
    path = "/api/assignments"
    tags = ["staffing"]

    @get("/mine", summary="My proposals and upcoming sessions")
    async def mine(
        self, db: Db, request: ActorRequest, state: State, past: bool = False
    ) -> list[schemas.AssignmentOut]:
        return await assignments.my_assignments(db, request.user, state.clock(), include_past=past)

    @post("/{assignment_id:uuid}/accept", status_code=200, summary="Accept a proposal")
    async def accept(
        self, assignment_id: uuid.UUID, db: Db, request: ActorRequest, state: State
    ) -> schemas.AssignmentOut:
        return await assignments.accept(db, request.user, assignment_id, state.clock())

    @post("/{assignment_id:uuid}/decline", status_code=200, summary="Decline a proposal, or cancel an accepted session")
    async def decline(
        self,
        assignment_id: uuid.UUID,
        db: Db,
        request: ActorRequest,
        state: State,
        data: schemas.DeclineIn | None = None,
    ) -> schemas.AssignmentOut:
        reason = data.reason if data else ""
        # The reason goes to the leader, and the freed place is offered at once (staffing.replacement).
        out, _ = await decline_and_replace(
            db, request.user, assignment_id, reason, state.clock(), state.settings.base_url
        )
        return out

    @post(
        "/{assignment_id:uuid}/withdraw",
        guards=[coordinator_only],
        status_code=200,
        summary="Withdraw an assignment (coordinators)",
    )
    async def withdraw(
        self,
        assignment_id: uuid.UUID,
        db: Db,
        request: ActorRequest,
        state: State,
        data: schemas.DeclineIn | None = None,
    ) -> schemas.AssignmentOut:
        reason = data.reason if data else ""
        return await assignments.unassign(db, request.user, assignment_id, reason, state.clock())


class SessionStaffingController(Controller):
    path = "/api/sessions/{session_id:uuid}"
    tags = ["staffing"]

    @get("/staffing", guards=[staff_only], summary="Fill status and who is on the session")
    async def staffing(self, session_id: uuid.UUID, db: Db, request: ActorRequest) -> schemas.SessionStaffing:
        return await assignments.session_staffing(db, request.user, session_id)

    @post("/assignments", guards=[coordinator_only], summary="Assign a volunteer by hand (hard rules still hold)")
    async def hand_assign(
        self, session_id: uuid.UUID, data: schemas.HandAssignmentIn, db: Db, request: ActorRequest, state: State
    ) -> schemas.AssignmentOut:
        return await assignments.hand_assign(db, request.user, session_id, data, state.clock())


@get(
    "/calendar/{token:str}",
    opt={"public": True},
    guards=[rate_limited("calendar", 60)],
    tags=["staffing"],
    summary="A volunteer's private calendar feed (the token is the secret)",
    media_type="text/calendar",
)
async def calendar_feed(token: str, db: Db, state: State) -> Response[bytes]:
    token = token.removesuffix(".ics")
    body = await calendar.feed(db, token, state.clock(), state.settings.base_url)
    return Response(body, media_type="text/calendar; charset=utf-8")


@post(
    "/api/partnerships/{partnership_id:uuid}/rules-watch",
    guards=[coordinator_only],
    status_code=200,
    tags=["staffing"],
    summary="Check every future held assignment against the rules (confirm: true releases what breaks one)",
)
async def rules_watch(
    partnership_id: uuid.UUID, db: Db, request: ActorRequest, state: State, data: schemas.ConfirmIn | None = None
) -> dict[str, Any]:
    from volunteers.db.models import Partnership
    from volunteers.staffing.checks import audit_check_reads
    from volunteers.staffing.watch import watch

    partnership = await db.get(Partnership, partnership_id)
    if partnership is None or not request.user.is_coordinator(partnership_id):
        raise NotFound(f"partnership {partnership_id} not found")
    report = await watch(db, partnership, state.clock(), release=bool(data and data.confirm), by=request.user.user_id)
    # The warnings name volunteers whose checks run out, and when: an audited read.
    audit_check_reads(
        db, request.user, partnership.id, (uuid.UUID(w["volunteer_id"]) for w in report.warnings), "rules_watch"
    )
    return {"breaches": report.breaches, "warnings": report.warnings, "released": report.released}
