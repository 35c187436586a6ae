"""The partnership's goals: each an indicator (one of the report's figures) and a target, met or not.

A goal is met when the figure reaches its target (shares in per cent); it reads "–"
(met = None) when the figure is hidden to protect someone or has no denominator.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from volunteers.db.models import ReportGoal
from volunteers.errors import InvalidInput
from volunteers.reports import schemas

R = schemas.ImpactReport


def _pct(v: float | None) -> float | None:
    return None if v is None else round(v * 100, 1)


# indicator -> (how to read it from a report, Swedish name, English name)
INDICATORS: dict[str, tuple[Callable[[R], float | None], str, str]] = {
    "volunteers.active": (lambda r: r.volunteers.active.value, "Aktiva volontärer", "Active volunteers"),
    "volunteers.new": (lambda r: r.volunteers.new.value, "Nya registreringar", "New registrations"),
    "hours.total_hours": (lambda r: r.hours.total_hours, "Volontärtimmar", "Volunteer hours"),
    "sessions.held": (lambda r: r.sessions.held, "Genomförda tillfällen", "Sessions held"),
    "sessions.fill_rate": (lambda r: _pct(r.sessions.fill_rate), "Bemanningsgrad (%)", "Fill rate (%)"),
    "previous.retention": (
        lambda r: _pct(r.previous.retention if r.previous else None),
        "Kvar som aktiva (%)",
        "Retention (%)",
    ),
    "job_seekers.later_working_or_studying": (
        lambda r: r.job_seekers.later_working_or_studying.value,
        "Senare i arbete eller studier",
        "Later working or studying",
    ),
    "job_seekers.share": (
        lambda r: _pct(r.job_seekers.share),
        "Andel senare i arbete eller studier (%)",
        "Share later working or studying (%)",
    ),
    "follow_ups.response_rate": (lambda r: _pct(r.follow_ups.response_rate), "Svarsfrekvens (%)", "Response rate (%)"),
    "learning.goals_reached": (lambda r: r.learning.goals_reached.value, "Nådda lärandemål", "Learning goals reached"),
    "learning.trainings_completed": (
        lambda r: r.learning.trainings_completed.value,
        "Genomförda utbildningar",
        "Trainings completed",
    ),
    "certificates.issued": (lambda r: r.certificates.issued.value, "Utfärdade intyg", "Certificates issued"),
}


async def read_goals(db: AsyncSession, partnership_id: uuid.UUID) -> list[schemas.Goal]:
    rows = await db.scalars(
        select(ReportGoal).where(ReportGoal.partnership_id == partnership_id).order_by(ReportGoal.created_at)
    )
    return [schemas.Goal(g.label, g.indicator, g.target) for g in rows]


async def replace_goals(db: AsyncSession, partnership_id: uuid.UUID, goals: list[schemas.Goal]) -> list[schemas.Goal]:
    """The partnership's goals become `goals` (checked first: nothing is written if one is wrong)."""
    for i, g in enumerate(goals):
        if g.indicator not in INDICATORS:
            raise InvalidInput(f"goals[{i}].indicator", f"one of {', '.join(INDICATORS)}")
    await db.execute(delete(ReportGoal).where(ReportGoal.partnership_id == partnership_id))
    for g in goals:
        db.add(ReportGoal(partnership_id=partnership_id, label=g.label.strip(), indicator=g.indicator, target=g.target))
    await db.flush()
    return goals


def results(report: R, goals: list[schemas.Goal], lang: str) -> list[schemas.GoalResult]:
    out = []
    for g in goals:
        read, sv, en = INDICATORS[g.indicator]
        value = read(report)
        out.append(
            schemas.GoalResult(
                label=g.label,
                indicator=g.indicator,
                indicator_name=sv if lang == "sv" else en,
                target=g.target,
                value=None if value is None else float(value),
                met=None if value is None else value >= g.target,
            )
        )
    return out
