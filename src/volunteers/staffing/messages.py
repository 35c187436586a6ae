"""The words of the staffing notifications, in the volunteer's language."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from babel.dates import format_datetime

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
