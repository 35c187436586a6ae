"""Messages of volunteers' own choices: to the leaders (a decline, a swap, a sign-up to confirm) and offers."""

from __future__ import annotations

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from volunteers.db.models import (
    Activity,
    Membership,
    OutboxMessage,
    Partnership,
    Role,
    Session,
    User,
    VolunteerProfile,
)
from volunteers.limits import clean_line
from volunteers.notify import enqueue

TEXTS: dict[str, dict[str, tuple[str, str]]] = {
    "declined": {
        "sv": (
            "{volunteer} kan inte: {activity} {when}",
            "{volunteer} har sagt nej till att vara {role} på {activity} {when}.\nSkäl: {reason}\n"
            "Platsen har erbjudits {offers} andra volontärer.\n{url}\n",
        ),
        "en": (
            "{volunteer} cannot come: {activity} {when}",
            "{volunteer} has said no to being {role} at {activity} {when}.\nReason: {reason}\n"
            "The place has been offered to {offers} other volunteers.\n{url}\n",
        ),
    },
    "swapped": {
        "sv": (
            "Byte: {activity} {when}",
            "{volunteer} har lämnat över sin plats som {role} på {activity} {when} till {other}.\n{url}\n",
        ),
        "en": (
            "Swap: {activity} {when}",
            "{volunteer} has handed their place as {role} at {activity} {when} to {other}.\n{url}\n",
        ),
    },
    "signup_to_confirm": {
        "sv": (
            "Anmälan att bekräfta: {activity} {when}",
            "{volunteer} har anmält sig som {role} på {activity} {when}. Säg ja eller nej: {url}\n",
        ),
        "en": (
            "Sign-up to confirm: {activity} {when}",
            "{volunteer} has signed up as {role} at {activity} {when}. Say yes or no: {url}\n",
        ),
    },
    "place_offer": {
        "sv": (
            "En plats är ledig: {activity} {when}",
            "Hej {name}!\n\nEn plats som {role} på {activity} {when} ({place}) är ledig och du passar. "
            "Den som tar den först får den: {url}\n",
        ),
        "en": (
            "A place is free: {activity} {when}",
            "Hi {name},\n\nA place as {role} at {activity} {when} ({place}) is free and you fit. "
            "The first to take it gets it: {url}\n",
        ),
    },
}


def _render(kind: str, locale: str, when: dt.datetime, tz: str, **values: object) -> tuple[str, str]:
    lang = "en" if locale == "en" else "sv"
    subject, body = TEXTS[kind][lang]
    text = format_datetime(when.astimezone(ZoneInfo(tz)), "EEEE d MMMM HH:mm", locale=lang)
    return subject.format(when=text, **values), body.format(when=text, **values)


async def _name(db: AsyncSession, volunteer_id: uuid.UUID | None) -> str:
    if volunteer_id is None:
        return ""
    v = await db.get(VolunteerProfile, volunteer_id)
    return f"{v.first_name} {v.last_name}" if v else ""


async def tell_leaders(
    db: AsyncSession,
    act: Activity,
    s: Session,
    kind: str,
    now: dt.datetime,
    *,
    volunteer_id: uuid.UUID | None = None,
    role: str = "",
    reason: str = "",
    offers: int = 0,
    other_id: uuid.UUID | None = None,
    base_url: str = "",
) -> None:
    """A message to each leader of the activity's partner (and nobody else)."""
    p = await db.get(Partnership, act.partnership_id)
    assert p is not None
    leaders = (
        await db.execute(
            select(User.email, User.locale)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.role == Role.LEADER, Membership.partner_id == act.partner_id, User.is_active.is_(True))
            .distinct()
        )
    ).all()
    volunteer, other = await _name(db, volunteer_id), await _name(db, other_id)
    for email, locale in leaders:
        none = "(inget angivet)" if locale != "en" else "(none given)"
        subject, body = _render(
            kind,
            locale,
            s.starts_at,
            p.timezone,
            volunteer=volunteer,
            other=other,
            role=role,
            activity=act.name,
            reason=reason or none,
            offers=offers,
            url=f"{base_url}/sessions/{s.id}",
        )
        await enqueue(db, email, kind, subject, body, now, dedupe_key=f"{kind}:{s.id}:{volunteer_id}:{email}:{now}")


async def offer_message(
    db: AsyncSession,
    offer_id: uuid.UUID,
    volunteer_id: uuid.UUID,
    act: Activity,
    s: Session,
    role: str,
    tz: str,
    now: dt.datetime,
    base_url: str = "",
) -> None:
    """Tell a volunteer a freed place is theirs to take (a swap's offer: one of offer_messages)."""
    await offer_messages(db, [(offer_id, volunteer_id)], act, s, role, tz, now, base_url)


async def offer_messages(
    db: AsyncSession,
    offers: list[tuple[uuid.UUID, uuid.UUID]],
    act: Activity,
    s: Session,
    role: str,
    tz: str,
    now: dt.datetime,
    base_url: str = "",
) -> None:
    """Tell each offered volunteer (offer id, volunteer id) a freed place is theirs to take.

    One query for all of them and one insert: a decline waits for these, so not one
    round trip per offer. The offers are new, so their dedupe keys are too.
    """
    if not offers:
        return
    rows = {
        vid: (first, email, locale)
        for vid, first, email, locale in (
            await db.execute(
                select(VolunteerProfile.id, VolunteerProfile.first_name, User.email, User.locale)
                .join(User, User.id == VolunteerProfile.user_id)
                .where(VolunteerProfile.id.in_({vid for _, vid in offers}))
            )
        ).all()
    }
    messages = []
    for offer_id, vid in offers:
        if vid not in rows:
            continue
        first, email, locale = rows[vid]
        subject, body = _render(
            "place_offer",
            locale,
            s.starts_at,
            tz,
            name=first,
            role=role,
            activity=act.name,
            place=act.place,
            url=f"{base_url}/me/sessions",
        )
        messages.append(
            OutboxMessage(
                to_address=clean_line(email)[:320],
                kind="place_offer",
                subject=clean_line(subject)[:300],
                body=body,
                dedupe_key=f"place_offer:{offer_id}",
                send_after=now,
            )
        )
    db.add_all(messages)
