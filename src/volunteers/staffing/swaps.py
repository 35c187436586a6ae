"""Swaps: a volunteer offers an accepted session to a named volunteer or to anyone eligible.

The receiver's place is checked by the rules when offered (the count apart: the giver
still holds it) and again, under lock, when taken: the giver's place is released first
and `rules.breaches_of_new_hold` decides on the data as the swap leaves it.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import func, or_, select
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
    User,
    VolunteerProfile,
)
from volunteers.errors import Conflict, InvalidInput, NotFound
from volunteers.staffing.choose_messages import offer_message
from volunteers.staffing.replacement import offer_deadline, offer_freed_place
from volunteers.staffing.rules import breaches_of_new_hold
from volunteers.staffing.signup import refuse


async def offer_swap(
    db: AsyncSession,
    actor: Actor,
    assignment_id: uuid.UUID,
    to_email: str | None,
    now: dt.datetime,
    base_url: str = "",
) -> int:
    """Offer my accepted place to the volunteer with this e-mail address, or to the best eligible; how many offers."""
    a = await db.get(Assignment, assignment_id)
    if a is None or a.volunteer_id != actor.profile_id:
        raise NotFound(f"assignment {assignment_id} not found")
    if a.status != AssignmentStatus.ACCEPTED:
        raise Conflict(f"only an accepted session can be swapped (this one is {a.status.value})", field="status")
    s = await db.get(Session, a.session_id)
    assert s is not None
    if s.status != SessionStatus.SCHEDULED or s.starts_at <= now:
        raise Conflict("the session is cancelled or over", field="session")
    act = await db.get(Activity, s.activity_id)
    assert act is not None
    p = await db.get(Partnership, act.partnership_id)
    assert p is not None
    open_before = (
        await db.execute(
            select(func.count())
            .select_from(PlaceOffer)
            .where(
                PlaceOffer.from_assignment_id == a.id,
                PlaceOffer.status == "open",
                or_(PlaceOffer.expires_at.is_(None), PlaceOffer.expires_at > now),  # an expired one is no hindrance
            )
        )
    ).scalar_one()
    if open_before:
        raise Conflict("this place is already offered", field="assignment_id")
    if not to_email:
        offers = await offer_freed_place(
            db, p, s, act, a.role, now, kind="swap", leaving=a.volunteer_id, from_assignment=a.id, base_url=base_url
        )
        return len(offers)
    email = to_email.strip().lower()
    receiver = (
        await db.execute(
            select(VolunteerProfile.id)
            .join(User, User.id == VolunteerProfile.user_id)
            .where(
                func.lower(User.email) == email,
                VolunteerProfile.partnership_id == p.id,
                User.is_active.is_(True),
            )
        )
    ).scalar_one_or_none()
    if receiver is None or receiver == a.volunteer_id:
        raise InvalidInput("to", "no other volunteer of the partnership has that e-mail address")
    # The giver still holds the place: only the count may stand in the way now (checked for real on taking).
    breaches = [
        b for b in await breaches_of_new_hold(db, p, receiver, s.id, a.role, now) if b.code != "role_overfilled"
    ]
    if breaches:
        raise refuse(breaches)
    offer = PlaceOffer(
        group_id=uuid.uuid4(),
        session_id=s.id,
        role=a.role,
        volunteer_id=receiver,
        kind="swap",
        from_assignment_id=a.id,
        status="open",
        expires_at=offer_deadline(p, s, now),
    )
    db.add(offer)
    await db.flush()
    await offer_message(db, offer.id, receiver, act, s, a.role, p.timezone, now, base_url)
    return 1
