"""Periodic work of a running instance: reminders and the outbox sender."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from volunteers.db.engine import analyze
from volunteers.db.models import (
    Activity,
    Assignment,
    AssignmentStatus,
    Partnership,
    Session,
    SessionStatus,
    User,
    VolunteerProfile,
)
from volunteers.followup import queue_followup_reminders
from volunteers.notify import enqueue, send_pending
from volunteers.privacy.services import retention_sweep
from volunteers.staffing import messages

log = logging.getLogger("samverka.jobs")
REMINDER_AHEAD = dt.timedelta(hours=24)


async def queue_reminders(db: AsyncSession, now: dt.datetime, base_url: str) -> int:
    """A reminder for every accepted session starting within the next 24 hours (once each)."""
    rows = (
        await db.execute(
            select(Assignment, Session, Activity, Partnership, VolunteerProfile, User)
            .join(Session, Session.id == Assignment.session_id)
            .join(Activity, Activity.id == Session.activity_id)
            .join(Partnership, Partnership.id == Activity.partnership_id)
            .join(VolunteerProfile, VolunteerProfile.id == Assignment.volunteer_id)
            .join(User, User.id == VolunteerProfile.user_id)
            .where(
                Assignment.status.in_([AssignmentStatus.ACCEPTED, AssignmentStatus.CONFIRMED]),
                Session.status == SessionStatus.SCHEDULED,
                Session.starts_at > now,
                Session.starts_at <= now + REMINDER_AHEAD,
            )
        )
    ).all()
    for a, s, act, p, v, u in rows:
        subject, body = messages.render(
            "reminder",
            u.locale,
            s.starts_at,
            p.timezone,
            name=v.first_name,
            role=a.role,
            activity=act.name,
            place=act.place,
            url=f"{base_url}/me/sessions",
        )
        await enqueue(db, u.email, "reminder", subject, body, now, dedupe_key=f"reminder:{a.id}")
    return len(rows)


class Jobs:
    """Runs `tick` every `interval` seconds until stopped."""

    def __init__(self, state: Any, interval: float = 60.0):
        self.state = state
        self.interval = interval
        self._task: asyncio.Task[None] | None = None
        self._last_retention: dt.date | None = None

    async def tick(self) -> None:
        state = self.state
        now = state.clock()
        async with state.runner.writing() as db:
            await queue_reminders(db, now, state.settings.base_url)
            await queue_followup_reminders(db, now, state.settings.base_url)
            await db.commit()
        await send_pending(state.sessionmaker, state.settings, now)
        if self._last_retention != now.date():  # the daily work
            if state.settings.retention_days > 0:
                async with state.runner.writing() as db:
                    await retention_sweep(db, now, state.settings.retention_days)
                    await db.commit()
            if state.settings.is_sqlite:
                await analyze(state.engine)  # the planner's statistics, as the data grows
            self._last_retention = now.date()

    async def _loop(self) -> None:
        while True:
            # Wait first: a freshly started instance answers its first requests before it
            # takes the write lock for reminders (on a city's data that takes seconds).
            await asyncio.sleep(self.interval)
            try:
                await self.tick()
            except Exception:
                log.exception("periodic jobs failed")

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._loop())

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
