"""A minor's own view of their guardian's consent: on record or not, and until when it is needed.

The rule itself lives with the other placing rules (`staffing.assembly`, `guardian_consent`):
an under-16 without a guardian's consent on record is not placed on a session before their
16th birthday. This only says so to the volunteer, from the same two facts the rule reads
(the birth date and `guardian_consent_at`), plus the latest guardian consent record for
who gave it or when it was withdrawn. Nothing here is a background check, so reading it is
not written to the check-read audit; it is the volunteer's own profile.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from volunteers.accounts.services import GUARDIAN_AGE, age_on
from volunteers.db.models import Consent, VolunteerProfile

__all__ = ["GuardianStatus", "guardian_status", "turns_16_on"]


@dataclass(frozen=True)
class GuardianStatus:
    # "given": on record; "withdrawn": given once and withdrawn; "none": never on record.
    state: str
    needed_until: dt.date  # the 16th birthday: from that day on no consent is asked
    given_by: str
    given_on: dt.date | None
    withdrawn_on: dt.date | None


def turns_16_on(birth_date: dt.date) -> dt.date:
    """The first day `age_on` says GUARDIAN_AGE (29 February's children turn 16 on 1 March in other years)."""
    try:
        return birth_date.replace(year=birth_date.year + GUARDIAN_AGE)
    except ValueError:
        return dt.date(birth_date.year + GUARDIAN_AGE, 3, 1)


async def guardian_status(
    db: AsyncSession, profile: VolunteerProfile, now: dt.datetime, zone: ZoneInfo
) -> GuardianStatus | None:
    """The status for a volunteer under 16 today; None for anyone else (no consent is asked of them)."""
    today = now.astimezone(zone).date()
    if profile.birth_date is None or age_on(profile.birth_date, today) >= GUARDIAN_AGE:
        return None
    latest = (
        await db.execute(
            select(Consent)
            .where(Consent.user_id == profile.user_id, Consent.kind == "guardian")
            .order_by(Consent.given_at.desc())
            .limit(1)
        )
    ).scalar_one_or_none()
    given_by = profile.guardian_name or (latest.given_by if latest else "")
    if profile.guardian_consent_at is not None:
        state, withdrawn_on = "given", None
        given_on: dt.date | None = profile.guardian_consent_at.astimezone(zone).date()
    elif latest is not None and latest.withdrawn_at is not None:
        state, given_on, withdrawn_on = (
            "withdrawn",
            latest.given_at.astimezone(zone).date(),
            latest.withdrawn_at.astimezone(zone).date(),
        )
    else:
        state, given_on, withdrawn_on = "none", None, None
    return GuardianStatus(state, turns_16_on(profile.birth_date), given_by, given_on, withdrawn_on)
