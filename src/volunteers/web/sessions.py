"""One session for its leaders and coordinators: fill status, hand assignment, attendance, endorsements."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import get, post
from litestar.response import Template

from volunteers.accounts.middleware import coordinator_only, staff_only
from volunteers.activities import services as activities
from volunteers.db.models import PARTICIPANT_AGE_GROUPS
from volunteers.db.session import Db
from volunteers.errors import DomainError, RuleBroken
from volunteers.experience import schemas as experience_schemas
from volunteers.experience import services as experience
from volunteers.people import services as people
from volunteers.staffing import assignments, runs
from volunteers.staffing import schemas as staffing_schemas
from volunteers.web.choices import ASSIGNMENT_STATUSES, SESSION_STATUSES
from volunteers.web.common import PageRequest, actor_of, language, now, page, parse_int, redirect
from volunteers.web.errors import field_of, refusal_message, rule_message
from volunteers.web.i18n import N_, gettext
from volunteers.web.volunteer import catalogue

STAFF = [staff_only]
COORDINATORS = [coordinator_only]


async def _session_page(
    db: Db,
    request: PageRequest,
    session_id: uuid.UUID,
    errors: dict[str, str] | None = None,
    refusal: dict[str, Any] | None = None,
    status: int | None = None,
) -> Template:
    actor = actor_of(request)
    session = await activities.get_session(db, actor, session_id)
    staffing = await assignments.session_staffing(db, actor, session_id)
    started = session.starts_at <= now(request)
    attendance = await experience.session_attendance(db, actor, session_id) if started else []
    volunteers: list[Any] = []
    if actor.is_coordinator():
        volunteers, _ = await people.list_volunteers(db, actor, None, None, None, None, 500, 0)
    worked = [a for a in attendance if a.status == "completed"]
    counted = await experience.session_participants(db, session_id) if attendance else {}
    return page(
        request,
        "leader/session.html",
        status=status or (422 if errors or refusal else 200),
        session=session,
        staffing=staffing,
        started=started,
        attendance=attendance,
        participants=counted,
        age_groups=PARTICIPANT_AGE_GROUPS,
        worked=worked,
        skills=sorted((await catalogue(db)).values(), key=lambda s: s.label_en) if worked else [],
        volunteers=volunteers,
        coordinator=actor.is_coordinator(),
        can_cancel=session.status == "scheduled"
        and not started
        and (actor.is_coordinator() or actor.leads_partner(session.partner_id)),
        statuses=SESSION_STATUSES,
        assignment_statuses=ASSIGNMENT_STATUSES,
        errors=errors or {},
        refusal=refusal,
    )


@get("/sessions/{session_id:uuid}", guards=STAFF, name="session")
async def session_page(session_id: uuid.UUID, db: Db, request: PageRequest) -> Template:
    """Who is needed and who is on the session; after it, attendance and endorsements."""
    return await _session_page(db, request, session_id)


@post("/sessions/{session_id:uuid}/attendance", guards=STAFF, name="session-attendance", status_code=200)
async def attendance_save(session_id: uuid.UUID, db: Db, request: PageRequest) -> Any:
    """Confirm the whole session at once through the experience service."""
    lang = language(request)
    actor = actor_of(request)
    form = await request.form()
    expected = await experience.session_attendance(db, actor, session_id)
    entries = []
    errors: dict[str, str] = {}
    for a in expected:
        attended = form.get(f"attended-{a.assignment_id}") == "yes"
        raw = (form.get(f"minutes-{a.assignment_id}") or "").strip()
        minutes = parse_int(raw) if raw else None
        if raw and (minutes is None or minutes < 0):
            errors[f"minutes-{a.assignment_id}"] = gettext(lang, N_("Give the minutes as a whole number."))
            continue
        entries.append(
            experience_schemas.AttendanceEntry(a.assignment_id, attended, (minutes or None) if attended else 0)
        )
    participants: dict[str, int] = {}
    for group in PARTICIPANT_AGE_GROUPS:
        raw = (form.get(f"participants-{group}") or "").strip()
        n = parse_int(raw) if raw else 0
        if n is None or not 0 <= n <= 10000:
            errors[f"participants-{group}"] = gettext(lang, N_("Give the number as a whole number."))
        else:
            participants[group] = n
    if not errors:
        try:
            await experience.confirm_attendance(
                db,
                actor,
                session_id,
                experience_schemas.AttendanceIn(entries=entries, participants=participants),
                now(request),
            )
        except DomainError as exc:
            await db.rollback()
            if exc.status in (403, 404):
                raise
            field = field_of(exc)
            if field == "entries" and exc.field and ".minutes" in exc.field:
                index = int(exc.field.split("[")[1].split("]")[0])
                field = f"minutes-{entries[index].assignment_id}"
            errors[field or "_form"] = refusal_message(lang, exc)
        else:
            return redirect(f"/sessions/{session_id}", "attendance_saved")
    return await _session_page(db, request, session_id, errors)


@post("/sessions/{session_id:uuid}/assign", guards=COORDINATORS, name="session-assign", status_code=200)
async def assign(session_id: uuid.UUID, db: Db, request: PageRequest) -> Any:
    """Propose a volunteer by hand; a refusal names the rule, explained in the reader's language."""
    lang = language(request)
    form = await request.form()
    errors: dict[str, str] = {}
    try:
        volunteer_id = uuid.UUID(form.get("volunteer_id") or "")
    except ValueError:
        errors["volunteer_id"] = gettext(lang, N_("Choose a volunteer."))
    role = (form.get("role") or "").strip()
    if not role:
        errors["role"] = gettext(lang, N_("Choose a role."))
    if errors:
        return await _session_page(db, request, session_id, errors)
    try:
        await assignments.hand_assign(
            db, actor_of(request), session_id, staffing_schemas.HandAssignmentIn(volunteer_id, role), now(request)
        )
    except RuleBroken as exc:
        await db.rollback()
        codes = [r["code"] for r in (exc.extra or {}).get("reasons", [])] or [exc.code]
        refusal = {"rules": [rule_message(lang, c) for c in dict.fromkeys(codes)], "codes": codes}
        return await _session_page(db, request, session_id, refusal=refusal, status=409)
    except DomainError as exc:
        await db.rollback()
        if exc.status in (403, 404) and not exc.field:
            raise
        errors[field_of(exc) or "_form"] = refusal_message(lang, exc)
        return await _session_page(db, request, session_id, errors)
    return redirect(f"/sessions/{session_id}", "assigned")


@post("/sessions/{session_id:uuid}/withdraw/{assignment_id:uuid}", guards=COORDINATORS, name="session-withdraw")
async def withdraw(session_id: uuid.UUID, assignment_id: uuid.UUID, db: Db, request: PageRequest) -> Any:
    await assignments.unassign(db, actor_of(request), assignment_id, "withdrawn by coordinator")
    return redirect(f"/sessions/{session_id}", "withdrawn")


@post("/sessions/{session_id:uuid}/request-staff", guards=STAFF, name="session-request-staff", status_code=200)
async def request_staff(session_id: uuid.UUID, db: Db, request: PageRequest) -> Any:
    """A leader asks the matcher for people for this session (runs in the background)."""
    state = request.app.state
    data = staffing_schemas.StaffRequest(session_id=session_id)
    run = await runs.create_leader_request(db, actor_of(request), data, state.settings.match_time_limit_seconds)
    await db.commit()
    state.runner.schedule(run.id)
    return redirect(f"/sessions/{session_id}", "staff_requested")


@post("/sessions/{session_id:uuid}/endorse", guards=STAFF, name="session-endorse", status_code=200)
async def endorse(session_id: uuid.UUID, db: Db, request: PageRequest) -> Any:
    """Endorse a skill a volunteer showed on this session."""
    lang = language(request)
    form = await request.form()
    errors: dict[str, str] = {}
    try:
        volunteer_id = uuid.UUID(form.get("volunteer_id") or "")
    except ValueError:
        errors["endorse_volunteer"] = gettext(lang, N_("Choose a volunteer."))
    skill = (form.get("skill_code") or "").strip()
    if not skill:
        errors["skill_code"] = gettext(lang, N_("Choose a skill."))
    if not errors:
        try:
            await experience.endorse(
                db,
                actor_of(request),
                volunteer_id,
                experience_schemas.EndorsementIn(
                    skill_code=skill, session_id=session_id, note=(form.get("note") or "").strip()[:200]
                ),
            )
        except DomainError as exc:
            await db.rollback()
            errors[field_of(exc) or "_form"] = refusal_message(lang, exc)
        else:
            return redirect(f"/sessions/{session_id}", "endorsed")
    return await _session_page(db, request, session_id, errors)


session_routes = [session_page, attendance_save, assign, withdraw, request_staff, endorse]
