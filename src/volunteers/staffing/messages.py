"""The words of the staffing notifications, in the volunteer's language."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from volunteers.db.models import OutboxMessage, User, VolunteerProfile

TEXTS = {
    "proposal": {
        "sv": (
            "Nytt förslag: {activity} {when}",
            (
                "Hej {name}!\n\nDu har föreslagits som {role} på {activity} {when} ({place}).\n"
                "Svara ja eller nej i Samverka: {url}\n"
            ),
        ),
        "en": (
            "New proposal: {activity} {when}",
            (
                "Hi {name},\n\nYou have been proposed as {role} at {activity} {when} ({place}).\n"
                "Accept or decline in Samverka: {url}\n"
            ),
        ),
    },
    "plan_changed": {
        "sv": (
            "Ändrat förslag: {activity} {when}",
            "Hej {name}!\n\nFörslaget att du är {role} på {activity} {when} gäller inte längre.\n{url}\n",
        ),
        "en": (
            "Changed plan: {activity} {when}",
            "Hi {name},\n\nThe proposal for you to be {role} at {activity} {when} no longer stands.\n{url}\n",
        ),
    },
    "reminder": {
        "sv": (
            "Påminnelse: {activity} {when}",
            "Hej {name}!\n\nPåminnelse: du är {role} på {activity} {when} ({place}).\n{url}\n",
        ),
        "en": (
            "Reminder: {activity} {when}",
            "Hi {name},\n\nA reminder: you are {role} at {activity} {when} ({place}).\n{url}\n",
        ),
    },
    "released": {
        "sv": (
            "Du är släppt: {activity} {when}",
            (
                "Hej {name}!\n\nDu är inte längre {role} på {activity} {when}, eftersom en regel inte längre "
                "skulle hålla: {reason}\nDu behöver inte komma.\n{url}\n"
            ),
        ),
        "en": (
            "Released: {activity} {when}",
            (
                "Hi {name},\n\nYou are no longer {role} at {activity} {when}, because a rule would no longer "
                "hold: {reason}\nYou need not come.\n{url}\n"
            ),
        ),
    },
    "session_moved": {
        "sv": (
            "Ny tid eller plats: {activity} {when}",
            "Hej {name}!\n\n{activity}, där du är {role}, är flyttat till {when} ({place}).\n{url}\n",
        ),
        "en": (
            "New time or place: {activity} {when}",
            "Hi {name},\n\n{activity}, where you are {role}, has moved to {when} ({place}).\n{url}\n",
        ),
    },
    "withdrawn": {
        "sv": (
            "Återkallat: {activity} {when}",
            "Hej {name}!\n\nSamordnaren har tagit bort dig som {role} på {activity} {when}: {reason}\n{url}\n",
        ),
        "en": (
            "Withdrawn: {activity} {when}",
            "Hi {name},\n\nThe coordinator has withdrawn you as {role} at {activity} {when}: {reason}\n{url}\n",
        ),
    },
    "session_cancelled": {
        "sv": (
            "Inställt: {activity} {when}",
            "Hej {name}!\n\n{activity} {when} är inställt. Du behöver inte komma.\n{url}\n",
        ),
        "en": (
            "Cancelled: {activity} {when}",
            "Hi {name},\n\n{activity} {when} is cancelled. You need not come.\n{url}\n",
        ),
    },
}


def render(kind: str, locale: str, when: dt.datetime, tz: str, **values: str) -> tuple[str, str]:
    """Subject and body of a notification."""
    lang = "en" if locale == "en" else "sv"
    subject, body = TEXTS[kind][lang]
    when_text = format_datetime(when.astimezone(ZoneInfo(tz)), "EEEE d MMMM HH:mm", locale=lang)
    return subject.format(when=when_text, **values), body.format(when=when_text, **values)


@dataclass(frozen=True)
class AssignmentNotice:
    """What a notification about one assignment says: who, which role, which session."""

    assignment_id: uuid.UUID
    volunteer_id: uuid.UUID
    role: str
    starts_at: dt.datetime
    activity: str
    place: str
    reason: str = ""  # why a place was released or withdrawn


async def notify_assignments(
    db: AsyncSession,
    kind: str,
    notices: Sequence[AssignmentNotice],
    tz: str,
    now: dt.datetime,
    *,
    url: str,
    dedupe_key: Callable[[AssignmentNotice], str],
) -> None:
    """Queue one notification of `kind` per assignment, in each volunteer's language.

    One query for the people, one insert for the messages; a message whose dedupe key is
    already queued is skipped (the outbox keeps one per key).
    """
    if not notices:
        return
    people = {
        pid: (first_name, email, locale)
        for pid, first_name, email, locale in (
            await db.execute(
                select(VolunteerProfile.id, VolunteerProfile.first_name, User.email, User.locale)
                .join(User, User.id == VolunteerProfile.user_id)
                .where(VolunteerProfile.id.in_({n.volunteer_id for n in notices}))
            )
        ).all()
    }
    rows = []
    for n in notices:
        first_name, email, locale = people[n.volunteer_id]
        subject, body = render(
            kind,
            locale,
            n.starts_at,
            tz,
            name=first_name,
            role=n.role,
            activity=n.activity,
            place=n.place,
            url=url,
            reason=n.reason,
        )
        rows.append(
            {
                "to_address": email,
                "kind": kind,
                "subject": subject,
                "body": body,
                "dedupe_key": dedupe_key(n),
                "send_after": now,
            }
        )
    dialect = postgresql if db.bind.dialect.name == "postgresql" else sqlite
    await db.execute(dialect.insert(OutboxMessage).on_conflict_do_nothing(index_elements=["dedupe_key"]), rows)
