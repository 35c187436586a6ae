"""What volunteers' own choices store about them, for their export.

Erasure follows the declared rules in `privacy.rules`: own hours' notes erased, the
minutes kept in the anonymous ledger as attendance is; waiting-list places and offers
of freed places deleted.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
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
