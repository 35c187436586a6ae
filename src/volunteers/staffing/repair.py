"""The repair solve behind a replacement offer, sized to the freed place and not to the city.

A decline must be answered in well under a second with 2,000 volunteers, so the problem
holds only what can change the answer:

1. SQL narrows the partnership to the people who *might* fill the place: a weekly rule
   or an "available" exception on the session's day that overlaps its hours, every skill
   the role asks for (stated or endorsed) and, for children, a background check recent
   enough or an age below the check's. It is a superset of the matcher's rules 1, 4 and 6
   (a held slot that would add availability overlaps the session, which rule 9 forbids),
   so nobody who could be placed is lost; the holders of the session come along for its count.
2. The rows of those people alone (and only their own held slots of the week) become a
   problem, and the matcher's own rule code (`matching.eligible_volunteers`, rules 1-7)
   says exactly who fits.
3. The solve keeps the fitting, the session's holders and the weeks of both: other
   people's sessions cannot change who is best for this place. Context shifts keep only
   the slots still pinned in them, so the solver has no free place to fill there.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections import Counter
from collections.abc import Iterable
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, and_, exists, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

import matching
from volunteers.db.models import (
    Activity,
    Assignment,
    AssignmentStatus,
    AvailabilityException,
    AvailabilityRule,
    BackgroundCheck,
    Endorsement,
    ExceptionKind,
    Partnership,
    Session,
    StaffingNeed,
    VolunteerProfile,
    VolunteerSkill,
)
from volunteers.staffing.assembly import HOLDS_SLOT, ProblemRows, assemble
from volunteers.staffing.pins import drop_broken_pins
from volunteers.staffing.problem import load_rows, target_row

# The solve's wall-clock bound: the decline answers within a second even on a busy machine.
SOLVE_SECONDS = 0.4


async def _role_skills(db: AsyncSession, s: Session, role: str) -> list[str] | None:
    """The role's skills (a session's own need wins over the activity's); None if there is no such role."""
    rows = (
        await db.execute(
            select(StaffingNeed.session_id, StaffingNeed.skills).where(
                StaffingNeed.activity_id == s.activity_id,
                StaffingNeed.role == role,
                or_(StaffingNeed.session_id.is_(None), StaffingNeed.session_id == s.id),
            )
        )
    ).all()
    if not rows:
        return None
    own = [skills for sid, skills in rows if sid is not None]
    return list((own or [rows[0][1]])[0] or [])


def might_fill(p: Partnership, s: Session, act: Activity, skills: list[str]) -> Select[Any]:
    """Profile ids that may fill the place (a superset of the eligible) and the session's holders."""
    zone = ZoneInfo(p.timezone)
    start, end = s.starts_at.astimezone(zone), s.ends_at.astimezone(zone)
    day = start.date()
    holders = select(Assignment.volunteer_id).where(
        Assignment.session_id == s.id,
        Assignment.status.in_([AssignmentStatus(x) for x in HOLDS_SLOT]),
    )
    wanted: list[Any] = [
        or_(
            exists().where(VolunteerSkill.profile_id == VolunteerProfile.id, VolunteerSkill.skill_code == code),
            exists().where(Endorsement.volunteer_id == VolunteerProfile.id, Endorsement.skill_code == code),
        )
        for code in sorted(set(skills))
    ]
    ends_midnight = end.date() == day + dt.timedelta(days=1) and end.time() == dt.time(0)
    if end.date() == day or ends_midnight:
        # A session past midnight is rare: it is not narrowed by hours (the matcher decides).
        rule = [
            AvailabilityRule.profile_id == VolunteerProfile.id,
            AvailabilityRule.weekday == day.weekday(),
            or_(AvailabilityRule.valid_from.is_(None), AvailabilityRule.valid_from <= day),
            or_(AvailabilityRule.valid_until.is_(None), AvailabilityRule.valid_until >= day),
            # A rule ending at 00:00 runs to midnight.
            or_(AvailabilityRule.end_time > start.time(), AvailabilityRule.end_time == dt.time(0)),
        ]
        if not ends_midnight:
            rule.append(AvailabilityRule.start_time < end.time())
        wanted.append(
            or_(
                exists().where(*rule),
                exists().where(
                    AvailabilityException.profile_id == VolunteerProfile.id,
                    AvailabilityException.kind == ExceptionKind.AVAILABLE,
                    AvailabilityException.date_from <= day,
                    AvailabilityException.date_to >= day,
                ),
            )
        )
    if act.target_group.involves_minors:
        # Rule 4: of age for the check (or of unknown age), a check still valid on the day.
        # Two days more than the years keep this a superset whatever the leap years do.
        of_age = day - dt.timedelta(days=round(p.background_check_min_age * 365.25) + 2)
        wanted.append(
            or_(
                VolunteerProfile.birth_date > of_age,
                exists().where(
                    BackgroundCheck.profile_id == VolunteerProfile.id,
                    BackgroundCheck.partnership_id == p.id,
                    BackgroundCheck.seen_on >= day - dt.timedelta(days=p.background_check_valid_days),
                ),
            )
        )
    return select(VolunteerProfile.id).where(
        VolunteerProfile.partnership_id == p.id,
        or_(VolunteerProfile.id.in_(holders), and_(true(), *wanted)),
    )


async def repair_rows(db: AsyncSession, p: Partnership, s: Session, act: Activity, role: str) -> ProblemRows | None:
    """The rows of the people who might fill the freed place (None if the session has no such role)."""
    skills = await _role_skills(db, s, role)
    if skills is None:
        return None
    # The ids once: as a sub-select, each of the loading's eight queries would decide them again.
    ids = set((await db.execute(might_fill(p, s, act, skills))).scalars())
    return await load_rows(db, p, [target_row(s, act)], volunteer_ids=ids, only_their_held=True)


def narrowed(
    rows: ProblemRows,
    sid: str,
    role: str,
    leaving: uuid.UUID | None = None,
    skip: Iterable[uuid.UUID] = (),
) -> tuple[dict[str, Any], list[str], set[str]]:
    """The small problem of the freed place, who fits it (rules 1-7, best order not yet), and who holds it."""
    problem = assemble(rows).problem
    skip = set(skip)
    if leaving is not None:
        for key in ("pinned", "previous"):
            problem[key] = [x for x in problem[key] if (x["volunteer"], x["shift"]) != (str(leaving), sid)]
        skip.add(leaving)
    excluded = {(x["volunteer"], x["shift"]) for x in problem["excluded"]} | {(str(v), sid) for v in skip}
    held = {x["volunteer"] for x in (*problem["pinned"], *problem["previous"]) if x["shift"] == sid}
    fits = [
        v
        for v in matching.eligible_volunteers(matching.parse_problem(problem), sid, role)
        if v not in held and (v, sid) not in excluded
    ]
    if not fits:
        return problem, [], held
    # The freed role alone, with one place more than its holders: the solve chooses one person
    # for it, not the whole session's roles over again (which cost seconds of soft goals).
    holders = {x["volunteer"] for x in problem["pinned"] if x["shift"] == sid and x["role"] == role}
    keep = set(fits) | holders
    problem["volunteers"] = [v for v in problem["volunteers"] if v["id"] in keep]
    problem["pinned"] = [
        x for x in problem["pinned"] if x["volunteer"] in keep and (x["shift"] != sid or x["role"] == role)
    ]
    problem["previous"] = []  # proposals elsewhere are no promise: only the accepted weeks are kept
    problem["excluded"] = [{"volunteer": v, "shift": sh} for v, sh in sorted(excluded) if v in keep]
    # Context shifts: exactly the kept people's slots, so there is no free place there to fill.
    counts = Counter((x["shift"], x["role"]) for x in problem["pinned"] if x["shift"] != sid)
    shifts = []
    for sh in problem["shifts"]:
        if sh["id"] == sid:
            freed = next(r for r in sh["roles"] if r["role"] == role)
            shifts.append({**sh, "roles": [{**freed, "count": len(holders) + 1}]})
            continue
        roles = [{"role": r, "count": counts[(sh["id"], r)]} for r in sorted({r for x, r in counts if x == sh["id"]})]
        if roles:
            shifts.append({**sh, "roles": roles})
    problem["shifts"] = shifts
    return problem, fits, held


async def repair_problem(
    db: AsyncSession,
    p: Partnership,
    s: Session,
    act: Activity,
    role: str,
    *,
    leaving: uuid.UUID | None = None,
    skip: Iterable[uuid.UUID] = (),
) -> tuple[dict[str, Any], list[str], set[str]]:
    """`narrowed` for a session, loaded here (the tests compare it with the matcher's eligible)."""
    rows = await repair_rows(db, p, s, act, role)
    if rows is None:
        return {}, [], set()
    return narrowed(rows, str(s.id), role, leaving, skip)


def best(
    rows: ProblemRows, sid: str, role: str, n: int, leaving: uuid.UUID | None, skip: Iterable[uuid.UUID]
) -> list[uuid.UUID]:
    """Pure CPU, no database: the narrowed problem and its solve (run in a thread, off the event loop)."""
    problem, fits, held = narrowed(rows, sid, role, leaving, skip)
    return ranked(problem, sid, role, held, n) if fits else []


async def best_candidates(
    db: AsyncSession,
    p: Partnership,
    s: Session,
    act: Activity,
    role: str,
    *,
    leaving: uuid.UUID | None = None,
    skip: Iterable[uuid.UUID] = (),
    n: int,
) -> list[uuid.UUID]:
    """Up to `n` volunteers the matcher would put in the freed place.

    Only the loading waits on the database; building, narrowing and solving (a few
    hundred milliseconds of CPU at a city's size) run in a thread, so the server keeps
    answering other requests meanwhile (HiGHS releases the interpreter lock as it solves).
    """
    rows = await repair_rows(db, p, s, act, role)
    if rows is None:
        return []
    return await asyncio.to_thread(best, rows, str(s.id), role, n, leaving, set(skip))


def ranked(problem: dict[str, Any], sid: str, role: str, held: set[str], n: int) -> list[uuid.UUID]:
    """The matcher's best `n` (or fewer) for the freed role: one solve with `n` new places.

    Every goal past coverage counts each volunteer's own triples and week alone (fairness
    per volunteer and week, continuity over their own sessions, preferences, development),
    so the best plan with `n` new places holds the `n` best for one. The solve is bounded
    in wall time: under load it returns its best plan so far, which keeps every hard rule.
    """
    shift = next(sh for sh in problem["shifts"] if sh["id"] == sid)
    shift["roles"][0]["count"] += n - 1
    try:
        plan = matching.solve(matching.parse_problem(problem), time_limit=SOLVE_SECONDS)
    except matching.ProblemError:
        # A pin that breaks a rule today (the rules' watch releases it): not pinned here.
        drop_broken_pins(problem)
        plan = matching.solve(matching.parse_problem(problem), time_limit=SOLVE_SECONDS)
    return [
        uuid.UUID(a.volunteer)
        for a in plan.assignments
        if a.shift == sid and a.role == role and a.volunteer not in held
    ]
