"""A coordinator corrects what the rules read about a volunteer: birth date, background checks, guardian's consent.

Each correction is a guarded write like a moved session: it applies the change and asks
the rules' guard in the same transaction. A change that would newly break a rule for a held place is
refused with the list (409 `would_release`) unless confirmed; confirmed, those places
are released with the rule as the reason and the volunteer and leaders are told. Every
correction is written to the audit log (who, when; a birth date's value is not copied
there). A background check stays "seen by whom, when": correcting one changes the date
it was seen, never stores anything of the extract.
"""

from __future__ import annotations

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from volunteers.accounts.actor import Actor
from volunteers.audit import audit
from volunteers.db.models import BackgroundCheck, Consent, Partnership, User, VolunteerProfile
from volunteers.errors import Forbidden, InvalidInput, NotFound
from volunteers.people import schemas

__all__ = [
    "correct_background_check",
    "correct_birth_date",
    "record_guardian_consent",
    "remove_background_check",
    "withdraw_guardian_consent",
]

# Only these may come with a birth date: a correction is one fact, checked on its own.
_WITH_BIRTH_DATE = {"birth_date", "confirm"}


async def _coordinated(
    db: AsyncSession, actor: Actor, profile_id: uuid.UUID
) -> tuple[VolunteerProfile, User, Partnership]:
    """The profile if the caller coordinates its partnership; NotFound (as for any unseen id) otherwise."""
    row = (
        await db.execute(
            select(VolunteerProfile, User, Partnership)
            .join(User, User.id == VolunteerProfile.user_id)
            .join(Partnership, Partnership.id == VolunteerProfile.partnership_id)
            .where(VolunteerProfile.id == profile_id)
        )
    ).first()
    if row is None or not actor.is_coordinator(row[0].partnership_id):
        raise NotFound(f"volunteer {profile_id} not found")
    return row[0], row[1], row[2]


def _today(p: Partnership, now: dt.datetime) -> dt.date:
    return now.astimezone(ZoneInfo(p.timezone)).date()


async def _guarded(db: AsyncSession, actor: Actor, profile: VolunteerProfile, now: dt.datetime, confirm: bool) -> int:
    """Ask the guard about the flushed change: WouldRelease, or (confirmed) the number of places released."""
    from volunteers.staffing import guard  # staffing builds on people: imported when used

    released = await guard.volunteer_changed(db, profile.id, now, actor.user_id, confirm=confirm)
    return len({b.assignment_id for b in released})


async def correct_birth_date(
    db: AsyncSession, actor: Actor, profile_id: uuid.UUID, data: schemas.ProfileUpdate, now: dt.datetime
) -> tuple[VolunteerProfile, User]:
    """A coordinator corrects a volunteer's birth date (the age rules, minors' hours, a guardian's consent)."""
    if actor.profile_id == profile_id and not actor.is_coordinator():
        raise Forbidden("only a coordinator corrects a birth date (ask them)")
    profile, user, p = await _coordinated(db, actor, profile_id)
    assert data.birth_date is not None
    others = [
        name
        for name in data.__struct_fields__
        if name not in _WITH_BIRTH_DATE and getattr(data, name) not in (None, False)
    ]
    if others:
        raise InvalidInput(others[0], "a birth date is corrected on its own, by a coordinator, without other changes")
    if data.birth_date > _today(p, now):
        raise InvalidInput("birth_date", "is in the future")
    was = profile.birth_date
    profile.birth_date = data.birth_date
    await db.flush()
    released = await _guarded(db, actor, profile, now, data.confirm)
    # Who corrected it and when; the dates themselves stay in the profile only.
    audit(
        db,
        actor,
        "volunteer.birth_date_corrected",
        "volunteer",
        profile.id,
        p.id,
        had_one=was is not None,
        released=released,
    )
    return profile, user


async def _check(db: AsyncSession, profile: VolunteerProfile, check_id: uuid.UUID) -> BackgroundCheck:
    check = await db.get(BackgroundCheck, check_id)
    if check is None or check.profile_id != profile.id:
        raise NotFound(f"background check {check_id} not found")
    return check


async def correct_background_check(
    db: AsyncSession,
    actor: Actor,
    profile_id: uuid.UUID,
    check_id: uuid.UUID,
    data: schemas.BackgroundCheckCorrection,
    now: dt.datetime,
) -> schemas.BackgroundCheckOut:
    """A coordinator corrects the date an extract was seen (its validity follows from that date)."""
    profile, _, p = await _coordinated(db, actor, profile_id)
    check = await _check(db, profile, check_id)
    if data.seen_on > _today(p, now):
        raise InvalidInput("seen_on", "is in the future")
    was = check.seen_on
    check.seen_on = data.seen_on
    await db.flush()
    released = await _guarded(db, actor, profile, now, data.confirm)
    audit(
        db,
        actor,
        "background_check.corrected",
        "volunteer",
        profile.id,
        p.id,
        check=check.id,
        seen_on_was=str(was),
        seen_on=str(data.seen_on),
        released=released,
    )
    seen_by = (await db.execute(select(User.display_name).where(User.id == check.seen_by_id))).scalar_one_or_none()
    return schemas.BackgroundCheckOut(
        id=check.id,
        seen_on=check.seen_on,
        seen_by=seen_by or "",
        valid_until=check.seen_on + dt.timedelta(days=p.background_check_valid_days),
        recorded_at=check.created_at,
    )


async def remove_background_check(
    db: AsyncSession, actor: Actor, profile_id: uuid.UUID, check_id: uuid.UUID, now: dt.datetime, confirm: bool
) -> None:
    """A coordinator removes a check recorded in error (the wrong person, an extract never seen)."""
    profile, _, p = await _coordinated(db, actor, profile_id)
    check = await _check(db, profile, check_id)
    seen_on = check.seen_on
    await db.delete(check)
    await db.flush()
    released = await _guarded(db, actor, profile, now, confirm)
    audit(
        db,
        actor,
        "background_check.removed",
        "volunteer",
        profile.id,
        p.id,
        check=check_id,
        seen_on=str(seen_on),
        released=released,
    )


async def withdraw_guardian_consent(
    db: AsyncSession, actor: Actor, profile_id: uuid.UUID, now: dt.datetime, confirm: bool
) -> tuple[VolunteerProfile, User]:
    """A coordinator records that the guardian withdrew their consent: a minor is placed no more until given again.

    The matching contract has no field for consent, so the service excludes an under-16
    without consent from every session before their 16th birthday (`assembly.GUARDIAN_AGE`);
    their held places there break the rule `guardian_consent` and are listed, or released.
    """
    profile, user, p = await _coordinated(db, actor, profile_id)
    profile.guardian_consent_at = None
    await db.execute(
        update(Consent)
        .where(Consent.user_id == user.id, Consent.kind == "guardian", Consent.withdrawn_at.is_(None))
        .values(withdrawn_at=now)
    )
    await db.flush()
    released = await _guarded(db, actor, profile, now, confirm)
    audit(db, actor, "guardian_consent.withdrawn", "volunteer", profile.id, p.id, released=released)
    return profile, user


async def record_guardian_consent(
    db: AsyncSession, actor: Actor, profile_id: uuid.UUID, data: schemas.GuardianConsentIn, now: dt.datetime
) -> tuple[VolunteerProfile, User]:
    """A coordinator records a guardian's consent (given again, or given late): the minor may be placed."""
    profile, user, p = await _coordinated(db, actor, profile_id)
    profile.guardian_name = data.given_by.strip()
    profile.guardian_consent_at = now
    db.add(
        Consent(
            user_id=user.id,
            kind="guardian",
            wording_version=data.wording_version,
            given_at=now,
            given_by=profile.guardian_name,
        )
    )
    await db.flush()
    audit(db, actor, "guardian_consent.recorded", "volunteer", profile.id, p.id)
    return profile, user
