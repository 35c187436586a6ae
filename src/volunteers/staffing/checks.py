"""Background checks as the volunteer sees them, reminders before one runs out, and what it costs.

Only the date an extract was seen is stored (never a copy); a check is valid from that
date for the partnership's `background_check_valid_days`.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from babel.dates import format_date
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from volunteers.accounts.actor import Actor
from volunteers.audit import audit
from volunteers.db.models import (
    Activity,
    Assignment,
    AssignmentStatus,
    BackgroundCheck,
    Membership,
    Partnership,
    Role,
    Session,
    SessionStatus,
    TargetGroup,
    User,
    VolunteerProfile,
)
from volunteers.notify import enqueue

REMIND_DAYS_AHEAD = 30
HELD = (AssignmentStatus.PROPOSED, AssignmentStatus.ACCEPTED, AssignmentStatus.CONFIRMED)
MINOR_GROUPS = [g for g in TargetGroup if g.involves_minors]


@dataclass(frozen=True)
class CheckStatus:
    """A volunteer's background check as they see it."""

    state: str  # none, valid, running_out, expired
    seen_on: dt.date | None
    valid_until: dt.date | None
    days_left: int | None
    # How many of their coming child/youth sessions it does not cover.
    uncovered_sessions: int


async def latest_checks(db: AsyncSession, profile_ids: set[uuid.UUID] | None = None) -> dict[uuid.UUID, dt.date]:
    """The newest date a check was seen, per volunteer."""
    stmt = select(BackgroundCheck.profile_id, func.max(BackgroundCheck.seen_on)).group_by(BackgroundCheck.profile_id)
    if profile_ids is not None:
        stmt = stmt.where(BackgroundCheck.profile_id.in_(profile_ids))
    return {pid: seen for pid, seen in (await db.execute(stmt)).all()}


def _valid_until(seen_on: dt.date | None, p: Partnership) -> dt.date | None:
    return None if seen_on is None else seen_on + dt.timedelta(days=p.background_check_valid_days)


def audit_check_reads(
    db: AsyncSession, viewer: Actor, partnership_id: uuid.UUID, profile_ids: Iterable[uuid.UUID], view: str
) -> None:
    """Every read of a check's status is "seen by whom, when", like the coordinators' list of records.

    One `background_check.viewed` entry per volunteer whose status was shown, with the
    page or call that showed it (`view`); never the date itself.
    """
    for pid in sorted(set(profile_ids)):
        audit(db, viewer, "background_check.viewed", "volunteer", pid, partnership_id, view=view)


async def check_status(db: AsyncSession, profile: VolunteerProfile, now: dt.datetime, viewer: Actor) -> CheckStatus:
    """The volunteer's own view: status, end date, and coming child sessions it does not cover (audited)."""
    p = await db.get(Partnership, profile.partnership_id)
    assert p is not None
    audit_check_reads(db, viewer, p.id, [profile.id], "own")
    zone = ZoneInfo(p.timezone)
    today = now.astimezone(zone).date()
    seen_on = (await latest_checks(db, {profile.id})).get(profile.id)
    until = _valid_until(seen_on, p)
    starts = (
        await db.execute(
            select(Session.starts_at)
            .join(Assignment, Assignment.session_id == Session.id)
            .join(Activity, Activity.id == Session.activity_id)
            .where(
                Assignment.volunteer_id == profile.id,
                Assignment.status.in_(HELD),
                Session.starts_at > now,
                Session.status == SessionStatus.SCHEDULED,
                Activity.target_group.in_(MINOR_GROUPS),
            )
        )
    ).scalars()
    uncovered = sum(1 for s in starts if until is None or s.astimezone(zone).date() > until)
    if until is None:
        state, days = "none", None
    else:
        days = (until - today).days
        state = "expired" if days < 0 else "running_out" if days <= REMIND_DAYS_AHEAD else "valid"
    return CheckStatus(state, seen_on, until, days, uncovered)


TEXTS = {
    "sv": (
        "Ditt utdrag ur belastningsregistret gäller till {until}",
        (
            "Hej {name}!\n\nUtdraget ur belastningsregistret som vi såg gäller för arbete med barn och unga "
            "till och med {until}. Beställ ett nytt utdrag hos Polisen (polisen.se, blanketten för arbete med "
            "barn) och visa det för samordnaren, så kan du fortsätta efter det datumet.\n{url}\n"
        ),
    ),
    "en": (
        "Your background-check extract is valid until {until}",
        (
            "Hi {name},\n\nThe background-check extract we saw lets you work with children and young people "
            "until {until}. Order a new extract from the Swedish Police (polisen.se, the form for work with "
            "children) and show it to the coordinator to go on after that date.\n{url}\n"
        ),
    ),
}
COORDINATOR_TEXTS = {
    "sv": (
        "Utdrag går ut: {volunteer} {until}",
        (
            "{volunteer}s utdrag ur belastningsregistret gäller till {until}. "
            "Platser med barn efter det: {places}.\n{url}\n"
        ),
    ),
    "en": (
        "Check running out: {volunteer} {until}",
        (
            "{volunteer}'s background-check extract is valid until {until}. "
            "Places with children after that: {places}.\n{url}\n"
        ),
    ),
}


async def queue_check_reminders(db: AsyncSession, now: dt.datetime, base_url: str) -> int:
    """A reminder, once per check, 30 days before it runs out: to the volunteer and the coordinators."""
    queued = 0
    for p in (await db.execute(select(Partnership))).scalars():
        zone = ZoneInfo(p.timezone)
        today = now.astimezone(zone).date()
        # Seen on or before this day, the check runs out within the coming 30 days.
        earliest = today - dt.timedelta(days=p.background_check_valid_days)
        latest = earliest + dt.timedelta(days=REMIND_DAYS_AHEAD)
        newest = (
            select(BackgroundCheck.profile_id, func.max(BackgroundCheck.seen_on).label("seen_on"))
            .where(BackgroundCheck.partnership_id == p.id)
            .group_by(BackgroundCheck.profile_id)
            .subquery()
        )
        rows = (
            await db.execute(
                select(VolunteerProfile, User, newest.c.seen_on)
                .join(newest, newest.c.profile_id == VolunteerProfile.id)
                .join(User, User.id == VolunteerProfile.user_id)
                .where(newest.c.seen_on >= earliest, newest.c.seen_on <= latest, User.is_active.is_(True))
            )
        ).all()
        if not rows:
            continue
        coordinators = (
            await db.execute(
                select(User.id, User.email, User.locale)
                .join(Membership, Membership.user_id == User.id)
                .where(Membership.partnership_id == p.id, Membership.role == Role.COORDINATOR, User.is_active.is_(True))
            )
        ).all()
        lost = await places_lost(db, p, now, horizon_days=REMIND_DAYS_AHEAD + 365)
        for v, u, seen_on in rows:
            until = seen_on + dt.timedelta(days=p.background_check_valid_days)
            lang = "en" if u.locale == "en" else "sv"
            when = format_date(until, "d MMMM yyyy", locale=lang)
            subject, body = TEXTS[lang]
            await enqueue(
                db,
                u.email,
                "check_running_out",
                subject.format(until=when),
                body.format(name=v.first_name, until=when, url=f"{base_url}/profile"),
                now,
                dedupe_key=f"check_running_out:{v.id}:{seen_on.isoformat()}",
            )
            queued += 1
            places = len(lost.get(v.id, []))
            for cid, email, locale in coordinators:
                clang = "en" if locale == "en" else "sv"
                cwhen = format_date(until, "d MMMM yyyy", locale=clang)
                csubject, cbody = COORDINATOR_TEXTS[clang]
                name = f"{v.first_name} {v.last_name}"
                await enqueue(
                    db,
                    email,
                    "check_running_out",
                    csubject.format(volunteer=name, until=cwhen),
                    cbody.format(volunteer=name, until=cwhen, places=places, url=f"{base_url}/volunteers/{v.id}"),
                    now,
                    dedupe_key=f"check_running_out:{v.id}:{seen_on.isoformat()}:{cid}",
                )
                queued += 1
    return queued


async def places_lost(
    db: AsyncSession, p: Partnership, now: dt.datetime, horizon_days: int = 31
) -> dict[uuid.UUID, list[uuid.UUID]]:
    """Held places on child/youth sessions within the horizon that a check valid today no longer covers.

    By volunteer: the assignments that running-out checks will cost (those already
    uncovered today are the rules' watch's business, not a forecast).
    """
    zone = ZoneInfo(p.timezone)
    today = now.astimezone(zone).date()
    rows = (
        await db.execute(
            select(Assignment.id, Assignment.volunteer_id, Session.starts_at, VolunteerProfile.birth_date)
            .join(Session, Session.id == Assignment.session_id)
            .join(Activity, Activity.id == Session.activity_id)
            .join(VolunteerProfile, VolunteerProfile.id == Assignment.volunteer_id)
            .where(
                Activity.partnership_id == p.id,
                Activity.target_group.in_(MINOR_GROUPS),
                Assignment.status.in_(HELD),
                Session.status == SessionStatus.SCHEDULED,
                Session.starts_at > now,
                Session.starts_at < now + dt.timedelta(days=horizon_days),
            )
        )
    ).all()
    checks = await latest_checks(db, {r.volunteer_id for r in rows})
    lost: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    for aid, vid, starts, birth in rows:
        until = _valid_until(checks.get(vid), p)
        if until is None or until < today:
            continue
        day = starts.astimezone(zone).date()
        if birth is not None and _age(birth, day) < p.background_check_min_age:
            continue  # too young for the check rule to apply
        if day > until:
            lost[vid].append(aid)
    return dict(lost)


def _age(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
