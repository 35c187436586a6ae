"""A volunteer's private iCalendar feed of their accepted sessions."""

from __future__ import annotations

import datetime as dt
from typing import cast

from icalendar import Calendar, Event
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from volunteers.db.models import Activity, Assignment, AssignmentStatus, Session, SessionStatus, VolunteerProfile
from volunteers.errors import NotFound

FIRM = (AssignmentStatus.ACCEPTED, AssignmentStatus.CONFIRMED, AssignmentStatus.COMPLETED)


async def feed(db: AsyncSession, token: str, now: dt.datetime, base_url: str) -> bytes:
    """The .ics for the volunteer whose secret calendar token this is."""
    profile = (
        await db.execute(select(VolunteerProfile).where(VolunteerProfile.calendar_token == token))
    ).scalar_one_or_none()
    if profile is None:
        raise NotFound("calendar not found")
    rows = (
        await db.execute(
            select(Assignment, Session, Activity)
            .join(Session, Session.id == Assignment.session_id)
            .join(Activity, Activity.id == Session.activity_id)
            .where(
                Assignment.volunteer_id == profile.id,
                Assignment.status.in_(FIRM),
                Session.status == SessionStatus.SCHEDULED,
                Session.ends_at > now - dt.timedelta(days=90),
            )
            .order_by(Session.starts_at)
        )
    ).all()
    cal = Calendar()
    cal.add("prodid", "-//Samverka//samverka//SV")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "Samverka")
    for a, s, act in rows:
        event = Event()
        event.add("uid", f"{a.id}@samverka")
        event.add("dtstamp", now)
        event.add("dtstart", s.starts_at)
        event.add("dtend", s.ends_at)
        event.add("summary", f"{act.name} ({a.role})")
        event.add("location", act.place)
        event.add("url", f"{base_url}/me/sessions")
        cal.add_component(event)
    return cast(bytes, cal.to_ical())  # icalendar leaves to_ical unannotated
