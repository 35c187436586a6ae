"""What leaders and coordinators see of the gaps: running-out checks, fill status."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from volunteers.accounts.actor import Actor
from volunteers.db.models import Partnership, VolunteerProfile
from volunteers.staffing.checks import audit_check_reads, latest_checks, places_lost
from volunteers.web.i18n import language_names_in_text


@dataclass(frozen=True)
class RunningOut:
    id: uuid.UUID
    name: str
    valid_until: dt.date
    places: int


@dataclass(frozen=True)
class ChecksRunningOut:
    places: int
    volunteers: list[RunningOut]


async def checks_running_out(db: AsyncSession, actor: Actor, now: dt.datetime) -> ChecksRunningOut | None:
    """How many held places with children the checks running out within a month will cost (coordinators)."""
    found: list[RunningOut] = []
    for pid in sorted(actor.coordinated_partnerships):
        p = await db.get(Partnership, pid)
        assert p is not None
        lost = await places_lost(db, p, now)
        if not lost:
            continue
        seen = await latest_checks(db, set(lost))
        audit_check_reads(db, actor, p.id, lost, "running_out")  # the names and end dates shown
        for v in (await db.execute(select(VolunteerProfile).where(VolunteerProfile.id.in_(lost)))).scalars():
            until = seen[v.id] + dt.timedelta(days=p.background_check_valid_days)
            found.append(RunningOut(v.id, f"{v.first_name} {v.last_name}", until, len(lost[v.id])))
    if not found:
        return None
    found.sort(key=lambda r: (r.valid_until, r.name))
    return ChecksRunningOut(sum(r.places for r in found), found)


# --- fill status -------------------------------------------------------------------------

FILL_AHEAD = dt.timedelta(days=28)


@dataclass(frozen=True)
class Fill:
    """Places held (proposed or accepted) against places needed."""

    needed: int
    held: int

    @property
    def state(self) -> str:
        if self.needed == 0:
            return "none"
        return "full" if self.held >= self.needed else "empty" if self.held == 0 else "part"

    def __add__(self, other: Fill) -> Fill:
        return Fill(self.needed + other.needed, self.held + other.held)


async def session_fill(db: AsyncSession, session_ids: list[uuid.UUID]) -> dict[uuid.UUID, Fill]:
    """Per session: places its needs ask for (a session's own need replacing its activity's) and places held."""
    from sqlalchemy import func, or_

    from volunteers.db.models import Assignment, AssignmentStatus, Session, StaffingNeed

    if not session_ids:
        return {}
    sessions: dict[uuid.UUID, uuid.UUID] = {
        sid: aid
        for sid, aid in (
            await db.execute(select(Session.id, Session.activity_id).where(Session.id.in_(session_ids)))
        ).all()
    }
    needs = (
        await db.execute(
            select(StaffingNeed.activity_id, StaffingNeed.session_id, StaffingNeed.role, StaffingNeed.count).where(
                StaffingNeed.activity_id.in_(set(sessions.values())),
                or_(StaffingNeed.session_id.is_(None), StaffingNeed.session_id.in_(session_ids)),
            )
        )
    ).all()
    general: dict[uuid.UUID, dict[str, int]] = {}
    own: dict[uuid.UUID, dict[str, int]] = {}
    for aid, sid, role, count in needs:
        if sid is None:
            general.setdefault(aid, {})[role] = count
        else:
            own.setdefault(sid, {})[role] = count
    held: dict[tuple[uuid.UUID, str], int] = {
        (sid, role): n
        for sid, role, n in (
            await db.execute(
                select(Assignment.session_id, Assignment.role, func.count())
                .where(
                    Assignment.session_id.in_(session_ids),
                    Assignment.status.in_([s for s in AssignmentStatus if s.holds_slot]),
                )
                .group_by(Assignment.session_id, Assignment.role)
            )
        ).all()
    }
    out = {}
    for sid, aid in sessions.items():
        roles = {**general.get(aid, {}), **own.get(sid, {})}
        out[sid] = Fill(sum(roles.values()), sum(min(held.get((sid, role), 0), count) for role, count in roles.items()))
    return out


async def activity_fill(db: AsyncSession, activity_ids: list[uuid.UUID], now: dt.datetime) -> dict[uuid.UUID, Fill]:
    """Per activity: the fill of its scheduled sessions in the coming four weeks, added up."""
    from volunteers.db.models import Session, SessionStatus

    rows = (
        await db.execute(
            select(Session.id, Session.activity_id).where(
                Session.activity_id.in_(activity_ids),
                Session.status == SessionStatus.SCHEDULED,
                Session.starts_at > now,
                Session.starts_at < now + FILL_AHEAD,
            )
        )
    ).all()
    fills = await session_fill(db, [sid for sid, _ in rows])
    out: dict[uuid.UUID, Fill] = {}
    for sid, aid in rows:
        out[aid] = out.get(aid, Fill(0, 0)) + fills[sid]
    return out


# --- a leader's own requests ----------------------------------------------------------


@dataclass(frozen=True)
class RequestResult:
    id: uuid.UUID
    activity_name: str
    start: dt.date
    end: dt.date
    status: str  # planning, waiting_review, published, failed
    since: dt.datetime
    filled: int
    missing: int


async def my_requests(db: AsyncSession, actor: Actor, limit: int = 10) -> list[RequestResult]:
    """The caller's latest requests for people and what became of them."""
    from sqlalchemy.orm import defer

    from volunteers.db.models import Activity, MatchRun, MatchRunStatus
    from volunteers.staffing.runs import run_out

    runs = (
        await db.execute(
            select(MatchRun)
            .options(defer(MatchRun.problem))
            .where(MatchRun.requested_by_id == actor.user_id, MatchRun.kind == "leader_request")
            .order_by(MatchRun.created_at.desc())
            .limit(limit)
        )
    ).scalars()
    out = []
    for run in runs:
        names = (
            await db.execute(select(Activity.name).where(Activity.id.in_([uuid.UUID(a) for a in run.activity_ids])))
        ).scalars()
        summary = run_out(run)
        if run.status == MatchRunStatus.PUBLISHED:
            status, since = "published", run.published_at or run.created_at
        elif run.status == MatchRunStatus.DONE:
            status, since = "waiting_review", run.finished_at or run.created_at
        elif run.status == MatchRunStatus.FAILED:
            status, since = "failed", run.finished_at or run.created_at
        else:
            status, since = "planning", run.created_at
        out.append(
            RequestResult(
                run.id,
                ", ".join(names),
                run.period_start,
                run.period_end,
                status,
                since,
                summary.filled,
                summary.missing,
            )
        )
    return out


# --- the run review: shortages by reason and the plan as a grid -------------------------


@dataclass
class ShortSlot:
    session_id: uuid.UUID
    activity_name: str
    starts_at: dt.datetime
    role: str
    missing: int


@dataclass
class ShortageGroup:
    code: str
    detail: str  # the missing skill, language or age the rule is about
    places: int
    slots: list[ShortSlot]


async def shortage_groups(db: AsyncSession, review: Any, lang: str) -> list[ShortageGroup]:
    """The run's empty places grouped by their main reason, the skill, language or age named."""
    from volunteers.activities.services import effective_needs
    from volunteers.db.models import Skill

    labels = {
        code: (en if lang == "en" else sv)
        for code, sv, en in (await db.execute(select(Skill.code, Skill.label_sv, Skill.label_en))).all()
    }
    groups: dict[tuple[str, str], ShortageGroup] = {}
    for s in review.sessions:
        short = [slot for slot in s.slots if slot.missing]
        if not short:
            continue
        needs = {n.role: n for n in await effective_needs(db, s.activity_id, s.session_id)}
        for slot in short:
            # The rule that turned the most people away names the group ("unavoidable" only sums them up).
            specific = [r for r in slot.reasons if r.code != "unavoidable"]
            code = max(specific, key=lambda r: r.count or 0).code if specific else "unavoidable"
            need = needs.get(slot.role)
            detail = ""
            if need is not None and code == "missing_skill":
                detail = ", ".join(labels.get(c, c) for c in sorted(need.skills))
            elif need is not None and code == "missing_language":
                detail = language_names_in_text(lang, sorted(need.languages))
            elif need is not None and code == "too_young" and need.min_age:
                detail = str(need.min_age)
            group = groups.setdefault((code, detail), ShortageGroup(code, detail, 0, []))
            group.places += slot.missing
            group.slots.append(ShortSlot(s.session_id, s.activity_name, s.starts_at, slot.role, slot.missing))
    return sorted(groups.values(), key=lambda g: (-g.places, g.code, g.detail))


@dataclass
class GridDay:
    date: dt.date
    sessions: int
    fill: Fill


def plan_grid(review: Any, zone: Any) -> list[list[GridDay | None]]:
    """The plan as weeks (rows) of days (Monday to Sunday): sessions and places filled of needed each day."""
    days: dict[dt.date, GridDay] = {}
    for s in review.sessions:
        day = s.starts_at.astimezone(zone).date()
        needed = sum(slot.count for slot in s.slots)
        filled = needed - sum(slot.missing for slot in s.slots)
        g = days.setdefault(day, GridDay(day, 0, Fill(0, 0)))
        g.sessions += 1
        g.fill = g.fill + Fill(needed, filled)
    if not days:
        return []
    first, last = min(days), max(days)
    monday = first - dt.timedelta(days=first.weekday())
    weeks = []
    while monday <= last:
        weeks.append([days.get(monday + dt.timedelta(days=i)) for i in range(7)])
        monday += dt.timedelta(days=7)
    return weeks


# --- sign-ups waiting for a leader's yes ---------------------------------------------------


@dataclass(frozen=True)
class AwaitingSignup:
    assignment_id: uuid.UUID
    volunteer_name: str
    activity_name: str
    starts_at: dt.datetime
    role: str


async def awaiting_signups(db: AsyncSession, actor: Actor, now: dt.datetime) -> list[AwaitingSignup]:
    """Volunteers' own sign-ups on the caller's activities that wait for a yes."""
    from volunteers.db.models import Activity, Assignment, AssignmentStatus, Session

    rows = (
        await db.execute(
            select(Assignment, VolunteerProfile, Session, Activity)
            .join(VolunteerProfile, VolunteerProfile.id == Assignment.volunteer_id)
            .join(Session, Session.id == Assignment.session_id)
            .join(Activity, Activity.id == Session.activity_id)
            .where(
                Assignment.awaiting_leader.is_(True),
                Assignment.status == AssignmentStatus.PROPOSED,
                Session.starts_at > now,
            )
            .order_by(Session.starts_at)
        )
    ).all()
    return [
        AwaitingSignup(a.id, f"{v.first_name} {v.last_name}", act.name, s.starts_at, a.role)
        for a, v, s, act in rows
        if actor.can_manage_partner(act.partnership_id, act.partner_id)
    ]
