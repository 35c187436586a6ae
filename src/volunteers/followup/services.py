"""The volunteer's own follow-up answers: recorded with consent, read by nobody else."""

from __future__ import annotations

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from volunteers.accounts.actor import Actor
from volunteers.db.models import Consent, FollowUp, Partnership, Situation, VolunteerProfile
from volunteers.errors import Forbidden, InvalidInput, NotFound
from volunteers.followup import schemas
from volunteers.followup.status import forget_follow_up_statuses, record_status

CONSENT_KIND = "followup"


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or the month's last day when it has no such day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month + 1, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _out(f: FollowUp) -> schemas.FollowUpOut:
    return schemas.FollowUpOut(
        f.id, f.answered_on, f.situation.value, list(f.helped), f.comment, f.learned, f.certificate_used
    )


async def _own_profile(db: AsyncSession, actor: Actor) -> tuple[VolunteerProfile, Partnership]:
    if actor.profile_id is None:
        raise NotFound("you have no volunteer profile")
    profile = await db.get(VolunteerProfile, actor.profile_id)
    if profile is None:
        raise NotFound("you have no volunteer profile")
    partnership = await db.get(Partnership, profile.partnership_id)
    assert partnership is not None
    return profile, partnership


async def _active_consent(db: AsyncSession, user_id: uuid.UUID) -> Consent | None:
    return (
        await db.execute(
            select(Consent)
            .where(Consent.user_id == user_id, Consent.kind == CONSENT_KIND, Consent.withdrawn_at.is_(None))
            .order_by(Consent.given_at.desc())
            .limit(1)
        )
    ).scalar_one_or_none()


async def record_answer(
    db: AsyncSession, actor: Actor, data: schemas.FollowUpIn, now: dt.datetime
) -> schemas.FollowUpOut:
    """Record today's answer (a second answer the same day replaces the first) and its consent."""
    if not data.consent:
        raise InvalidInput("consent", "a follow-up is kept only with your consent")
    profile, partnership = await _own_profile(db, actor)
    consent = await _active_consent(db, actor.user_id)
    if consent is None or consent.wording_version != data.wording_version:
        if consent is not None:
            consent.withdrawn_at = now  # superseded by consent to the wording shown now
        db.add(Consent(user_id=actor.user_id, kind=CONSENT_KIND, wording_version=data.wording_version, given_at=now))
    today = now.astimezone(ZoneInfo(partnership.timezone)).date()
    answer = (
        await db.execute(select(FollowUp).where(FollowUp.volunteer_id == profile.id, FollowUp.answered_on == today))
    ).scalar_one_or_none()
    if answer is None:
        answer = FollowUp(volunteer_id=profile.id, answered_on=today)
        db.add(answer)
    answer.situation = Situation(data.situation)
    answer.helped = sorted(set(data.helped))
    answer.comment = data.comment.strip()
    answer.learned = data.learned.strip()
    answer.certificate_used = data.certificate_used
    await db.flush()
    # The answer dates the job-seeking history: looking for work, or no longer.
    await record_status(db, profile.id, today, answer.situation == Situation.LOOKING_FOR_WORK, "follow_up")
    return _out(answer)


async def my_history(db: AsyncSession, actor: Actor) -> schemas.FollowUpHistory:
    """The caller's own answers, newest first."""
    profile, partnership = await _own_profile(db, actor)
    answers = (
        (
            await db.execute(
                select(FollowUp)
                .where(FollowUp.volunteer_id == profile.id)
                .order_by(FollowUp.answered_on.desc(), FollowUp.id.desc())
            )
        )
        .scalars()
        .all()
    )
    zone = ZoneInfo(partnership.timezone)
    last = answers[0].answered_on if answers else profile.created_at.astimezone(zone).date()
    return schemas.FollowUpHistory(
        answers=[_out(a) for a in answers],
        consent_given=await _active_consent(db, actor.user_id) is not None,
        interval_months=partnership.followup_interval_months,
        next_due=add_months(last, partnership.followup_interval_months),
    )


async def volunteer_history(db: AsyncSession, actor: Actor, volunteer_id: uuid.UUID) -> schemas.FollowUpHistory:
    """A volunteer's answers, for that volunteer alone: coordinators see them only counted."""
    if actor.profile_id == volunteer_id:
        return await my_history(db, actor)
    profile = await db.get(VolunteerProfile, volunteer_id)
    if profile is not None and actor.is_coordinator(profile.partnership_id):
        raise Forbidden("follow-up answers are the volunteer's own; coordinators see them counted in the report")
    raise NotFound(f"volunteer {volunteer_id} not found")


async def withdraw(db: AsyncSession, actor: Actor, now: dt.datetime) -> None:
    """Withdraw consent: the answers are deleted and no more reminders are sent."""
    profile, _ = await _own_profile(db, actor)
    consents = await db.execute(
        select(Consent).where(
            Consent.user_id == actor.user_id, Consent.kind == CONSENT_KIND, Consent.withdrawn_at.is_(None)
        )
    )
    for c in consents.scalars():
        c.withdrawn_at = now
    if not (
        await db.execute(select(Consent.id).where(Consent.user_id == actor.user_id, Consent.kind == CONSENT_KIND))
    ).first():
        # Never answered: remember the refusal so that reminders stop.
        db.add(Consent(user_id=actor.user_id, kind=CONSENT_KIND, wording_version="-", given_at=now, withdrawn_at=now))
    await db.execute(delete(FollowUp).where(FollowUp.volunteer_id == profile.id))
    await forget_follow_up_statuses(db, profile.id)
    await db.flush()
