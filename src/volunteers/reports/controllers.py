"""HTTP for the coordinators' reports: the impact report (JSON, CSV, PDF) and volunteer lists."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from typing import Any, Literal

from litestar import Controller, Request, Response, get, post, put
from litestar.datastructures import State
from litestar.params import Parameter

from volunteers.accounts.actor import Actor
from volunteers.accounts.middleware import coordinator_only
from volunteers.db.session import Db
from volunteers.errors import InvalidInput
from volunteers.pagination import Limit, Offset, Page
from volunteers.reports import goals, lists, published, render, schemas, services

ActorRequest = Request[Actor, Any, Any]
Lang = Literal["sv", "en"]


def _filename(r: schemas.ImpactReport, ext: str) -> str:
    return f"impact-{r.start.isoformat()}-{r.end.isoformat()}.{ext}"


class ReportController(Controller):
    path = "/api/reports"
    tags = ["reports"]
    guards = [coordinator_only]

    @get("/impact", summary="The impact report of a partnership for a period (small cells suppressed)")
    async def impact(
        self,
        db: Db,
        request: ActorRequest,
        state: State,
        partnership_id: uuid.UUID | None = None,
        start: dt.date | None = None,
        end: dt.date | None = None,
        lang: Lang | None = None,
    ) -> schemas.ImpactReport:
        return await services.impact_report(db, request.user, partnership_id, start, end, state.clock(), lang)

    @get("/goals", summary="The partnership's goals: indicators (figures of the report) and targets")
    async def goals(self, db: Db, request: ActorRequest, partnership_id: uuid.UUID | None = None) -> list[schemas.Goal]:
        p = await services.coordinated_partnership(db, request.user, partnership_id)
        return await goals.read_goals(db, p.id)

    @put("/goals", summary="Replace the partnership's goals (indicator: one of the report's figures)")
    async def set_goals(
        self, db: Db, request: ActorRequest, data: list[schemas.Goal], partnership_id: uuid.UUID | None = None
    ) -> list[schemas.Goal]:
        if len(data) > 50:
            raise InvalidInput("goals", "at most 50 goals")
        p = await services.coordinated_partnership(db, request.user, partnership_id)
        return await goals.replace_goals(db, p.id, data)

    @get("/impact.csv", summary="The impact report as CSV", media_type="text/csv; charset=utf-8")
    async def impact_csv(
        self,
        db: Db,
        request: ActorRequest,
        state: State,
        partnership_id: uuid.UUID | None = None,
        start: dt.date | None = None,
        end: dt.date | None = None,
        lang: Lang | None = None,
    ) -> Response[str]:
        r = await services.impact_report(db, request.user, partnership_id, start, end, state.clock(), lang)
        return Response(
            render.impact_csv(r),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{_filename(r, "csv")}"'},
        )

    @get("/impact.pdf", summary="The impact report as a PDF for the steering group", media_type="application/pdf")
    async def impact_pdf(
        self,
        db: Db,
        request: ActorRequest,
        state: State,
        partnership_id: uuid.UUID | None = None,
        start: dt.date | None = None,
        end: dt.date | None = None,
        lang: Lang | None = None,
    ) -> Response[bytes]:
        r = await services.impact_report(db, request.user, partnership_id, start, end, state.clock(), lang)
        pdf = await asyncio.to_thread(render.impact_pdf, r, lang or request.user.locale)
        return Response(
            pdf,
            media_type="application/pdf",
            headers={"Content-Disposition": f'attachment; filename="{_filename(r, "pdf")}"'},
        )

    @get("/jobseekers", summary="Volunteers seeking work, with hours, endorsements, trainings and certificate")
    async def jobseekers(
        self,
        db: Db,
        request: ActorRequest,
        partnership_id: uuid.UUID | None = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Page[schemas.JobSeeker]:
        p = await services.coordinated_partnership(db, request.user, partnership_id)
        items, total = await lists.job_seekers(db, p.id, limit, offset)
        return Page(items=items, total=total, limit=limit, offset=offset)

    @get("/near-threshold", summary="Volunteers close to the certificate threshold without a valid certificate")
    async def near_threshold(
        self,
        db: Db,
        request: ActorRequest,
        partnership_id: uuid.UUID | None = None,
        share: float = Parameter(default=0.75, ge=0.0, le=1.0),
        limit: Limit = 50,
    ) -> list[schemas.NearThreshold]:
        p = await services.coordinated_partnership(db, request.user, partnership_id)
        return await lists.near_threshold(db, p.id, p.certificate_threshold_minutes, share, limit)

    @get("/not-offered", summary="Volunteers not offered a session for `days` days, or never")
    async def not_offered(
        self,
        db: Db,
        request: ActorRequest,
        state: State,
        partnership_id: uuid.UUID | None = None,
        days: int = Parameter(default=30, ge=1, le=3650),
        limit: Limit = 50,
    ) -> list[schemas.NotOffered]:
        p = await services.coordinated_partnership(db, request.user, partnership_id)
        return await lists.not_offered(db, p.id, state.clock(), days, limit)


class PublishedReportController(Controller):
    path = "/api/reports/published"
    tags = ["reports"]
    guards = [coordinator_only]

    @post("", summary="Publish the period's report for the steering group; it is kept unchanged from then on")
    async def publish(
        self,
        db: Db,
        request: ActorRequest,
        state: State,
        partnership_id: uuid.UUID | None = None,
        start: dt.date | None = None,
        end: dt.date | None = None,
        lang: Lang | None = None,
    ) -> published.PublishedOut:
        return await published.publish(db, request.user, partnership_id, start, end, state.clock(), lang)

    @get("", summary="The partnership's published reports")
    async def index(
        self, db: Db, request: ActorRequest, partnership_id: uuid.UUID | None = None
    ) -> list[published.PublishedOut]:
        return await published.list_published(db, request.user, partnership_id)

    @get("/{report_id:uuid}", summary="A published report as published, and what has changed since")
    async def one(self, report_id: uuid.UUID, db: Db, request: ActorRequest, state: State) -> published.PublishedView:
        return await published.view(db, request.user, report_id, state.clock())

    @get("/{report_id:uuid}/report.pdf", summary="The PDF exactly as published", media_type="application/pdf")
    async def pdf(self, report_id: uuid.UUID, db: Db, request: ActorRequest) -> Response[bytes]:
        row, body = await published.stored_file(db, request.user, report_id, "pdf")
        name = f"impact-{row.period_start}-{row.period_end}-published.pdf"
        return Response(
            body, media_type="application/pdf", headers={"Content-Disposition": f'attachment; filename="{name}"'}
        )

    @get("/{report_id:uuid}/report.csv", summary="The CSV exactly as published", media_type="text/csv; charset=utf-8")
    async def csv(self, report_id: uuid.UUID, db: Db, request: ActorRequest) -> Response[str]:
        row, body = await published.stored_file(db, request.user, report_id, "csv")
        name = f"impact-{row.period_start}-{row.period_end}-published.csv"
        return Response(
            body,
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
