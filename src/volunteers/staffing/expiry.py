"""Offers of freed places expire: unanswered by their time, they pass to the next eligible volunteer.

An offer's time is the partnership's `offer_hours` from when it was made, and never past
the session's start. The periodic jobs call `expire_offers` every round: each group of
offers (one freed place) with offers due is handled under the session's lock, the same
lock `replacement.take_offer` takes, so an offer is either taken in time or expired,
never both. Expired replacement and waiting-list offers are replaced by as many offers
to the next best (the waiting list first, then the matcher's repair solve), skipping
everyone this place was offered to before; a swap's offer just ends (the giver keeps
the place and may offer it again).
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections import defaultdict

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from volunteers.activities.services import effective_needs
from volunteers.db.models import Activity, Assignment, Partnership, PlaceOffer, Session, SessionStatus
from volunteers.staffing.replacement import MAX_OFFERS, offer_freed_place
from volunteers.staffing.rules import HELD
from volunteers.staffing.signup import lock_place

log = logging.getLogger("samverka.offers")


async def _date_old_offers(db: AsyncSession) -> None:
    """Open offers made before offers expired get their time: from when they were made."""
    rows = (
        await db.execute(
            select(PlaceOffer, Session.starts_at, Partnership.offer_hours)
            .join(Session, Session.id == PlaceOffer.session_id)
            .join(Activity, Activity.id == Session.activity_id)
            .join(Partnership, Partnership.id == Activity.partnership_id)
            .where(PlaceOffer.status == "open", PlaceOffer.expires_at.is_(None))
        )
    ).all()
    for offer, starts, hours in rows:
        offer.expires_at = min(offer.created_at + dt.timedelta(hours=hours), starts)
    await db.flush()


async def _place_free(db: AsyncSession, s: Session, act: Activity, role: str) -> bool:
    need = next((n for n in await effective_needs(db, act.id, s.id) if n.role == role), None)
    if need is None:
        return False
    held = (
        await db.execute(
            select(func.count())
            .select_from(Assignment)
            .where(Assignment.session_id == s.id, Assignment.role == role, Assignment.status.in_(HELD))
        )
    ).scalar_one()
    return bool(held < need.count)


async def _expire_group(db: AsyncSession, group: uuid.UUID, now: dt.datetime, base_url: str) -> tuple[int, int]:
    """Expire the group's due offers and pass the place on; (expired, new offers)."""
    first = (await db.execute(select(PlaceOffer).where(PlaceOffer.group_id == group).limit(1))).scalar_one()
    await lock_place(db, first.session_id)
    offers = list(
        (
            await db.execute(
                select(PlaceOffer).where(PlaceOffer.group_id == group).order_by(PlaceOffer.created_at, PlaceOffer.id)
            )
        ).scalars()
    )
    for o in offers:
        await db.refresh(o)  # as they are under the lock: one may have been taken a moment ago
    due = [o for o in offers if o.status == "open" and o.expires_at is not None and o.expires_at <= now]
    for o in due:
        o.status, o.decided_at = "expired", now
    await db.flush()
    if not due or due[0].kind == "swap" or any(o.status == "taken" for o in offers):
        return len(due), 0
    s = await db.get(Session, first.session_id)
    assert s is not None
    if s.status != SessionStatus.SCHEDULED or s.starts_at <= now:
        return len(due), 0
    act = await db.get(Activity, s.activity_id)
    assert act is not None
    p = await db.get(Partnership, act.partnership_id)
    assert p is not None
    still_open = sum(1 for o in offers if o.status == "open")
    n = min(len(due), MAX_OFFERS - still_open)
    if n <= 0 or not await _place_free(db, s, act, first.role):
        return len(due), 0
    # Nobody is offered the same place twice, and nobody who holds an offer of it now.
    asked = set(
        (
            await db.execute(
                select(PlaceOffer.volunteer_id).where(
                    PlaceOffer.session_id == s.id,
                    PlaceOffer.role == first.role,
                    (PlaceOffer.group_id == group) | (PlaceOffer.status == "open"),
                )
            )
        ).scalars()
    )
    new = await offer_freed_place(db, p, s, act, first.role, now, skip=asked, group=group, n=n, base_url=base_url)
    return len(due), len(new)


async def expire_offers(db: AsyncSession, now: dt.datetime, base_url: str = "") -> tuple[int, int]:
    """Expire every open offer whose time is up and pass each freed place on; (expired, new offers)."""
    await _date_old_offers(db)
    groups = list(
        (
            await db.execute(
                select(PlaceOffer.group_id)
                .where(PlaceOffer.status == "open", PlaceOffer.expires_at <= now)
                .group_by(PlaceOffer.group_id)
                .order_by(func.min(PlaceOffer.expires_at))
            )
        ).scalars()
    )
    totals: dict[str, int] = defaultdict(int)
    for group in groups:
        gone, made = await _expire_group(db, group, now, base_url)
        totals["expired"] += gone
        totals["offered"] += made
    if groups:
        log.info("offers: %d expired, %d passed on", totals["expired"], totals["offered"])
    return totals["expired"], totals["offered"]
