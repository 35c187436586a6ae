"""The follow-up reminder: one message when a volunteer's last answer (or registration) is due again."""

from __future__ import annotations

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from volunteers.db.models import Consent, FollowUp, OutboxMessage, Partnership, User, VolunteerProfile
from volunteers.followup.services import add_months
from volunteers.notify import enqueue
from volunteers.reports.texts import TEXTS, lang_of

KIND = "followup_reminder"
CONSENT_KIND = "followup"


def dedupe_key(volunteer_id: uuid.UUID, since: dt.date) -> str:
    """One reminder per volunteer and period: the period starts at the last answer or registration."""
    return f"followup:{volunteer_id}:{since.isoformat()}"


async def queue_followup_reminders(db: AsyncSession, now: dt.datetime, base_url: str) -> int:
    """Queue a reminder for every volunteer whose follow-up is due and who has not said no; returns how many."""
    queued = 0
    for p in (await db.execute(select(Partnership))).scalars().all():
        zone = ZoneInfo(p.timezone)
        today = now.astimezone(zone).date()
        cutoff = add_months(today, -p.followup_interval_months)
        cutoff_end = dt.datetime.combine(cutoff + dt.timedelta(days=1), dt.time(0), tzinfo=zone)
        last = (
            select(FollowUp.volunteer_id.label("vid"), func.max(FollowUp.answered_on).label("on"))
            .group_by(FollowUp.volunteer_id)
            .subquery("last")
        )
        given = aliased(Consent)
        said_no = and_(
            exists().where(Consent.user_id == User.id, Consent.kind == CONSENT_KIND, Consent.withdrawn_at.is_not(None)),
            ~exists().where(given.user_id == User.id, given.kind == CONSENT_KIND, given.withdrawn_at.is_(None)),
        )
        # Plain columns, not ORM objects: on a city's data nearly everyone is due and already
        # reminded, and loading them all as objects every minute cost a second of CPU
        # while the jobs' round held the write lock.
        rows = (
            await db.execute(
                select(
                    VolunteerProfile.id,
                    VolunteerProfile.first_name,
                    VolunteerProfile.created_at,
                    User.email,
                    User.locale,
                    last.c.on,
                )
                .join(User, User.id == VolunteerProfile.user_id)
                .outerjoin(last, last.c.vid == VolunteerProfile.id)
                .where(
                    VolunteerProfile.partnership_id == p.id,
                    User.is_active.is_(True),
                    User.anonymised_at.is_(None),
                    ~said_no,
                    or_(last.c.on <= cutoff, and_(last.c.on.is_(None), VolunteerProfile.created_at < cutoff_end)),
                )
            )
        ).all()
        due = {
            dedupe_key(vid, on or created.astimezone(zone).date()): (first_name, email, locale)
            for vid, first_name, created, email, locale, on in rows
        }
        keys = list(due)
        sent: set[str] = set()
        for i in range(0, len(keys), 500):
            chunk = keys[i : i + 500]
            found = await db.execute(select(OutboxMessage.dedupe_key).where(OutboxMessage.dedupe_key.in_(chunk)))
            sent.update(k for k in found.scalars() if k)
        for key, (first_name, email, locale) in due.items():
            if key in sent:
                continue
            words = TEXTS[lang_of(locale)]
            body = words["reminder_body"].format(name=first_name, url=f"{base_url}/me/follow-ups")
            await enqueue(db, email, KIND, words["reminder_subject"], body, now, dedupe_key=key)
            queued += 1
    return queued
