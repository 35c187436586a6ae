"""Reports as published: a coordinator publishes a period's report; that version is kept unchanged.

The figures (as JSON), the CSV and the PDF are stored when published and served as
stored, byte for byte, whatever happens to the data afterwards (erasures, withdrawn
consents, late attendance). A later view shows the published version with the figures
that differ in today's computation of the same period, if any.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import uuid
from typing import Any

import msgspec
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from volunteers.accounts.actor import Actor
from volunteers.audit import audit
from volunteers.db.models import PublishedReport
from volunteers.errors import Conflict, NotFound
from volunteers.reports import render
from volunteers.reports.period import Period
from volunteers.reports.services import build_report, coordinated_partnership, default_period
from volunteers.reports.texts import lang_of

# Parts of the figures that are not figures: when and for whom it was computed.
_NOT_FIGURES = {"generated_at", "notes", "partnership_name", "partnership_id"}


class PublishedOut(msgspec.Struct):
    """A published report: when, by whom (id), its checksum, and its figures as published."""

    id: uuid.UUID
    partnership_id: uuid.UUID
    start: dt.date
    end: dt.date
    lang: str
    published_at: dt.datetime
    content_sha256: str
    report: dict[str, Any]


class Change(msgspec.Struct):
    """A figure whose value today differs from the published one."""

    figure: str
    published: Any
    now: Any


class PublishedView(msgspec.Struct):
    published: PublishedOut
    changes: list[Change]


def _out(row: PublishedReport) -> PublishedOut:
    return PublishedOut(
        row.id,
        row.partnership_id,
        row.period_start,
        row.period_end,
        row.lang,
        row.published_at,
        row.content_sha256,
        row.figures,
    )


async def publish(
    db: AsyncSession,
    actor: Actor,
    partnership_id: uuid.UUID | None,
    start: dt.date | None,
    end: dt.date | None,
    now: dt.datetime,
    lang: str | None,
) -> PublishedOut:
    """Compute, render and keep the period's report; a period is published once per language."""
    p = await coordinated_partnership(db, actor, partnership_id)
    language = lang_of(lang or actor.locale)
    start, end = default_period(p, start, end, now.date())
    period = Period.of(start, end, p.timezone)
    taken = await db.execute(
        select(PublishedReport.id).where(
            PublishedReport.partnership_id == p.id,
            PublishedReport.period_start == period.start,
            PublishedReport.period_end == period.end,
            PublishedReport.lang == language,
        )
    )
    if taken.first():
        raise Conflict(f"the report for {period.start} - {period.end} is already published", field="start")
    report = await build_report(db, p, period, now, language, parallel=False)
    pdf = await asyncio.to_thread(render.impact_pdf, report, language)
    csv = render.impact_csv(report)
    figures = msgspec.to_builtins(report)
    digest = hashlib.sha256(pdf + csv.encode()).hexdigest()
    row = PublishedReport(
        partnership_id=p.id,
        period_start=period.start,
        period_end=period.end,
        lang=language,
        published_at=now,
        published_by_id=actor.user_id,
        figures=figures,
        csv=csv,
        pdf=pdf,
        content_sha256=digest,
    )
    db.add(row)
    try:
        await db.flush()
    except IntegrityError as exc:  # published at the same moment by another coordinator
        raise Conflict("the report for this period is already published", field="start") from exc
    audit(db, actor, "report.published", "published_report", row.id, p.id)
    await db.flush()
    return _out(row)


async def _row(db: AsyncSession, actor: Actor, report_id: uuid.UUID) -> PublishedReport:
    row = await db.get(PublishedReport, report_id)
    if row is None or not actor.is_coordinator(row.partnership_id):
        raise NotFound(f"published report {report_id} not found")
    return row


async def list_published(db: AsyncSession, actor: Actor, partnership_id: uuid.UUID | None) -> list[PublishedOut]:
    """The partnership's published reports, newest period first."""
    p = await coordinated_partnership(db, actor, partnership_id)
    rows = await db.execute(
        select(PublishedReport)
        .where(PublishedReport.partnership_id == p.id)
        .order_by(PublishedReport.period_start.desc(), PublishedReport.lang)
    )
    return [_out(r) for r in rows.scalars()]


def _flatten(value: Any, path: str = "") -> dict[str, Any]:
    if isinstance(value, dict):
        if "key" in value and path:
            path = f"{path}[{value['key']}]"
        out: dict[str, Any] = {}
        for k, v in value.items():
            if k in ("key", "label") or (not path and k in _NOT_FIGURES):
                continue
            out.update(_flatten(v, f"{path}.{k}" if path else k))
        return out
    if isinstance(value, list):
        out = {}
        for i, v in enumerate(value):
            out.update(_flatten(v, path if isinstance(v, dict) and "key" in v else f"{path}[{i}]"))
        return out
    return {path: value}


def changes(published: dict[str, Any], current: dict[str, Any]) -> list[Change]:
    """The figures that differ between the published version and today's computation."""
    before, after = _flatten(published), _flatten(current)
    return [
        Change(k, before.get(k), after.get(k))
        for k in sorted(set(before) | set(after))
        if before.get(k) != after.get(k)
    ]


async def view(db: AsyncSession, actor: Actor, report_id: uuid.UUID, now: dt.datetime) -> PublishedView:
    """The published version, and what has changed in the same period's figures since."""
    row = await _row(db, actor, report_id)
    p = await coordinated_partnership(db, actor, row.partnership_id)
    period = Period.of(row.period_start, row.period_end, p.timezone)
    current = await build_report(db, p, period, now, row.lang)
    return PublishedView(_out(row), changes(row.figures, msgspec.to_builtins(current)))


async def stored_file(db: AsyncSession, actor: Actor, report_id: uuid.UUID, kind: str) -> tuple[PublishedReport, Any]:
    """The PDF or CSV exactly as published."""
    row = await _row(db, actor, report_id)
    return row, (await row.awaitable_attrs.pdf if kind == "pdf" else await row.awaitable_attrs.csv)
