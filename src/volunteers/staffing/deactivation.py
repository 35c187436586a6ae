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
from volunteers.staffing.guard import WouldRelease, affected, pre_existing, release
from volunteers.staffing.publishing import lock_volunteers
from volunteers.staffing.rules import Breach, held_breaches

__all__ = ["DEACTIVATED", "account_deactivated"]

DEACTIVATED = "the account was deactivated"


async def account_deactivated(
    db: AsyncSession, user_id: uuid.UUID, now: dt.datetime, by: uuid.UUID | None, *, confirm: bool
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
    found = await held_breaches(db, partnership, now, volunteers=[profile_id])
    if found:  # what broke a rule before the deactivation is the watch's, as for every guarded write
        before = await pre_existing(db, partnership, now, volunteers=[profile_id])
        found = [b for b in found if (b.assignment_id, b.code) not in before]
    if not found:
        return []
    # The rule code only knows they no longer count as a volunteer; the reader is told why.
    breaches = [dataclasses.replace(b, message=DEACTIVATED) if b.code == "volunteer_inactive" else b for b in found]
    if not confirm:
        raise WouldRelease(await affected(db, partnership, breaches))
    # The account is locked out: the leaders are told; the person hears from the coordinator who deactivated it.
    await release(db, partnership, breaches, now, by, tell_volunteers=False)
    return breaches
