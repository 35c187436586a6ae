"""The impact report for coordinators: figures, charts as images with tables beside them, CSV and PDF."""

from __future__ import annotations

import asyncio
from base64 import b64encode
from typing import Any
from urllib.parse import urlencode

from litestar import Response, get, post
from litestar.params import Parameter
from litestar.response import Template

from volunteers.accounts.middleware import coordinator_only
from volunteers.db.session import Db
from volunteers.errors import NotFound
from volunteers.reports import impact_charts, published, schemas, services
from volunteers.reports.definitions import definitions
from volunteers.web.common import PageRequest, actor_of, language, now, page, parse_date, redirect
from volunteers.web.i18n import N_

COORDINATORS = [coordinator_only]
# What each chart shows, for its alt text (the table below it carries the numbers).
CHARTS = {
    "hours_by_month": N_("Verified hours per month or quarter"),
    "hours_by_partner": N_("Verified hours per partner"),
    "hours_by_activity_kind": N_("Verified hours per kind of activity"),
    "hours_by_target_group": N_("Verified hours per target group"),
    "fill_rate_by_partner": N_("Share of places filled per partner"),
    "unfilled_by_reason": N_("Places left empty, by reason"),
}
DateText = Parameter(default=None, max_length=10)


async def _report(db: Db, request: PageRequest, start: str | None, end: str | None) -> schemas.ImpactReport:
    return await services.impact_report(
        db, actor_of(request), None, parse_date(start), parse_date(end), now(request), language(request)
    )


@get("/reports/impact", guards=COORDINATORS, name="impact-report")
async def impact_page(
    db: Db, request: PageRequest, start: str | None = DateText, end: str | None = DateText
) -> Template:
    """The partnership's figures for a period; fewer than five people show as "<5"."""
    report = await _report(db, request, start, end)
    period = {"start": report.start.isoformat(), "end": report.end.isoformat()}
    query = urlencode(period)
    # The charts travel inside the page (data: URIs, which the CSP allows for images): as
    # separate image requests each one built the whole report again, seven builds a view.
    drawn = await asyncio.to_thread(impact_charts, report, language(request))
    charts = [name for name in CHARTS if name in drawn]
    chart_uris = {name: "data:image/svg+xml;base64," + b64encode(drawn[name].encode()).decode() for name in charts}
    return page(
        request,
        "coordinator/impact.html",
        r=report,
        query=query,
        export_query=urlencode({**period, "lang": language(request)}),
        charts=charts,
        chart_uris=chart_uris,
        chart_titles=CHARTS,
        bad_period=bool((start and parse_date(start) is None) or (end and parse_date(end) is None)),
        definitions=definitions(language(request)),
        published=await published.list_published(db, actor_of(request), None),
    )


@post("/reports/impact/publish", guards=COORDINATORS, name="impact-publish", status_code=303)
async def impact_publish(db: Db, request: PageRequest, start: str | None = DateText, end: str | None = DateText) -> Any:
    """Publish the period's report (a period already published answers 409 with the field named)."""
    await published.publish(
        db, actor_of(request), None, parse_date(start), parse_date(end), now(request), language(request)
    )
    return redirect(f"/reports/impact?{urlencode({'start': start or '', 'end': end or ''})}")


@get("/reports/impact/chart/{name:str}", guards=COORDINATORS, name="impact-chart")
async def impact_chart(
    name: str, db: Db, request: PageRequest, start: str | None = DateText, end: str | None = DateText
) -> Response[Any]:
    """One chart as an SVG image, for a link of its own (the page carries its charts inside it)."""
    key = name.removesuffix(".svg")
    if not name.endswith(".svg") or key not in CHARTS:
        raise NotFound(f"chart {name} not found")
    report = await _report(db, request, start, end)
    charts = await asyncio.to_thread(impact_charts, report, language(request))
    if key not in charts:
        raise NotFound(f"chart {name} not found")
    return Response(
        charts[key],
        media_type="image/svg+xml",
        headers={"Cache-Control": "private, max-age=300", "Vary": "Cookie"},
    )


report_routes = [impact_page, impact_chart, impact_publish]
