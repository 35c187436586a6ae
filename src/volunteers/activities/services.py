"""Partnerships, partners, activities, sessions and staffing needs: the rules."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import Integer, Select, bindparam, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from volunteers.accounts.actor import Actor
from volunteers.activities import schemas
from volunteers.db.models import (
    Activity,
    ActivityKind,
    Assignment,
    Partner,
    Partnership,
    Session,
    SessionStatus,
    Skill,
    StaffingNeed,
    TargetGroup,
    change_counter,
)
from volunteers.db.plain import Ids, is_sqlite, plain, text, utc
from volunteers.errors import Conflict, Forbidden, InvalidInput, NotFound

MAX_SERIES = 200
# Every write path keeps sessions this short, so a list of sessions overlapping a range
# can use the index on starts_at: none starts more than this before the range.
MAX_SESSION = dt.timedelta(hours=24)


# --- partnerships and partners -------------------------------------------------------


def partnership_out(p: Partnership) -> schemas.Partnership:
    return schemas.Partnership(
        p.id,
        p.slug,
        p.name,
        p.area,
        p.description,
        p.timezone,
        p.starts_on,
        p.ends_on,
        p.background_check_valid_days,
        p.certificate_threshold_minutes,
    )


async def visible_partnership(db: AsyncSession, actor: Actor, partnership_id: uuid.UUID) -> Partnership:
    p = await db.get(Partnership, partnership_id)
    if p is None or partnership_id not in actor.partnership_ids:
        raise NotFound(f"partnership {partnership_id} not found")
    return p


async def list_partnerships(db: AsyncSession, actor: Actor) -> list[schemas.Partnership]:
    ids = actor.partnership_ids
    if not ids:
        return []
    rows = (await db.execute(select(Partnership).where(Partnership.id.in_(ids)).order_by(Partnership.name))).scalars()
    return [partnership_out(p) for p in rows]


def partner_out(p: Partner) -> schemas.Partner:
    return schemas.Partner(p.id, p.partnership_id, p.slug, p.name, p.description)


async def list_partners(db: AsyncSession, actor: Actor, partnership_id: uuid.UUID) -> list[schemas.Partner]:
    await visible_partnership(db, actor, partnership_id)
    rows = (
        await db.execute(select(Partner).where(Partner.partnership_id == partnership_id).order_by(Partner.name))
    ).scalars()
    return [partner_out(p) for p in rows]


async def create_partner(
    db: AsyncSession, actor: Actor, partnership_id: uuid.UUID, data: schemas.PartnerCreate
) -> schemas.Partner:
    await visible_partnership(db, actor, partnership_id)
    if not actor.is_coordinator(partnership_id):
        raise Forbidden("only coordinators add partners")
    partner = Partner(
        partnership_id=partnership_id,
        slug=data.slug,
        name=data.name.strip(),
        description=data.description,
    )
    db.add(partner)
    try:
        await db.flush()
    except IntegrityError as exc:
        raise Conflict(f"a partner with slug '{data.slug}' exists", field="slug") from exc
    return partner_out(partner)


async def update_partner(
    db: AsyncSession, actor: Actor, partner_id: uuid.UUID, data: schemas.PartnerUpdate
) -> schemas.Partner:
    partner = await db.get(Partner, partner_id)
    if partner is None or partner.partnership_id not in actor.partnership_ids:
        raise NotFound(f"partner {partner_id} not found")
    if not actor.is_coordinator(partner.partnership_id):
        raise Forbidden("only coordinators change partners")
    if data.name is not None:
        partner.name = data.name.strip()
    if data.description is not None:
        partner.description = data.description
    await db.flush()
    return partner_out(partner)


# --- activities ----------------------------------------------------------------------


def tasks_done(
    tasks: Sequence[str], done: Sequence[schemas.TaskDone], *, drop_unknown: bool = False
) -> list[dict[str, str]]:
    """The stored past-tense wording of `tasks`; wording for a task the activity lacks is refused."""
    known = {" ".join(t.split()) for t in tasks}
    out: dict[str, dict[str, str]] = {}
    for i, d in enumerate(done):
        task = " ".join(d.task.split())
        if task not in known:
            if drop_unknown:
                continue
            raise InvalidInput(f"tasks_done[{i}].task", f"'{task}' is not one of the activity's tasks")
        if d.sv.strip() or d.en.strip():
            out[task] = {"task": task, "sv": d.sv.strip(), "en": d.en.strip()}
    return list(out.values())


def activity_out(a: Activity, partner_name: str) -> schemas.Activity:
    return schemas.Activity(
        a.id,
        a.partnership_id,
        a.partner_id,
        partner_name,
        a.name,
        a.description,
        a.kind.value,
        a.target_group.value,
        a.place,
        list(a.tasks),
        a.is_active,
        a.name_sv,
        a.name_en,
        [schemas.TaskDone(d["task"], d.get("sv", ""), d.get("en", "")) for d in a.tasks_done or []],
    )


async def _activity(db: AsyncSession, actor: Actor, activity_id: uuid.UUID) -> tuple[Activity, Partner]:
    row = (
        await db.execute(
            select(Activity, Partner).join(Partner, Partner.id == Activity.partner_id).where(Activity.id == activity_id)
        )
    ).first()
    if row is None or row[0].partnership_id not in actor.partnership_ids:
        raise NotFound(f"activity {activity_id} not found")
    return row[0], row[1]


async def managed_activity(db: AsyncSession, actor: Actor, activity_id: uuid.UUID) -> tuple[Activity, Partner]:
    """The activity if the caller may change it: its partner's leader or a coordinator."""
    activity, partner = await _activity(db, actor, activity_id)
    if not actor.can_manage_partner(activity.partnership_id, activity.partner_id):
        raise Forbidden("only the partner's leaders and coordinators change this activity")
    return activity, partner


async def get_activity(db: AsyncSession, actor: Actor, activity_id: uuid.UUID) -> schemas.Activity:
    activity, partner = await _activity(db, actor, activity_id)
    return activity_out(activity, partner.name)


async def list_activities(
    db: AsyncSession,
    actor: Actor,
    partnership_id: uuid.UUID | None,
    partner_id: uuid.UUID | None,
    kind: str | None,
    target_group: str | None,
    mine: bool,
    limit: int,
    offset: int,
) -> tuple[list[schemas.Activity], int]:
    allowed = actor.partnership_ids
    if partnership_id is not None:
        allowed = allowed & {partnership_id}
    stmt = (
        select(Activity, Partner.name)
        .join(Partner, Partner.id == Activity.partner_id)
        .where(Activity.partnership_id.in_(allowed))
    )
    if partner_id:
        stmt = stmt.where(Activity.partner_id == partner_id)
    if kind:
        stmt = stmt.where(Activity.kind == ActivityKind(kind))
    if target_group:
        stmt = stmt.where(Activity.target_group == TargetGroup(target_group))
    if mine:
        stmt = stmt.where(Activity.partner_id.in_(actor.led_partners))
    total = (await db.execute(select(func.count()).select_from(stmt.subquery()))).scalar_one()
    rows = (await db.execute(stmt.order_by(Activity.name, Activity.id).limit(limit).offset(offset))).all()
    return [activity_out(a, name) for a, name in rows], total


async def create_activity(db: AsyncSession, actor: Actor, data: schemas.ActivityCreate) -> schemas.Activity:
    partner = await db.get(Partner, data.partner_id)
    if partner is None or partner.partnership_id not in actor.partnership_ids:
        raise InvalidInput("partner_id", f"unknown partner {data.partner_id}")
    if not actor.can_manage_partner(partner.partnership_id, partner.id):
        raise Forbidden("leaders create activities for their own partner only")
    activity = Activity(
        partnership_id=partner.partnership_id,
        partner_id=partner.id,
        name=data.name.strip(),
        kind=ActivityKind(data.kind),
        target_group=TargetGroup(data.target_group),
        place=data.place,
        description=data.description,
        tasks=list(data.tasks),
        name_sv=data.name_sv.strip(),
        name_en=data.name_en.strip(),
        tasks_done=tasks_done(data.tasks, data.tasks_done),
    )
    db.add(activity)
    await db.flush()
    return activity_out(activity, partner.name)


async def update_activity(
    db: AsyncSession, actor: Actor, activity_id: uuid.UUID, data: schemas.ActivityUpdate, now: dt.datetime | None = None
) -> schemas.Activity:
    activity, partner = await managed_activity(db, actor, activity_id)
    place = activity.place
    for name in ("name", "place", "description", "is_active"):
        value = getattr(data, name)
        if value is not None:
            setattr(activity, name, value)
    if data.kind is not None:
        activity.kind = ActivityKind(data.kind)
    if data.target_group is not None:
        activity.target_group = TargetGroup(data.target_group)
    for name in ("name_sv", "name_en"):
        value = getattr(data, name)
        if value is not None:
            setattr(activity, name, value.strip())
    if data.tasks is not None or data.tasks_done is not None:
        # A task's past-tense wording is kept while the task stays; it goes with the task.
        kept = [schemas.TaskDone(d["task"], d.get("sv", ""), d.get("en", "")) for d in activity.tasks_done or []]
        new_tasks = list(data.tasks) if data.tasks is not None else list(activity.tasks)
        activity.tasks_done = tasks_done(
            new_tasks, data.tasks_done if data.tasks_done is not None else kept, drop_unknown=data.tasks_done is None
        )
        activity.tasks = new_tasks
    await db.flush()
    from volunteers.staffing import guard  # staffing builds on activities: imported when used

    # Kind and target group change the rules (a children's group needs checks); a new place is news.
    await guard.activity_changed(
        db, activity, now or dt.datetime.now(dt.UTC), actor.user_id, confirm=data.confirm, moved=activity.place != place
    )
    return activity_out(activity, partner.name)


# --- sessions ------------------------------------------------------------------------


def _aware(value: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    """A naive time is read as the partnership's local time."""
    return value.replace(tzinfo=zone) if value.tzinfo is None else value


def session_out(s: Session, a: Activity, zone: ZoneInfo) -> schemas.SessionOut:
    return schemas.SessionOut(
        s.id,
        a.id,
        a.name,
        a.partner_id,
        a.kind.value,
        a.target_group.value,
        a.place,
        s.starts_at.astimezone(zone),
        s.ends_at.astimezone(zone),
        s.status.value,
        s.note,
        s.series_id,
    )


async def _zone(db: AsyncSession, partnership_id: uuid.UUID) -> ZoneInfo:
    tz = (await db.execute(select(Partnership.timezone).where(Partnership.id == partnership_id))).scalar_one()
    return ZoneInfo(tz)


def series_times(r: schemas.Recurrence, zone: ZoneInfo) -> list[tuple[dt.datetime, dt.datetime]]:
    """Every occurrence of a weekly series, in UTC, right across daylight-saving changes."""
    if r.last_date < r.first_date:
        raise InvalidInput("recurrence.last_date", "must not be before first_date")
    if r.end_time <= r.start_time:
        raise InvalidInput("recurrence.end_time", "must be after start_time")
    day = r.first_date + dt.timedelta(days=(r.weekday - r.first_date.weekday()) % 7)
    out: list[tuple[dt.datetime, dt.datetime]] = []
    while day <= r.last_date:
        start = dt.datetime.combine(day, r.start_time, tzinfo=zone).astimezone(dt.UTC)
        end = dt.datetime.combine(day, r.end_time, tzinfo=zone).astimezone(dt.UTC)
        out.append((start, end))
        if len(out) > MAX_SERIES:
            raise InvalidInput("recurrence.last_date", f"a series has at most {MAX_SERIES} sessions")
        day += dt.timedelta(weeks=r.every_weeks)
    if not out:
        raise InvalidInput("recurrence", "no date in the range falls on that weekday")
    return out


async def create_sessions(
    db: AsyncSession, actor: Actor, activity_id: uuid.UUID, data: schemas.SessionCreate
) -> list[schemas.SessionOut]:
    activity, _ = await managed_activity(db, actor, activity_id)
    zone = await _zone(db, activity.partnership_id)
    if data.recurrence is not None:
        if data.starts_at or data.ends_at:
            raise InvalidInput("recurrence", "give either recurrence or starts_at/ends_at, not both")
        times = series_times(data.recurrence, zone)
        series_id: uuid.UUID | None = uuid.uuid4()
    else:
        if data.starts_at is None:
            raise InvalidInput("starts_at", "is required (or give a recurrence)")
        if data.ends_at is None:
            raise InvalidInput("ends_at", "is required (or give a recurrence)")
        start, end = _aware(data.starts_at, zone), _aware(data.ends_at, zone)
        if end <= start:
            raise InvalidInput("ends_at", "must be after starts_at")
        if end - start > MAX_SESSION:
            raise InvalidInput("ends_at", "a session lasts at most 24 hours")
        times = [(start.astimezone(dt.UTC), end.astimezone(dt.UTC))]
        series_id = None
    sessions = [
        Session(activity_id=activity.id, starts_at=s, ends_at=e, note=data.note, series_id=series_id) for s, e in times
    ]
    db.add_all(sessions)
    await db.flush()
    return [session_out(s, activity, zone) for s in sessions]


async def _session(db: AsyncSession, actor: Actor, session_id: uuid.UUID) -> tuple[Session, Activity]:
    row = (
        await db.execute(
            select(Session, Activity).join(Activity, Activity.id == Session.activity_id).where(Session.id == session_id)
        )
    ).first()
    if row is None or row[1].partnership_id not in actor.partnership_ids:
        raise NotFound(f"session {session_id} not found")
    return row[0], row[1]


async def get_session(db: AsyncSession, actor: Actor, session_id: uuid.UUID) -> schemas.SessionOut:
    session, activity = await _session(db, actor, session_id)
    return session_out(session, activity, await _zone(db, activity.partnership_id))


async def update_session(
    db: AsyncSession, actor: Actor, session_id: uuid.UUID, data: schemas.SessionUpdate, now: dt.datetime
) -> schemas.SessionOut:
    session, activity = await _session(db, actor, session_id)
    if not actor.can_manage_partner(activity.partnership_id, activity.partner_id):
        raise Forbidden("only the partner's leaders and coordinators change this session")
    from volunteers.staffing import guard  # staffing builds on activities: imported when used

    await guard.lock_session(db, session.id)
    await db.refresh(session)
    zone = await _zone(db, activity.partnership_id)
    start = _aware(data.starts_at, zone).astimezone(dt.UTC) if data.starts_at else session.starts_at
    end = _aware(data.ends_at, zone).astimezone(dt.UTC) if data.ends_at else session.ends_at
    if end <= start:
        raise InvalidInput("ends_at", "must be after starts_at")
    if end - start > MAX_SESSION:
        raise InvalidInput("ends_at", "a session lasts at most 24 hours")
    moved = (start, end) != (session.starts_at, session.ends_at)
    if moved:
        # Assignments keep a copy of their session's times for overlap checks.
        await db.execute(
            update(Assignment).where(Assignment.session_id == session.id).values(starts_at=start, ends_at=end)
        )
    session.starts_at, session.ends_at = start, end
    if data.status is not None:
        was = session.status
        session.status = SessionStatus(data.status)
        if was == SessionStatus.SCHEDULED and session.status == SessionStatus.CANCELLED:
            from volunteers.staffing.assignments import session_cancelled

            await session_cancelled(db, actor, session, activity, now)
    if data.note is not None:
        session.note = data.note
    await db.flush()
    if session.status == SessionStatus.SCHEDULED:
        # A new time (or a session scheduled again) is checked with every held person's rules.
        partnership = await db.get(Partnership, activity.partnership_id)
        assert partnership is not None
        await guard.sessions_changed(
            db, partnership, now, actor.user_id, [session.id], confirm=data.confirm, moved=moved
        )
    return session_out(session, activity, zone)


_session_lists: dict[tuple[bool, bool, bool], tuple[Select[Any], Select[Any]]] = {}


def _session_list_statements(sqlite: bool, by_activity: bool, by_partner: bool) -> tuple[Select[Any], Select[Any]]:
    """The session list's page and count queries, in Core with bound parameters, built
    once for each shape (the list is the hottest read: building and compiling the ORM
    statement anew cost more than running it)."""
    key = (sqlite, by_activity, by_partner)
    found = _session_lists.get(key)
    if found is not None:
        return found
    s, a, p = Session.__table__.c, Activity.__table__.c, Partnership.__table__.c
    where = [
        a.partnership_id.in_(bindparam("allowed", expanding=True)),
        s.starts_at < bindparam("end"),
        s.starts_at > bindparam("earliest"),
        s.ends_at > bindparam("start"),
    ]
    if by_activity:
        where.append(s.activity_id == bindparam("activity_id"))
    if by_partner:
        where.append(a.partner_id == bindparam("partner_id"))
    joined = Session.__table__.join(Activity.__table__, a.id == s.activity_id)
    page = (
        select(
            plain(s.id, sqlite),
            plain(a.id, sqlite),
            a.name,
            plain(a.partner_id, sqlite),
            plain(a.kind, sqlite),
            plain(a.target_group, sqlite),
            a.place,
            plain(s.starts_at, sqlite),
            plain(s.ends_at, sqlite),
            plain(s.status, sqlite),
            s.note,
            plain(s.series_id, sqlite),
            p.timezone,
        )
        .select_from(joined.join(Partnership.__table__, p.id == a.partnership_id))
        .where(*where)
        .order_by(s.starts_at, s.id)
        .limit(bindparam("limit", type_=Integer))
        .offset(bindparam("offset", type_=Integer))
    )
    counted = select(func.count()).select_from(joined).where(*where)
    _session_lists[key] = (page, counted)
    return page, counted


SessionPage = tuple[list[schemas.SessionOut], int]
_VERSION = select(change_counter.c.version).where(change_counter.c.name == "sessions")
CACHED_PAGES = 256


class _PageCache:
    """Session-list pages this process built, valid while the database's "sessions" version
    is unchanged (SQLite triggers bump it with every change to the tables the list reads,
    whoever makes it: this process, another worker or another program).

    Everyone who may see the same partnerships gets the same page, so all the volunteers of
    a partnership share one entry per week they look at.
    """

    def __init__(self) -> None:
        self.version: int | None = None
        self.pages: dict[tuple[Any, ...], SessionPage] = {}

    def get(self, version: int, key: tuple[Any, ...]) -> SessionPage | None:
        if version != self.version:
            self.version, self.pages = version, {}
            return None
        return self.pages.get(key)

    def put(self, version: int, key: tuple[Any, ...], page: SessionPage) -> None:
        if version != self.version:
            return
        if len(self.pages) >= CACHED_PAGES:
            self.pages.pop(next(iter(self.pages)))  # the oldest
        self.pages[key] = page


_page_cache = _PageCache()


async def list_sessions(
    db: AsyncSession,
    actor: Actor,
    start: dt.datetime,
    end: dt.datetime,
    partnership_id: uuid.UUID | None,
    activity_id: uuid.UUID | None,
    partner_id: uuid.UUID | None,
    limit: int,
    offset: int,
    *,
    cached: bool = False,
) -> SessionPage:
    """Sessions overlapping [start, end): one query of plain columns (this is the hottest list).

    `cached` (only for a caller that has written nothing in its transaction, such as a GET)
    lets a SQLite database answer from the pages this process built while the list's
    tables are unchanged. The version is read before the list, so a page is never kept
    under a version older than what it shows.
    """
    if end <= start:
        raise InvalidInput("end", "must be after start")
    allowed = actor.partnership_ids
    if partnership_id is not None:
        allowed = allowed & {partnership_id}
    if not allowed:
        return [], 0
    sqlite = is_sqlite(db)
    if cached and sqlite:
        conn = await db.connection()
        version = (await conn.execute(_VERSION)).scalar_one()
        key = (frozenset(allowed), start, end, activity_id, partner_id, limit, offset)
        page = _page_cache.get(version, key)
        if page is None:
            page = await _list_sessions(db, allowed, start, end, activity_id, partner_id, limit, offset)
            _page_cache.put(version, key, page)
        return page
    return await _list_sessions(db, allowed, start, end, activity_id, partner_id, limit, offset)


async def _list_sessions(
    db: AsyncSession,
    allowed: Any,
    start: dt.datetime,
    end: dt.datetime,
    activity_id: uuid.UUID | None,
    partner_id: uuid.UUID | None,
    limit: int,
    offset: int,
) -> SessionPage:
    sqlite = is_sqlite(db)
    page, counted = _session_list_statements(sqlite, activity_id is not None, partner_id is not None)
    params = {
        "allowed": list(allowed),
        "start": start,
        "end": end,
        "earliest": start - MAX_SESSION,
        "activity_id": activity_id,
        "partner_id": partner_id,
    }
    conn = await db.connection()
    rows = (await conn.execute(page, {**params, "limit": limit, "offset": offset})).all()
    if rows and len(rows) < limit:
        total = offset + len(rows)  # the last page: no need to count
    else:  # a count of its own costs less than a window over every row of the range
        total = (await conn.execute(counted, params)).scalar_one()
    zones: dict[str, ZoneInfo] = {}
    ids = Ids()
    out = []
    for sid, aid, name, partner, kind, target, place, starts, ends, status, note, series, tz in rows:
        zone = zones.get(tz) or zones.setdefault(tz, ZoneInfo(tz))
        # The session's, activity's and partner's ids are NOT NULL columns: never None here.
        out.append(
            schemas.SessionOut(
                cast(uuid.UUID, ids(sid)),
                cast(uuid.UUID, ids(aid)),
                name,
                cast(uuid.UUID, ids(partner)),
                text(kind),  # type: ignore[arg-type]
                text(target),  # type: ignore[arg-type]
                place,
                utc(starts).astimezone(zone),
                utc(ends).astimezone(zone),
                text(status),
                note,
                ids(series),
            )
        )
    return out, total


# --- staffing needs ------------------------------------------------------------------


def need_out(n: StaffingNeed) -> schemas.Need:
    return schemas.Need(
        n.id,
        n.activity_id,
        n.session_id,
        n.role,
        n.count,
        list(n.skills),
        list(n.languages),
        n.min_age,
        n.priority,
        list(n.develops),
        n.role_sv,
        n.role_en,
    )


async def _check_skills(db: AsyncSession, codes: Sequence[str], field: str) -> None:
    if not codes:
        return
    known = set((await db.execute(select(Skill.code).where(Skill.code.in_(set(codes))))).scalars())
    for i, code in enumerate(codes):
        if code not in known:
            raise InvalidInput(f"{field}[{i}]", f"unknown skill '{code}'")


async def effective_needs(db: AsyncSession, activity_id: uuid.UUID, session_id: uuid.UUID | None) -> list[StaffingNeed]:
    """The activity's needs, with a session's own need replacing the activity's for that role."""
    rows = list(
        (
            await db.execute(
                select(StaffingNeed).where(
                    StaffingNeed.activity_id == activity_id,
                    (StaffingNeed.session_id.is_(None)) | (StaffingNeed.session_id == session_id),
                )
            )
        ).scalars()
    )
    by_role: dict[str, StaffingNeed] = {}
    for n in sorted(rows, key=lambda n: n.session_id is not None):
        by_role[n.role] = n
    return sorted(by_role.values(), key=lambda n: n.role)


async def list_needs(
    db: AsyncSession, actor: Actor, activity_id: uuid.UUID, session_id: uuid.UUID | None = None
) -> list[schemas.Need]:
    if session_id is not None:
        session, activity = await _session(db, actor, session_id)
        return [need_out(n) for n in await effective_needs(db, activity.id, session.id)]
    await _activity(db, actor, activity_id)
    rows = (
        await db.execute(
            select(StaffingNeed)
            .where(StaffingNeed.activity_id == activity_id, StaffingNeed.session_id.is_(None))
            .order_by(StaffingNeed.role)
        )
    ).scalars()
    return [need_out(n) for n in rows]


async def create_need(
    db: AsyncSession,
    actor: Actor,
    data: schemas.NeedCreate,
    activity_id: uuid.UUID | None = None,
    session_id: uuid.UUID | None = None,
    now: dt.datetime | None = None,
) -> schemas.Need:
    if session_id is not None:
        _, activity = await _session(db, actor, session_id)
        if not actor.can_manage_partner(activity.partnership_id, activity.partner_id):
            raise Forbidden("only the partner's leaders and coordinators set this session's needs")
    else:
        assert activity_id is not None
        activity, _ = await managed_activity(db, actor, activity_id)
    await _check_skills(db, data.skills, "skills")
    await _check_skills(db, data.develops, "develops")
    need = StaffingNeed(
        activity_id=activity.id,
        session_id=session_id,
        role=data.role.strip(),
        count=data.count,
        skills=sorted(set(data.skills)),
        languages=sorted(set(data.languages)),
        min_age=data.min_age,
        priority=data.priority,
        develops=sorted(set(data.develops)),
        role_sv=data.role_sv.strip(),
        role_en=data.role_en.strip(),
    )
    scope = StaffingNeed.session_id.is_(None) if session_id is None else StaffingNeed.session_id == session_id
    clash = (
        await db.execute(
            select(func.count())
            .select_from(StaffingNeed)
            .where(StaffingNeed.activity_id == activity.id, scope, StaffingNeed.role == need.role)
        )
    ).scalar_one()
    if clash:
        raise Conflict(f"a need for role '{need.role}' exists here already; change it instead", field="role")
    db.add(need)
    await db.flush()
    await _needs_changed(db, actor, need, now, data.confirm)
    return need_out(need)


async def _needs_changed(
    db: AsyncSession, actor: Actor, need: StaffingNeed, now: dt.datetime | None, confirm: bool
) -> None:
    """Held people who no longer fit the needs (a skill, language or age added, a count lowered, a role gone)."""
    from volunteers.staffing import guard  # staffing builds on activities: imported when used

    activity = await db.get(Activity, need.activity_id)
    assert activity is not None
    await guard.activity_changed(
        db, activity, now or dt.datetime.now(dt.UTC), actor.user_id, confirm=confirm, session_id=need.session_id
    )


async def _managed_need(db: AsyncSession, actor: Actor, need_id: uuid.UUID) -> StaffingNeed:
    need = await db.get(StaffingNeed, need_id)
    if need is None:
        raise NotFound(f"need {need_id} not found")
    activity, _ = await _activity(db, actor, need.activity_id)
    if not actor.can_manage_partner(activity.partnership_id, activity.partner_id):
        raise Forbidden("only the partner's leaders and coordinators change this need")
    return need


async def update_need(
    db: AsyncSession, actor: Actor, need_id: uuid.UUID, data: schemas.NeedUpdate, now: dt.datetime | None = None
) -> schemas.Need:
    need = await _managed_need(db, actor, need_id)
    if data.skills is not None:
        await _check_skills(db, data.skills, "skills")
        need.skills = sorted(set(data.skills))
    if data.develops is not None:
        await _check_skills(db, data.develops, "develops")
        need.develops = sorted(set(data.develops))
    if data.languages is not None:
        need.languages = sorted(set(data.languages))
    if data.count is not None:
        need.count = data.count
    if data.priority is not None:
        need.priority = data.priority
    if data.min_age is not None:
        need.min_age = data.min_age
    if data.clear_min_age:
        need.min_age = None
    for name in ("role_sv", "role_en"):
        value = getattr(data, name)
        if value is not None:
            setattr(need, name, value.strip())
    await db.flush()
    await _needs_changed(db, actor, need, now, data.confirm)
    return need_out(need)


async def delete_need(
    db: AsyncSession, actor: Actor, need_id: uuid.UUID, now: dt.datetime | None = None, confirm: bool = False
) -> None:
    need = await _managed_need(db, actor, need_id)
    await db.delete(need)
    await db.flush()
    await _needs_changed(db, actor, need, now, confirm)
