"""Load what a `matching-problem/1` is built from: plain rows, a few set-based queries.

No ORM objects for thousands of rows: each query selects the columns it needs, and
`assembly.assemble` (pure, picklable) turns the rows into the problem, in the solver's
worker process for a match run. `build_problem` does both in place for the callers that
need a problem at once (a hand assignment, tests).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator, Iterable, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from volunteers.db.models import (
    Activity,
    Assignment,
    AvailabilityException,
    AvailabilityRule,
    BackgroundCheck,
    Endorsement,
    ExceptionKind,
    Exclusion,
    Partnership,
    Session,
    SessionStatus,
    StaffingNeed,
    User,
    VolunteerProfile,
    VolunteerSkill,
)
from volunteers.staffing.assembly import (
    BuiltProblem,
    HeldRow,
    NeedRow,
    ProblemRows,
    TargetRow,
    VolunteerRow,
    assemble,
)
from volunteers.staffing.pins import drop_broken_pins

__all__ = ["BuiltProblem", "TargetRow", "build_problem", "load_rows", "target_row", "target_sessions"]

_TARGET_COLUMNS = (
    Session.id,
    Activity.id,
    Activity.kind,
    Activity.target_group,
    Session.starts_at,
    Session.ends_at,
)


# Rows are turned into Python objects a chunk at a time, with the event loop free in between:
# a city's thousands of rows in one go would keep the server from answering for a while.
CHUNK = 500


async def fetch_rows(db: AsyncSession, stmt: Any) -> AsyncIterator[Any]:
    """The statement's rows in one fetch: for the few rows of a rule check, streaming's extra round trips cost more."""
    for row in (await db.execute(stmt)).all():
        yield row


async def stream_rows(db: AsyncSession, stmt: Any) -> AsyncIterator[Any]:
    """The statement's rows, converted a chunk at a time with the event loop free in between."""
    result = await db.stream(stmt.execution_options(yield_per=CHUNK))
    async for part in result.partitions():
        for row in part:
            yield row


def _week_bounds(start: dt.datetime, end: dt.datetime, zone: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
    """From the Monday 00:00 local before `start` to the Monday 00:00 local after `end`."""
    first = start.astimezone(zone).date()
    last = end.astimezone(zone).date()
    monday = first - dt.timedelta(days=first.weekday())
    after = last + dt.timedelta(days=7 - last.weekday())
    return (
        dt.datetime.combine(monday, dt.time(0), tzinfo=zone).astimezone(dt.UTC),
        dt.datetime.combine(after, dt.time(0), tzinfo=zone).astimezone(dt.UTC),
    )


def target_row(s: Session, a: Activity) -> TargetRow:
    """A loaded session and its activity as a target row."""
    return TargetRow(str(s.id), str(a.id), a.kind.value, a.target_group.involves_minors, s.starts_at, s.ends_at)


def _target(row: Sequence[Any]) -> TargetRow:
    """A row of _TARGET_COLUMNS: two ids, an ActivityKind, a TargetGroup and two datetimes."""
    sid, aid, kind, group, starts, ends = row
    return TargetRow(str(sid), str(aid), kind.value, group.involves_minors, starts, ends)


async def target_sessions(
    db: AsyncSession,
    partnership_id: uuid.UUID,
    start: dt.datetime,
    end: dt.datetime,
    activity_ids: Sequence[uuid.UUID] = (),
    session_ids: Sequence[uuid.UUID] = (),
) -> list[TargetRow]:
    """Scheduled sessions of the partnership starting in [start, end), optionally narrowed."""
    stmt = (
        select(*_TARGET_COLUMNS)
        .join(Activity, Activity.id == Session.activity_id)
        .where(
            Activity.partnership_id == partnership_id,
            Session.status == SessionStatus.SCHEDULED,
            Session.starts_at >= start,
            Session.starts_at < end,
        )
        .order_by(Session.starts_at, Session.id)
    )
    if activity_ids:
        stmt = stmt.where(Activity.id.in_(activity_ids))
    if session_ids:
        stmt = stmt.where(Session.id.in_(session_ids))
    return [_target(row) async for row in stream_rows(db, stmt)]


def _policy(partnership: Partnership) -> dict[str, object]:
    return {
        "background_check_valid_days": partnership.background_check_valid_days,
        "background_check_min_age": partnership.background_check_min_age,
        "min_volunteer_age": 13,
    }


async def load_rows(
    db: AsyncSession,
    partnership: Partnership,
    targets: Iterable[TargetRow],
    *,
    volunteer_ids: Iterable[uuid.UUID] | Select[Any] | None = None,
    with_held: bool = True,
    only_their_held: bool = False,
) -> ProblemRows:
    """Everything the problem for these target sessions needs, in eight queries whatever the size.

    With `volunteer_ids` (ids, or a select of profile ids), only those volunteers (a rule
    check of held places needs no one else); without `with_held`, no held slots (the rule
    check puts them in a plan of its own); with `only_their_held`, only those volunteers'
    held slots (a repair solve needs no one else's week).
    """
    zone = ZoneInfo(partnership.timezone)
    targets = list(targets)
    # A rule check loads a few volunteers' rows: one fetch each. A run's thousands are streamed.
    rows_of = stream_rows if volunteer_ids is None else fetch_rows
    if not targets:
        return ProblemRows(_policy(partnership), partnership.timezone, dt.date.min, dt.date.min, [])
    win_start, win_end = _week_bounds(min(t.starts_at for t in targets), max(t.ends_at for t in targets), zone)
    first_day = win_start.astimezone(zone).date()
    last_day = win_end.astimezone(zone).date()
    target_activities = sorted({uuid.UUID(t.activity_id) for t in targets})
    target_ids = [uuid.UUID(t.session_id) for t in targets]

    # The partnership's volunteers who can be planned, as a sub-select for the other queries.
    members = (
        select(VolunteerProfile.id)
        .join(User, User.id == VolunteerProfile.user_id)
        .where(
            VolunteerProfile.partnership_id == partnership.id,
            User.is_active.is_(True),
            User.anonymised_at.is_(None),
        )
    )
    if isinstance(volunteer_ids, Select):
        members = members.where(VolunteerProfile.id.in_(volunteer_ids))
    elif volunteer_ids is not None:
        members = members.where(VolunteerProfile.id.in_(set(volunteer_ids)))
    volunteers = [
        VolunteerRow(str(pid), langs or [], kinds or [], goals or [], bool(seeking), birth, cap, consent is not None)
        async for pid, langs, kinds, goals, seeking, birth, cap, consent in rows_of(
            db,
            select(
                VolunteerProfile.id,
                VolunteerProfile.languages,
                VolunteerProfile.preferred_activity_kinds,
                VolunteerProfile.learning_goals,
                VolunteerProfile.seeking_work,
                VolunteerProfile.birth_date,
                VolunteerProfile.max_minutes_per_week,
                VolunteerProfile.guardian_consent_at,
            )
            .where(VolunteerProfile.id.in_(members))
            .order_by(VolunteerProfile.id),
        )
    ]

    # Every slot held in the window, in target sessions or elsewhere.
    held = (
        []
        if not with_held
        else [
            HeldRow(str(vid), role, status.value, bool(no), str(sid), str(aid), kind.value, starts, ends)
            async for vid, role, status, no, sid, aid, kind, starts, ends in rows_of(
                db,
                select(
                    Assignment.volunteer_id,
                    Assignment.role,
                    Assignment.status,
                    Assignment.excludes,
                    Session.id,
                    Activity.id,
                    Activity.kind,
                    Session.starts_at,
                    Session.ends_at,
                )
                .join(Session, Session.id == Assignment.session_id)
                .join(Activity, Activity.id == Session.activity_id)
                .where(
                    Activity.partnership_id == partnership.id,
                    Session.starts_at < win_end,
                    Session.ends_at > win_start,
                    Session.status == SessionStatus.SCHEDULED,
                    *([Assignment.volunteer_id.in_(members)] if only_their_held else []),
                )
                .order_by(Assignment.id),
            )
        ]
    )

    needs = [
        NeedRow(str(aid), str(sid) if sid else None, role, count, skills or [], langs or [], min_age, prio, dev or [])
        async for aid, sid, role, count, skills, langs, min_age, prio, dev in rows_of(
            db,
            select(
                StaffingNeed.activity_id,
                StaffingNeed.session_id,
                StaffingNeed.role,
                StaffingNeed.count,
                StaffingNeed.skills,
                StaffingNeed.languages,
                StaffingNeed.min_age,
                StaffingNeed.priority,
                StaffingNeed.develops,
            ).where(
                StaffingNeed.activity_id.in_(target_activities),
                or_(StaffingNeed.session_id.is_(None), StaffingNeed.session_id.in_(target_ids)),
            ),
        )
    ]

    rules = [
        (str(pid), weekday, start, end, valid_from, valid_until)
        async for pid, weekday, start, end, valid_from, valid_until in rows_of(
            db,
            select(
                AvailabilityRule.profile_id,
                AvailabilityRule.weekday,
                AvailabilityRule.start_time,
                AvailabilityRule.end_time,
                AvailabilityRule.valid_from,
                AvailabilityRule.valid_until,
            ).where(AvailabilityRule.profile_id.in_(members)),
        )
    ]
    exceptions = [
        (str(pid), kind == ExceptionKind.AVAILABLE, date_from, date_to, start, end)
        async for pid, kind, date_from, date_to, start, end in rows_of(
            db,
            select(
                AvailabilityException.profile_id,
                AvailabilityException.kind,
                AvailabilityException.date_from,
                AvailabilityException.date_to,
                AvailabilityException.start_time,
                AvailabilityException.end_time,
            ).where(
                AvailabilityException.profile_id.in_(members),
                AvailabilityException.date_to >= first_day,
                AvailabilityException.date_from <= last_day,
            ),
        )
    ]

    # Skills the volunteer states and skills a leader endorsed count alike.
    skills = [
        (str(pid), code)
        async for pid, code in rows_of(
            db,
            select(VolunteerSkill.profile_id, VolunteerSkill.skill_code).where(VolunteerSkill.profile_id.in_(members)),
        )
    ]
    skills += [
        (str(pid), code)
        async for pid, code in rows_of(
            db, select(Endorsement.volunteer_id, Endorsement.skill_code).where(Endorsement.volunteer_id.in_(members))
        )
    ]
    checks = [
        (str(pid), seen)
        async for pid, seen in rows_of(
            db,
            select(BackgroundCheck.profile_id, func.max(BackgroundCheck.seen_on))
            .where(
                BackgroundCheck.partnership_id == partnership.id,
                BackgroundCheck.seen_on <= last_day,
                BackgroundCheck.profile_id.in_(members),
            )
            .group_by(BackgroundCheck.profile_id),
        )
    ]
    vetoes = [
        (str(vid), str(aid))
        async for vid, aid in rows_of(
            db,
            select(Exclusion.volunteer_id, Exclusion.activity_id)
            .where(Exclusion.activity_id.in_(target_activities))
            .order_by(Exclusion.volunteer_id, Exclusion.activity_id),
        )
    ]
    return ProblemRows(
        policy=_policy(partnership),
        timezone=partnership.timezone,
        first_day=first_day,
        last_day=last_day,
        targets=targets,
        needs=needs,
        held=held,
        volunteers=volunteers,
        rules=rules,
        exceptions=exceptions,
        skills=skills,
        checks=checks,
        vetoes=vetoes,
    )


async def build_problem(
    db: AsyncSession,
    partnership: Partnership,
    targets: Iterable[TargetRow],
    *,
    check_pins: bool = True,
) -> BuiltProblem:
    """The matching problem for these target sessions, built here and now.

    A match run instead sends `load_rows` to the solver's worker, which assembles and
    checks the pins there, off the event loop. With `check_pins` false the caller runs
    `drop_broken_pins` itself.
    """
    built = assemble(await load_rows(db, partnership, targets))
    if check_pins:
        built.warnings += drop_broken_pins(built.problem, built.no_consent)
    return built
