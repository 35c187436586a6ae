"""References on request: a volunteer asks, a leader of the activity writes and approves, she decides.

The rules, in one place:
- a volunteer asks only for herself, and only about an activity where she has verified work;
- only a leader of that activity's partner sees the request and answers it; approving
  copies the leader's words, name, role and partner (and a contact, only when the leader
  consents) into the reference;
- the volunteer sees the approved reference and may leave it out; the newest approved
  one she has not left out is signed into her next certificate (drafting.py).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Literal

import msgspec
from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from certificates import Reference as ReferenceFact
from volunteers.accounts.actor import Actor
from volunteers.audit import audit
from volunteers.db.models import (
    Activity,
    Assignment,
    AssignmentStatus,
    Attendance,
    Partner,
    Reference,
    Session,
    VolunteerProfile,
)
from volunteers.errors import Conflict, InvalidInput, NotFound

REQUESTED, APPROVED, DECLINED = "requested", "approved", "declined"


class ReferenceAsk(msgspec.Struct, forbid_unknown_fields=True):
    activity_id: uuid.UUID
    message: Annotated[str, msgspec.Meta(max_length=300)] = ""


class ReferenceAnswer(msgspec.Struct, forbid_unknown_fields=True):
    decision: Literal["approve", "decline"]
    text: Annotated[str, msgspec.Meta(max_length=600)] = ""
    role: Annotated[str, msgspec.Meta(max_length=120)] = ""
    contact: Annotated[str, msgspec.Meta(max_length=200)] = ""
    contact_consent: bool = False
    # The language the text is written in; by default the leader's own language.
    language: Literal["sv", "en"] | None = None


class ReferenceChoice(msgspec.Struct, forbid_unknown_fields=True):
    included: bool


class ReferenceOut(msgspec.Struct):
    id: uuid.UUID
    volunteer_id: uuid.UUID
    volunteer_name: str
    activity_id: uuid.UUID
    activity_name: str
    status: str
    message: str
    text: str
    leader_name: str
    leader_role: str
    partner_name: str
    contact: str
    included: bool
    answered_at: dt.datetime | None
    language: str = ""


def _clean(text: str, field: str, *, required: bool = False) -> str:
    # One paragraph on the certificate: no control characters, whitespace collapsed.
    if any(ord(c) < 32 or 127 <= ord(c) < 160 for c in text if c not in "\n\t"):
        raise InvalidInput(field, "control characters are not allowed")
    cleaned = " ".join(text.split())
    if required and not cleaned:
        raise InvalidInput(field, "must not be empty")
    return cleaned


async def _out(db: AsyncSession, rows: list[Reference]) -> list[ReferenceOut]:
    if not rows:
        return []
    found = await db.execute(select(Activity.id, Activity.name).where(Activity.id.in_({r.activity_id for r in rows})))
    names = {activity_id: name for activity_id, name in found.tuples()}
    people = {
        p.id: f"{p.first_name} {p.last_name}"
        for p in (
            await db.execute(select(VolunteerProfile).where(VolunteerProfile.id.in_({r.volunteer_id for r in rows})))
        ).scalars()
    }
    return [
        ReferenceOut(
            r.id,
            r.volunteer_id,
            people.get(r.volunteer_id, ""),
            r.activity_id,
            names.get(r.activity_id, ""),
            r.status,
            r.message,
            r.text,
            r.leader_name,
            r.leader_role,
            r.partner_name,
            r.contact,
            r.included,
            r.answered_at,
            r.language,
        )
        for r in rows
    ]


async def ask(db: AsyncSession, actor: Actor, volunteer_id: uuid.UUID, data: ReferenceAsk) -> ReferenceOut:
    """The volunteer asks the leaders of an activity she worked on for a reference."""
    if actor.profile_id != volunteer_id:
        raise NotFound(f"volunteer {volunteer_id} not found")
    activity = await db.get(Activity, data.activity_id)
    worked = exists().where(
        Attendance.assignment_id == Assignment.id,
        Assignment.session_id == Session.id,
        Session.activity_id == data.activity_id,
        Assignment.volunteer_id == volunteer_id,
        Assignment.status == AssignmentStatus.COMPLETED,
        Attendance.attended.is_(True),
    )
    if activity is None or not (await db.execute(select(worked))).scalar():
        raise InvalidInput("activity_id", "you have no verified work on this activity")
    open_request = await db.execute(
        select(Reference.id).where(
            Reference.volunteer_id == volunteer_id,
            Reference.activity_id == activity.id,
            Reference.status == REQUESTED,
        )
    )
    if open_request.first() is not None:
        raise Conflict("a request for this activity is already waiting for its leader", field="activity_id")
    ref = Reference(
        volunteer_id=volunteer_id,
        activity_id=activity.id,
        partnership_id=activity.partnership_id,
        status=REQUESTED,
        message=_clean(data.message, "message"),
        included=True,
    )
    db.add(ref)
    await db.flush()
    return (await _out(db, [ref]))[0]


async def for_volunteer(db: AsyncSession, actor: Actor, volunteer_id: uuid.UUID) -> list[ReferenceOut]:
    """The volunteer's own requests and references, newest first."""
    if actor.profile_id != volunteer_id:
        raise NotFound(f"volunteer {volunteer_id} not found")
    rows = (
        await db.execute(
            select(Reference).where(Reference.volunteer_id == volunteer_id).order_by(Reference.created_at.desc())
        )
    ).scalars()
    return await _out(db, list(rows))


async def for_leader(db: AsyncSession, actor: Actor) -> list[ReferenceOut]:
    """Requests about the activities of the partners this leader leads, open ones first."""
    partners = actor.led_partners
    if not partners:
        return []
    rows = (
        await db.execute(
            select(Reference)
            .join(Activity, Activity.id == Reference.activity_id)
            .where(Activity.partner_id.in_(partners))
            .order_by((Reference.status != REQUESTED), Reference.created_at.desc())
        )
    ).scalars()
    return await _out(db, list(rows))


async def answer(
    db: AsyncSession, actor: Actor, reference_id: uuid.UUID, data: ReferenceAnswer, now: dt.datetime
) -> ReferenceOut:
    """A leader of the activity approves the reference with their words, or declines it."""
    ref = await db.get(Reference, reference_id)
    activity = await db.get(Activity, ref.activity_id) if ref is not None else None
    if ref is None or activity is None or not actor.leads_partner(activity.partner_id):
        raise NotFound(f"reference {reference_id} not found")
    if ref.status != REQUESTED:
        raise Conflict(f"this request was already {ref.status}", field="status")
    if data.decision == "approve":
        text = _clean(data.text, "text", required=True)
        role = _clean(data.role, "role", required=True)
        contact = _clean(data.contact, "contact")
        if contact and not data.contact_consent:
            raise InvalidInput("contact_consent", "a contact is printed only with your consent")
        partner = await db.get(Partner, activity.partner_id)
        ref.text, ref.leader_role, ref.contact = text, role, contact if data.contact_consent else ""
        ref.leader_name, ref.partner_name = actor.display_name, partner.name if partner else ""
        ref.language = data.language or ("en" if actor.locale == "en" else "sv")
        ref.status = APPROVED
    else:
        ref.status = DECLINED
    ref.leader_id, ref.answered_at = actor.user_id, now
    audit(db, actor, f"reference.{ref.status}", "reference", str(ref.id), ref.partnership_id)
    await db.flush()
    return (await _out(db, [ref]))[0]


async def choose(db: AsyncSession, actor: Actor, reference_id: uuid.UUID, data: ReferenceChoice) -> ReferenceOut:
    """The volunteer includes an approved reference in her next certificate, or leaves it out."""
    ref = await db.get(Reference, reference_id)
    if ref is None or ref.volunteer_id != actor.profile_id:
        raise NotFound(f"reference {reference_id} not found")
    ref.included = data.included
    await db.flush()
    return (await _out(db, [ref]))[0]


async def for_certificates(db: AsyncSession, volunteer_ids: list[uuid.UUID]) -> dict[uuid.UUID, ReferenceFact]:
    """The reference each volunteer's next certificate carries: her newest approved one she kept in."""
    rows = (
        await db.execute(
            select(Reference)
            .where(
                Reference.volunteer_id.in_(volunteer_ids),
                Reference.status == APPROVED,
                Reference.included.is_(True),
            )
            .order_by(Reference.answered_at)
        )
    ).scalars()
    out: dict[uuid.UUID, ReferenceFact] = {}
    for ref in rows:  # oldest first, so the newest wins
        out[ref.volunteer_id] = ReferenceFact(
            ref.text, ref.leader_name, ref.leader_role, ref.partner_name, ref.contact, ref.language
        )
    return out


async def worked_activities(db: AsyncSession, volunteer_id: uuid.UUID) -> list[tuple[uuid.UUID, str]]:
    """The activities where the volunteer has verified work: the ones she may ask about."""
    rows = await db.execute(
        select(Activity.id, Activity.name)
        .join(Session, Session.activity_id == Activity.id)
        .join(Assignment, Assignment.session_id == Session.id)
        .join(Attendance, Attendance.assignment_id == Assignment.id)
        .where(
            Assignment.volunteer_id == volunteer_id,
            Assignment.status == AssignmentStatus.COMPLETED,
            Attendance.attended.is_(True),
        )
        .group_by(Activity.id, Activity.name)
        .order_by(Activity.name)
    )
    return [(activity_id, name) for activity_id, name in rows.tuples()]
