"""A deactivated account's held places: refused with the list, or released once confirmed.

Deactivating an account that also volunteers leaves its future places broken (the rule
code no longer counts them as a volunteer: `volunteer_inactive`). Like every guarded
write, the deactivation is flushed first and checked in the same transaction; without
`confirm` it raises WouldRelease (the request's rollback undoes it), with `confirm` the
places are released through the guard's release path, with the deactivation as the reason.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from volunteers.db.models import Partnership, VolunteerProfile
from volunteers.staffing.guard import Baseline, WouldRelease, affected, release, volunteer_baseline
from volunteers.staffing.publishing import lock_volunteers
from volunteers.staffing.rules import Breach, held_breaches

__all__ = ["DEACTIVATED", "account_baseline", "account_deactivated"]

DEACTIVATED = "the account was deactivated"


async def account_baseline(db: AsyncSession, user_id: uuid.UUID, now: dt.datetime) -> Baseline:
    """What the account's held places already break before it is deactivated (left to the watch)."""
    profile_id = (
        await db.execute(select(VolunteerProfile.id).where(VolunteerProfile.user_id == user_id))
    ).scalar_one_or_none()
    return frozenset() if profile_id is None else await volunteer_baseline(db, profile_id, now)


async def account_deactivated(
    db: AsyncSession,
    user_id: uuid.UUID,
    now: dt.datetime,
    by: uuid.UUID | None,
    *,
    confirm: bool,
    before: Baseline = frozenset(),
) -> list[Breach]:
    """After `user.is_active = False`: the held future places it breaks, refused or (confirmed) released."""
    row = (
        await db.execute(
            select(VolunteerProfile.id, VolunteerProfile.partnership_id).where(VolunteerProfile.user_id == user_id)
        )
    ).one_or_none()
    if row is None:  # staff only: nothing held
        return []
    profile_id, partnership_id = row
    partnership = await db.get(Partnership, partnership_id)
    assert partnership is not None
    await lock_volunteers(db, {profile_id})
    await db.flush()
    found = [
        b
        for b in await held_breaches(db, partnership, now, volunteers=[profile_id])
        if (b.assignment_id, b.code) not in before
    ]
    if not found:
        return []
    # The rule code only knows they no longer count as a volunteer; the reader is told why.
    breaches = [dataclasses.replace(b, message=DEACTIVATED) if b.code == "volunteer_inactive" else b for b in found]
    if not confirm:
        raise WouldRelease(await affected(db, partnership, breaches))
    # The account is locked out: the leaders are told; the person hears from the coordinator who deactivated it.
    await release(db, partnership, breaches, now, by, tell_volunteers=False)
    return breaches
