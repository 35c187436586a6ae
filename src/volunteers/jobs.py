"""Periodic work of a running instance: reminders and the outbox sender."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from concurrent.futures import Executor
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

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
from volunteers.settings import Settings
from volunteers.staffing import messages
from volunteers.staffing.checks import queue_check_reminders
from volunteers.staffing.expiry import expire_offers
from volunteers.workers import own_engine, worker_pool, writing

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


def run_tick(settings: Settings, now: dt.datetime, daily: bool) -> None:
    """In the jobs' worker process: one round of the periodic work, on a connection of its own."""
    asyncio.run(_tick(settings, now, daily))


async def _tick(settings: Settings, now: dt.datetime, daily: bool) -> None:
    async with own_engine(settings) as engine:
        sessionmaker = async_sessionmaker(engine, expire_on_commit=False)
        async with writing(sessionmaker, settings) as db:
            await queue_reminders(db, now, settings.base_url)
            await queue_followup_reminders(db, now, settings.base_url)
            await queue_check_reminders(db, now, settings.base_url)
            await db.commit()
        async with writing(sessionmaker, settings) as db:
            # Its own transaction: a repair solve of a city's freed place must not undo the reminders.
            await expire_offers(db, now, settings.base_url)
            await db.commit()
        await send_pending(sessionmaker, settings, now)
        if daily:
            if settings.retention_days > 0:
                async with writing(sessionmaker, settings) as db:
                    await retention_sweep(db, now, settings.retention_days)
                    await db.commit()
            await _watch_rules(sessionmaker, settings, now)
            if settings.is_sqlite:
                await analyze(engine)  # the planner's statistics, as the data grows


async def _watch_rules(sessionmaker: Any, settings: Settings, now: dt.datetime) -> None:
    """The daily rules watch, a partnership per transaction: what breaks a rule is released and told."""
    from volunteers.staffing.watch import watch

    async with sessionmaker() as db:
        ids = list((await db.execute(select(Partnership.id))).scalars())
    for pid in ids:
        async with writing(sessionmaker, settings) as db:
            partnership = await db.get(Partnership, pid)
            if partnership is not None:
                await watch(db, partnership, now, release=True)
                await db.commit()


class Jobs:
    """Runs `tick` every `interval` seconds until stopped.

    The work itself happens in a worker process of its own: on a city's data a round
    loads and writes thousands of rows (over a second of CPU), which on the server's
    event loop kept every request (even /health) waiting. Its own process, not the
    solver's, so that a match run never waits behind it nor it behind a run.
    """

    def __init__(self, state: Any, interval: float = 60.0, executor: Executor | None = None):
        self.state = state
        self.interval = interval
        self._executor = executor
        self._owned = executor is None
        self._task: asyncio.Task[None] | None = None
        self._last_retention: dt.date | None = None

    def _pool(self) -> Executor:
        if self._executor is None:
            self._executor = worker_pool()
        return self._executor

    async def tick(self) -> None:
        now = self.state.clock()
        daily = self._last_retention != now.date()  # the daily work: once a day, and at start
        await asyncio.get_running_loop().run_in_executor(self._pool(), run_tick, self.state.settings, now, daily)
        if daily:
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
        if self._owned and self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None
