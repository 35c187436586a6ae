"""What volunteers' own choices store about them: in their export, and gone on erasure.

Own hours' notes are the volunteer's free text: blanked on erasure, and time never approved
deleted; approved minutes stay in the anonymous ledger of hours, as attendance does.
Waiting-list places and offers of freed places are deleted.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from volunteers.db.models import OwnHours, PlaceOffer, WaitingListEntry

MODELS = (OwnHours, WaitingListEntry, PlaceOffer)


async def export_choices(db: AsyncSession, profile_id: uuid.UUID, plain: Any) -> dict[str, list[dict[str, Any]]]:
    """The volunteer's own hours, waiting-list places and offers, for their data export."""
    out: dict[str, list[dict[str, Any]]] = {}
    for key, model in (("own_hours", OwnHours), ("waiting_lists", WaitingListEntry), ("place_offers", PlaceOffer)):
        rows = (await db.execute(select(model).where(model.volunteer_id == profile_id))).scalars()
        out[key] = [plain(r) for r in rows]
    return out


async def erase_choices(db: AsyncSession, profile_id: uuid.UUID) -> None:
    """Erasure: notes blanked, unapproved time, waiting-list places and offers deleted."""
    await db.execute(delete(OwnHours).where(OwnHours.volunteer_id == profile_id, OwnHours.status != "approved"))
    await db.execute(update(OwnHours).where(OwnHours.volunteer_id == profile_id).values(note=""))
    await db.execute(delete(WaitingListEntry).where(WaitingListEntry.volunteer_id == profile_id))
    await db.execute(delete(PlaceOffer).where(PlaceOffer.volunteer_id == profile_id))
