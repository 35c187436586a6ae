"""Coordinators' lists of volunteers: job seekers, near the certificate, not offered lately.

"Seeking work" here is the profile's own flag, which the volunteer shares with the
partnership so the matcher can favour them; their follow-up answers stay private.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict

from sqlalchemy import Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from volunteers.db.models import (
    Assignment,
    AssignmentStatus,
    Attendance,
    Certificate,
    CertificateStatus,
    Endorsement,
    Training,
    User,
    VolunteerProfile,
)
from volunteers.reports import schemas
from volunteers.reports.impact import hours


def _verified_minutes() -> Select[tuple[uuid.UUID, int]]:
    """Verified minutes per volunteer, all time (what a certificate counts)."""
    return (
        select(Assignment.volunteer_id, func.sum(Attendance.minutes))
        .join(Attendance, Attendance.assignment_id == Assignment.id)
        .where(Assignment.status == AssignmentStatus.COMPLETED, Attendance.attended.is_(True))
        .group_by(Assignment.volunteer_id)
    )


def _name(v: VolunteerProfile) -> str:
    return f"{v.first_name} {v.last_name}"


async def job_seekers(
    db: AsyncSession, partnership_id: uuid.UUID, limit: int, offset: int
) -> tuple[list[schemas.JobSeeker], int]:
    """Volunteers seeking work with their evidence: hours, endorsements, trainings, certificate, goals."""
    where = [
        VolunteerProfile.partnership_id == partnership_id,
        VolunteerProfile.seeking_work.is_(True),
        User.is_active.is_(True),
    ]
    total = await db.scalar(select(func.count()).select_from(VolunteerProfile).join(User).where(*where))
    rows = (
        await db.execute(
            select(VolunteerProfile, User.email)
            .join(User, User.id == VolunteerProfile.user_id)
            .where(*where)
            .order_by(VolunteerProfile.last_name, VolunteerProfile.first_name, VolunteerProfile.id)
            .limit(limit)
            .offset(offset)
        )
    ).all()
    ids = [v.id for v, _ in rows]
    if not ids:
        return [], int(total or 0)
    minutes = dict((await db.execute(_verified_minutes().where(Assignment.volunteer_id.in_(ids)))).tuples().all())
    endorsed: dict[uuid.UUID, set[str]] = defaultdict(set)
    for vid, code in await db.execute(
        select(Endorsement.volunteer_id, Endorsement.skill_code).where(Endorsement.volunteer_id.in_(ids)).distinct()
    ):
        endorsed[vid].add(code)
    trainings: dict[uuid.UUID, list[str]] = defaultdict(list)
    for vid, name in await db.execute(
        select(Training.volunteer_id, Training.name)
        .where(Training.volunteer_id.in_(ids))
        .order_by(Training.completed_on)
    ):
        trainings[vid].append(name)
    certificates: dict[uuid.UUID, tuple[CertificateStatus, dt.datetime]] = {}
    for vid, status, issued in await db.execute(
        select(Certificate.volunteer_id, Certificate.status, Certificate.issued_at)
        .where(Certificate.volunteer_id.in_(ids), Certificate.partnership_id == partnership_id)
        .order_by(Certificate.issued_at)
    ):
        certificates[vid] = (status, issued)  # the latest wins
    out = []
    for v, email in rows:
        m = int(minutes.get(v.id) or 0)
        goals = [schemas.LearningGoal(g, g in endorsed[v.id]) for g in v.learning_goals]
        cert = certificates.get(v.id)
        out.append(
            schemas.JobSeeker(
                volunteer_id=v.id,
                name=_name(v),
                email=email,
                verified_minutes=m,
                verified_hours=hours(m) or 0.0,
                endorsed_skills=sorted(endorsed[v.id]),
                trainings=trainings[v.id],
                certificate_status=cert[0].value if cert else "none",
                certificate_issued_at=cert[1] if cert else None,
                learning_goals=goals,
                learning_goals_reached=sum(1 for g in goals if g.endorsed),
            )
        )
    return out, int(total or 0)


async def near_threshold(
    db: AsyncSession, partnership_id: uuid.UUID, threshold: int, share: float, limit: int
) -> list[schemas.NearThreshold]:
    """Volunteers without a valid certificate whose verified minutes reach `share` of the threshold."""
    verified = _verified_minutes().subquery("verified")
    minutes = verified.c[1]
    has_valid = (
        select(Certificate.id)
        .where(
            Certificate.volunteer_id == VolunteerProfile.id,
            Certificate.partnership_id == partnership_id,
            Certificate.status == CertificateStatus.VALID,
        )
        .exists()
    )
    rows = (
        await db.execute(
            select(VolunteerProfile, minutes)
            .join(verified, verified.c.volunteer_id == VolunteerProfile.id)
            .where(
                VolunteerProfile.partnership_id == partnership_id,
                minutes >= int(threshold * share),
                ~has_valid,
            )
            .order_by(minutes.desc(), VolunteerProfile.id)
            .limit(limit)
        )
    ).all()
    return [schemas.NearThreshold(v.id, _name(v), int(m), threshold, max(0, threshold - int(m))) for v, m in rows]


async def not_offered(
    db: AsyncSession, partnership_id: uuid.UUID, now: dt.datetime, days: int, limit: int
) -> list[schemas.NotOffered]:
    """Active volunteers not offered a session for `days` days (or never), the longest waiting first."""
    cutoff = now - dt.timedelta(days=days)
    rows = (
        (
            await db.execute(
                select(VolunteerProfile)
                .join(User, User.id == VolunteerProfile.user_id)
                .where(
                    VolunteerProfile.partnership_id == partnership_id,
                    User.is_active.is_(True),
                    User.anonymised_at.is_(None),
                    VolunteerProfile.created_at <= cutoff,
                    or_(VolunteerProfile.last_offered_at.is_(None), VolunteerProfile.last_offered_at < cutoff),
                )
                .order_by(
                    VolunteerProfile.last_offered_at.is_not(None),
                    VolunteerProfile.last_offered_at,
                    VolunteerProfile.created_at,
                )
                .limit(limit)
            )
        )
        .scalars()
        .all()
    )
    return [
        schemas.NotOffered(
            v.id,
            _name(v),
            v.created_at,
            v.last_offered_at,
            (now - v.last_offered_at).days if v.last_offered_at else None,
        )
        for v in rows
    ]
