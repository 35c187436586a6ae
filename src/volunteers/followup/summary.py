"""A one-page summary, in Swedish, that a volunteer can show their employment officer.

Verified hours and sessions, roles, the skills leaders endorsed and who endorsed them (the
references), learning goals and whether they are reached (a leader endorsed the skill),
trainings and certificates that anyone can verify. Only the volunteer reads it; it holds
no follow-up answers.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from babel.dates import format_date
from babel.numbers import format_decimal
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from volunteers.accounts.actor import Actor
from volunteers.db.models import Certificate, CertificateStatus
from volunteers.errors import NotFound
from volunteers.experience import record
from volunteers.experience.services import list_endorsements
from volunteers.reports.texts import text

_env = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"), autoescape=select_autoescape(["html"]))


async def employment_summary(db: AsyncSession, actor: Actor, today: dt.date, base_url: str) -> str:
    """The caller's own summary as one printable HTML page (A4), in Swedish."""
    if actor.profile_id is None:
        raise NotFound("you have no volunteer profile")
    exp = await record.experience(db, actor, actor.profile_id)
    endorsements = await list_endorsements(db, actor, actor.profile_id)
    references = sorted({e.by for e in endorsements if e.by})
    certificates = (
        await db.execute(
            select(Certificate.public_id, Certificate.issued_at).where(
                Certificate.volunteer_id == actor.profile_id, Certificate.status == CertificateStatus.VALID
            )
        )
    ).all()
    return _env.get_template("summary.html").render(
        exp=exp,
        references=references,
        certificates=certificates,
        base_url=base_url,
        today=today,
        num=lambda v: format_decimal(v, locale="sv_SE"),
        day=lambda d: format_date(d, "d MMMM y", locale="sv"),
        kind=lambda k: text("sv", k),
        month=lambda m: format_date(dt.date.fromisoformat(f"{m}-01"), "LLLL y", locale="sv"),
    )


def summary_pdf(html: str) -> bytes:
    """The summary as a one-page PDF (tagged, for screen readers)."""
    from weasyprint import HTML  # type: ignore[import-untyped]  # weasyprint ships no type information

    return bytes(HTML(string=html).write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True))
