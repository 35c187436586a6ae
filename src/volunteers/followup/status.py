"""The dated history of whether a volunteer is looking for work (read by the impact report)."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from volunteers.db.models import JobSeekingStatus, VolunteerProfile

SOURCES = ("registration", "profile", "follow_up")


async def record_status(db: AsyncSession, volunteer_id: uuid.UUID, day: dt.date, seeking: bool, source: str) -> None:
    """From `day` on the volunteer is (not) looking for work; a second change the same day replaces the first."""
    assert source in SOURCES
    row = (
        await db.execute(
            select(JobSeekingStatus).where(JobSeekingStatus.volunteer_id == volunteer_id, JobSeekingStatus.since == day)
        )
    ).scalar_one_or_none()
    if row is None:
        db.add(JobSeekingStatus(volunteer_id=volunteer_id, since=day, seeking=seeking, source=source))
    else:
        row.seeking, row.source = seeking, source
    await db.flush()


async def forget_follow_up_statuses(db: AsyncSession, volunteer_id: uuid.UUID) -> None:
    """Consent withdrawn: the statuses the answers gave go with the answers."""
    await db.execute(
        delete(JobSeekingStatus).where(
            JobSeekingStatus.volunteer_id == volunteer_id, JobSeekingStatus.source == "follow_up"
        )
    )


async def seeking_on(db: AsyncSession, volunteer_id: uuid.UUID, day: dt.date) -> bool:
    """Whether the history says the volunteer was looking for work on `day`."""
    row = (
        await db.execute(
            select(JobSeekingStatus.seeking)
            .where(JobSeekingStatus.volunteer_id == volunteer_id, JobSeekingStatus.since <= day)
            .order_by(JobSeekingStatus.since.desc())
            .limit(1)
        )
    ).scalar_one_or_none()
    return bool(row)


async def record_seeking_at_registration(db: AsyncSession, user_id: uuid.UUID, day: dt.date, seeking: bool) -> None:
    """The answer to "are you looking for work?" given at registration: the history's first row."""
    profile_id = (await db.execute(select(VolunteerProfile.id).where(VolunteerProfile.user_id == user_id))).scalar_one()
    await record_status(db, profile_id, day, seeking, "registration")
