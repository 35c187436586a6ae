"""A freed place is offered at once: first to the session's waiting list, else to the best one to three.

The best are found by a small repair solve of the matching library: the freed session is
the target, everything held that week stays pinned (so accepted places never move), and
each solve's choice is excluded before the next, which gives the matcher's own order.
The first to take an offer gets the place, checked again under lock with
`rules.breaches_of_new_hold`; the group's other offers are withdrawn.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from volunteers.accounts.actor import Actor
from volunteers.db.models import (
    Activity,
    Assignment,
    AssignmentStatus,
    Partnership,
    PlaceOffer,
    Session,
    SessionStatus,
    WaitingListEntry,
)
from volunteers.errors import Conflict, NotFound
from volunteers.staffing import assignments, repair, schemas
from volunteers.staffing.choose_messages import offer_messages, tell_leaders
from volunteers.staffing.publishing import lock_volunteers, record_event
from volunteers.staffing.rules import breaches_of_new_hold
from volunteers.staffing.signup import give_place, lock_place, refuse

MAX_OFFERS = 3
# The longest a partnership may let an offer wait: two weeks.
OFFER_HOURS_MAX = 336


async def best_candidates(
    db: AsyncSession,
    p: Partnership,
    s: Session,
    act: Activity,
    role: str,
    *,
    leaving: uuid.UUID | None = None,
    skip: set[uuid.UUID] = frozenset(),  # type: ignore[assignment]
    n: int = MAX_OFFERS,
) -> list[uuid.UUID]:
    """Up to `n` volunteers the matcher would put in the freed place, best first.

    A repair solve of the session's week (`repair`): only those who might fill the place
    are loaded, the matcher names who keeps rules 1-7 for the role, and one solve of those
    with `n` new places of the role picks the best. `leaving` still holds the place (a
    swap offered to anyone): their slot is not pinned.
    """
    return await repair.best_candidates(db, p, s, act, role, leaving=leaving, skip=skip, n=n)


async def offer_freed_place(
    db: AsyncSession,
    p: Partnership,
    s: Session,
    act: Activity,
    role: str,
    now: dt.datetime,
    *,
    kind: str = "replacement",
    leaving: uuid.UUID | None = None,
    skip: set[uuid.UUID] = frozenset(),  # type: ignore[assignment]
    from_assignment: uuid.UUID | None = None,
    base_url: str = "",
    group: uuid.UUID | None = None,
    n: int = MAX_OFFERS,
) -> list[PlaceOffer]:
    """Offer a freed place: to eligible people on the waiting list first, else to the matcher's best 1-3.

    `group` adds the offers to an existing group (an expired offer passing on), `n` bounds them.
    """
    if s.status != SessionStatus.SCHEDULED or s.starts_at <= now:
        return []
    skip = set(skip) | ({leaving} if leaving else set())
    chosen: list[uuid.UUID] = []
    offer_kind = kind
    waiting = (
        await db.execute(
            select(WaitingListEntry.volunteer_id)
            .where(WaitingListEntry.session_id == s.id, WaitingListEntry.role == role)
            .order_by(WaitingListEntry.created_at, WaitingListEntry.id)
        )
    ).scalars()
    for vid in waiting:
        if vid in skip:
            continue
        breaches = await breaches_of_new_hold(db, p, vid, s.id, role, now)
        # The place is still held by the one leaving a swap: its count is not the waiting one's hindrance.
        if all(b.code == "role_overfilled" for b in breaches) and (not breaches or leaving is not None):
            chosen.append(vid)
            offer_kind = "waiting_list" if kind == "replacement" else kind
            if len(chosen) == n:
                break
    if not chosen:
        chosen = await best_candidates(db, p, s, act, role, leaving=leaving, skip=skip, n=n)
    group = group or uuid.uuid4()
    expires = offer_deadline(p, s, now)
    offers = [
        PlaceOffer(
            group_id=group,
            session_id=s.id,
            role=role,
            volunteer_id=vid,
            kind=offer_kind,
            from_assignment_id=from_assignment,
            status="open",
            expires_at=expires,
        )
        for vid in chosen
    ]
    db.add_all(offers)
    await db.flush()
    await offer_messages(db, [(o.id, o.volunteer_id) for o in offers], act, s, role, p.timezone, now, base_url)
    return offers


def offer_deadline(p: Partnership, s: Session, now: dt.datetime) -> dt.datetime:
    """When an offer made now expires: the partnership's hours to answer, and never past the session's start."""
    return min(now + dt.timedelta(hours=p.offer_hours), s.starts_at)


def expired(offer: PlaceOffer, now: dt.datetime) -> bool:
    return offer.expires_at is not None and offer.expires_at <= now


async def decline_and_replace(
    db: AsyncSession, actor: Actor, assignment_id: uuid.UUID, reason: str, now: dt.datetime, base_url: str = ""
) -> tuple[schemas.AssignmentOut, int]:
    """Say no (with an optional reason the leader reads); the freed place is offered at once."""
    out = await assignments.decline(db, actor, assignment_id, reason, now)
    a = await db.get(Assignment, assignment_id)
    assert a is not None
    s = await db.get(Session, a.session_id)
    assert s is not None
    act = await db.get(Activity, s.activity_id)
    assert act is not None
    p = await db.get(Partnership, act.partnership_id)
    assert p is not None
    await lock_place(db, s.id)
    offers = await offer_freed_place(db, p, s, act, a.role, now, skip={a.volunteer_id}, base_url=base_url)
    await tell_leaders(
        db,
        act,
        s,
        "declined",
        now,
        volunteer_id=a.volunteer_id,
        role=a.role,
        reason=reason,
        offers=len(offers),
        base_url=base_url,
    )
    return out, len(offers)


@dataclass(frozen=True)
class OfferOut:
    id: uuid.UUID
    kind: str
    session_id: uuid.UUID
    activity_name: str
    place: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    role: str
    expires_at: dt.datetime | None  # answer by then (the partnership's time zone)


async def my_offers(db: AsyncSession, actor: Actor, now: dt.datetime) -> list[OfferOut]:
    """Open offers of freed places to the caller, soonest first."""
    if actor.profile_id is None:
        return []
    rows = (
        await db.execute(
            select(PlaceOffer, Session, Activity, Partnership)
            .join(Session, Session.id == PlaceOffer.session_id)
            .join(Activity, Activity.id == Session.activity_id)
            .join(Partnership, Partnership.id == Activity.partnership_id)
            .where(
                PlaceOffer.volunteer_id == actor.profile_id,
                PlaceOffer.status == "open",
                or_(PlaceOffer.expires_at.is_(None), PlaceOffer.expires_at > now),
                Session.starts_at > now,
                Session.status == SessionStatus.SCHEDULED,
            )
            .order_by(Session.starts_at)
        )
    ).all()
    return [
        OfferOut(
            o.id,
            o.kind,
            s.id,
            act.name,
            act.place,
            s.starts_at.astimezone(ZoneInfo(p.timezone)),
            s.ends_at.astimezone(ZoneInfo(p.timezone)),
            o.role,
            o.expires_at.astimezone(ZoneInfo(p.timezone)) if o.expires_at else None,
        )
        for o, s, act, p in rows
    ]


async def _own_offer(db: AsyncSession, actor: Actor, offer_id: uuid.UUID) -> PlaceOffer:
    offer = await db.get(PlaceOffer, offer_id)
    if offer is None or offer.volunteer_id != actor.profile_id:
        raise NotFound(f"offer {offer_id} not found")
    return offer


async def take_offer(
    db: AsyncSession, actor: Actor, offer_id: uuid.UUID, now: dt.datetime, base_url: str = ""
) -> schemas.AssignmentOut:
    """Take an offered place: the first to take it gets it, and only if every rule still holds."""
    offer = await _own_offer(db, actor, offer_id)
    s = await db.get(Session, offer.session_id)
    assert s is not None
    act = await db.get(Activity, s.activity_id)
    assert act is not None
    p = await db.get(Partnership, act.partnership_id)
    assert p is not None
    giver = await db.get(Assignment, offer.from_assignment_id) if offer.from_assignment_id else None
    await lock_volunteers(db, {offer.volunteer_id} | ({giver.volunteer_id} if giver else set()))
    await lock_place(db, s.id)
    await db.refresh(offer)
    if offer.status == "expired" or (offer.status == "open" and expired(offer, now)):
        raise Conflict("this offer has expired: the place has been offered to someone else", field="offer")
    if offer.status != "open":
        raise Conflict("someone else took this place first", field="offer")
    if giver is not None:
        await db.refresh(giver)
        if giver.status != AssignmentStatus.ACCEPTED:
            raise Conflict("the place is no longer offered", field="offer")
        # The giver's place is released first, so that the count and the rules see the swap as it will be.
        record_event(db, giver, AssignmentStatus.CANCELLED, actor.user_id, "handed over in a swap")
        await db.flush()
    breaches = await breaches_of_new_hold(db, p, offer.volunteer_id, s.id, offer.role, now)
    if breaches:
        raise refuse(breaches)
    a = await give_place(db, offer.volunteer_id, s, offer.role, actor.user_id, f"took a freed place ({offer.kind})")
    offer.status, offer.decided_at = "taken", now
    await db.execute(
        update(PlaceOffer)
        .where(PlaceOffer.group_id == offer.group_id, PlaceOffer.id != offer.id, PlaceOffer.status == "open")
        .values(status="withdrawn", decided_at=now)
    )
    if giver is not None:
        await tell_leaders(
            db,
            act,
            s,
            "swapped",
            now,
            volunteer_id=giver.volunteer_id,
            role=offer.role,
            other_id=offer.volunteer_id,
            base_url=base_url,
        )
    await db.flush()
    return assignments.assignment_out(a, s, act, p)


async def decline_offer(db: AsyncSession, actor: Actor, offer_id: uuid.UUID, now: dt.datetime) -> None:
    offer = await _own_offer(db, actor, offer_id)
    if offer.status == "open":
        offer.status, offer.decided_at = "declined", now
        await db.flush()
