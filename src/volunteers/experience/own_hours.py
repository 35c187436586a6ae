"""Own hours: time a volunteer reports themself (preparation, a trip), approved or not by the leader.

Approved minutes count as verified in the experience record, grouped by the activity's
kind and partner, with the kind of time as the role.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Annotated, Literal

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from volunteers.accounts.actor import Actor
from volunteers.db.models import Activity, Assignment, AssignmentStatus, OwnHours, Partner, Session, VolunteerProfile
from volunteers.errors import Conflict, InvalidInput, NotFound

KINDS = ("preparation", "trip", "other")
WORKED = [s for s in AssignmentStatus if s.holds_slot]


class OwnHoursIn(msgspec.Struct, forbid_unknown_fields=True):
    activity_id: uuid.UUID
    worked_on: dt.date
    minutes: Annotated[int, msgspec.Meta(ge=1, le=720)]
    kind: Literal["preparation", "trip", "other"]
    note: Annotated[str, msgspec.Meta(max_length=500)] = ""


class DecisionIn(msgspec.Struct, forbid_unknown_fields=True):
    approve: bool


@dataclass(frozen=True)
class OwnHoursOut:
    id: uuid.UUID
    volunteer_id: uuid.UUID
    volunteer_name: str
    activity_id: uuid.UUID
    activity_name: str
    worked_on: dt.date
    minutes: int
    kind: str
    note: str
    status: str
    reported_at: dt.datetime


def _out(h: OwnHours, v: VolunteerProfile, act: Activity) -> OwnHoursOut:
    return OwnHoursOut(
        h.id,
        v.id,
        f"{v.first_name} {v.last_name}",
        act.id,
        act.name,
        h.worked_on,
        h.minutes,
        h.kind,
        h.note,
        h.status,
        h.created_at,
    )


async def activities_worked(db: AsyncSession, profile_id: uuid.UUID) -> list[Activity]:
    """The activities the volunteer has (or had) a place on: the ones they may report time for."""
    ids = (
        select(Session.activity_id)
        .join(Assignment, Assignment.session_id == Session.id)
        .where(Assignment.volunteer_id == profile_id, Assignment.status.in_(WORKED))
    )
    return list((await db.execute(select(Activity).where(Activity.id.in_(ids)).order_by(Activity.name))).scalars())


async def report(db: AsyncSession, actor: Actor, data: OwnHoursIn, today: dt.date) -> OwnHoursOut:
    """A volunteer reports time of their own for an activity they work in; it waits for the leader."""
    if actor.profile_id is None:
        raise NotFound("you have no volunteer profile")
    if data.worked_on > today:
        raise InvalidInput("worked_on", "is in the future")
    if data.worked_on < today - dt.timedelta(days=365):
        raise InvalidInput("worked_on", "is more than a year ago")
    acts = {a.id: a for a in await activities_worked(db, actor.profile_id)}
    act = acts.get(data.activity_id)
    if act is None:
        raise InvalidInput("activity_id", "you have no place on that activity")
    h = OwnHours(
        volunteer_id=actor.profile_id,
        activity_id=act.id,
        worked_on=data.worked_on,
        minutes=data.minutes,
        kind=data.kind,
        note=data.note.strip(),
        status="pending",
    )
    db.add(h)
    await db.flush()
    v = await db.get(VolunteerProfile, actor.profile_id)
    assert v is not None
    return _out(h, v, act)


async def mine(db: AsyncSession, actor: Actor) -> list[OwnHoursOut]:
    if actor.profile_id is None:
        return []
    rows = (
        await db.execute(
            select(OwnHours, VolunteerProfile, Activity)
            .join(VolunteerProfile, VolunteerProfile.id == OwnHours.volunteer_id)
            .join(Activity, Activity.id == OwnHours.activity_id)
            .where(OwnHours.volunteer_id == actor.profile_id)
            .order_by(OwnHours.worked_on.desc(), OwnHours.id)
        )
    ).all()
    return [_out(*r) for r in rows]


async def to_decide(db: AsyncSession, actor: Actor) -> list[OwnHoursOut]:
    """Pending own hours on the activities the caller leads (coordinators: their partnerships')."""
    stmt = (
        select(OwnHours, VolunteerProfile, Activity)
        .join(VolunteerProfile, VolunteerProfile.id == OwnHours.volunteer_id)
        .join(Activity, Activity.id == OwnHours.activity_id)
        .where(OwnHours.status == "pending")
        .order_by(OwnHours.worked_on, OwnHours.id)
    )
    rows = (await db.execute(stmt)).all()
    return [_out(*r) for r in rows if actor.can_manage_partner(r[2].partnership_id, r[2].partner_id)]


async def decide(db: AsyncSession, actor: Actor, hours_id: uuid.UUID, approve: bool, now: dt.datetime) -> OwnHoursOut:
    """The activity's leader (or a coordinator) approves the time, or not; a decision is final."""
    row = (
        await db.execute(
            select(OwnHours, VolunteerProfile, Activity)
            .join(VolunteerProfile, VolunteerProfile.id == OwnHours.volunteer_id)
            .join(Activity, Activity.id == OwnHours.activity_id)
            .where(OwnHours.id == hours_id)
        )
    ).first()
    if row is None or not actor.can_manage_partner(row[2].partnership_id, row[2].partner_id):
        raise NotFound(f"own hours {hours_id} not found")
    h = row[0]
    if h.status != "pending":
        raise Conflict(f"already decided ({h.status})", field="status")
    h.status = "approved" if approve else "rejected"
    h.decided_by_id, h.decided_at = actor.user_id, now
    await db.flush()
    return _out(*row)


async def approved_groups(
    db: AsyncSession, profile_id: uuid.UUID
) -> list[tuple[str, str, uuid.UUID, str, str, int, int, dt.date]]:
    """Approved own hours as the experience record groups work: kind, role, partner, month, minutes, 0 sessions."""
    rows = (
        await db.execute(
            select(OwnHours.kind, OwnHours.minutes, OwnHours.worked_on, Activity.kind, Partner.id, Partner.name)
            .join(Activity, Activity.id == OwnHours.activity_id)
            .join(Partner, Partner.id == Activity.partner_id)
            .where(OwnHours.volunteer_id == profile_id, OwnHours.status == "approved")
        )
    ).all()
    return [
        (str(getattr(akind, "value", akind)), kind, pid, pname, worked.strftime("%Y-%m"), int(minutes), 0, worked)
        for kind, minutes, worked, akind, pid, pname in rows
    ]
