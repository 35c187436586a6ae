"""The volunteer's work: proposals and sessions, the experience record, certificates."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from litestar import Response, get, post
from litestar.response import Template

from volunteers.certify import schemas as certify_schemas
from volunteers.certify import services as certify
from volunteers.db.models import VolunteerProfile
from volunteers.db.session import Db
from volunteers.errors import DomainError, NotFound
from volunteers.experience import record
from volunteers.staffing import assignments, replacement
from volunteers.web.charts import hours_chart
from volunteers.web.choices import CERTIFICATE_STATUSES
from volunteers.web.common import PageRequest, actor_of, language, now, page, redirect, zone_of
from volunteers.web.errors import refusal_message
from volunteers.web.i18n import N_, gettext
from volunteers.web.place_words import words


def _own_profile_id(request: PageRequest) -> uuid.UUID:
    actor = actor_of(request)
    if actor.profile_id is None:
        raise NotFound("you have no volunteer profile")
    return actor.profile_id


# --- proposals and sessions ----------------------------------------------------------


def _why_released(lang: str, code: str, born: dt.date | None, day: dt.date) -> dict[str, str]:
    """The rule in her own words ("under 16 after 20:00"), as open places word it, not the staff's, and what to do."""
    age = (day.year - born.year - ((day.month, day.day) < (born.month, born.day))) if born else 0
    said = words(lang, code, {"age": age}, {})
    return {"why": said.text[:1].upper() + said.text[1:], "fix": said.fix, "fix_url": said.fix_url}


async def _sessions_page(db: Db, request: PageRequest, error: str = "") -> Template:
    actor = actor_of(request)
    profile = await db.get(VolunteerProfile, _own_profile_id(request))
    assert profile is not None
    items = await assignments.my_assignments(db, actor, now(request))
    offers = await replacement.my_offers(db, actor, now(request))
    base = request.app.state.settings.base_url.rstrip("/")
    from volunteers.staffing.guard import released_places  # staffing's guard loads late, as the pages do

    released = []
    for r in await released_places(db, profile.id, now(request)):
        starts = r["starts_at"].astimezone(zone_of(request))
        released.append(
            {
                **r,
                **_why_released(language(request), r["code"], profile.birth_date, starts.date()),
                "starts_at": starts,
            }
        )
    return page(
        request,
        "volunteer/sessions.html",
        status=409 if error else 200,
        proposals=[a for a in items if a.status == "proposed"],
        upcoming=[a for a in items if a.status != "proposed"],
        offers=offers,
        calendar_url=f"{base}/calendar/{profile.calendar_token}.ics" if profile.calendar_token else "",
        error=error,
        released=released,
    )


async def sessions_page_with(db: Db, request: PageRequest, error: str = "") -> Template:
    """The sessions page with a refusal shown (for the pages of volunteers' own choices)."""
    return await _sessions_page(db, request, error)


@get("/me/sessions", name="my-sessions")
async def sessions_page(db: Db, request: PageRequest) -> Template:
    """Proposals to answer, the sessions I have said yes to, and my calendar link."""
    return await _sessions_page(db, request)


@post("/me/sessions/{assignment_id:uuid}/accept", name="my-session-accept", status_code=200)
async def accept(assignment_id: uuid.UUID, db: Db, request: PageRequest) -> Any:
    try:
        await assignments.accept(db, actor_of(request), assignment_id, now(request))
    except DomainError as exc:
        await db.rollback()
        if exc.status == 404:
            raise
        return await _sessions_page(db, request, refusal_message(language(request), exc))
    return redirect("/me/sessions", "accepted")


@post("/me/sessions/{assignment_id:uuid}/decline", name="my-session-decline", status_code=200)
async def decline(assignment_id: uuid.UUID, db: Db, request: PageRequest) -> Any:
    """Say no to a proposal, or cancel an accepted session before the deadline."""
    form = await request.form()
    reason = (form.get("reason") or "").strip()[:500]
    try:
        # The reason goes to the leader and the freed place is offered at once.
        result, _ = await replacement.decline_and_replace(
            db, actor_of(request), assignment_id, reason, now(request), request.app.state.settings.base_url
        )
    except DomainError as exc:
        await db.rollback()
        if exc.status == 404:
            raise
        return await _sessions_page(db, request, refusal_message(language(request), exc))
    return redirect("/me/sessions", "declined" if result.status == "declined" else "cancelled")


# --- experience ----------------------------------------------------------------------


@get("/me/experience", name="my-experience")
async def experience_page(db: Db, request: PageRequest) -> Template:
    """Verified hours over time (a chart and a table), skills, trainings and learning goals."""
    from volunteers.web.open_places import OWN_KINDS

    exp = await record.experience(db, actor_of(request), _own_profile_id(request), now(request))
    # Approved own hours come in under their kind ("preparation"): named in the page's language.
    return page(request, "volunteer/experience.html", exp=exp, own_kinds=OWN_KINDS)


@get("/me/experience/hours.svg", name="my-hours-chart")
async def hours_svg(db: Db, request: PageRequest) -> Response[bytes]:
    """The hours by month as an SVG image (an image URL: the CSP allows no inline styles)."""
    exp = await record.experience(db, actor_of(request), _own_profile_id(request))
    lang = language(request)
    svg = hours_chart([(h.label, h.hours) for h in exp.by_month], gettext(lang, N_("Verified hours per month")), lang)
    return Response(svg, media_type="image/svg+xml", headers={"Cache-Control": "private, no-store"})


# --- certificates --------------------------------------------------------------------


async def _certificates_page(db: Db, request: PageRequest, error: str = "") -> Template:
    actor = actor_of(request)
    profile_id = _own_profile_id(request)
    exp = await record.experience(db, actor, profile_id)
    certs = await certify.list_for_volunteer(db, actor, profile_id)
    base = request.app.state.settings.base_url
    return page(
        request,
        "volunteer/certificates.html",
        status=409 if error else 200,
        exp=exp,
        certificates=[certify.certificate_out(c, base) for c in certs],
        statuses=CERTIFICATE_STATUSES,
        error=error,
    )


@get("/me/certificates", name="my-certificates")
async def certificates_page(db: Db, request: PageRequest) -> Template:
    return await _certificates_page(db, request)


@post("/me/certificates", name="my-certificate-issue", status_code=200)
async def certificate_issue(db: Db, request: PageRequest) -> Any:
    """Issue my own certificate once my verified hours pass the threshold (the service decides)."""
    form = await request.form()
    lang = form.get("language") if form.get("language") in ("sv", "en") else language(request)
    state = request.app.state
    try:
        await certify.issue(
            db,
            actor_of(request),
            _own_profile_id(request),
            certify_schemas.IssueIn(language=lang),  # type: ignore[arg-type]
            state.signing_keys.signing(),
            state.settings.base_url,
            now(request),
        )
    except DomainError as exc:
        await db.rollback()
        if exc.status == 404:
            raise
        return await _certificates_page(db, request, refusal_message(language(request), exc))
    return redirect("/me/certificates", "certificate_issued")


me_routes = [
    sessions_page,
    accept,
    decline,
    experience_page,
    hours_svg,
    certificates_page,
    certificate_issue,
]
