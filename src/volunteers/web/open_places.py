"""Pages for volunteers' own choices: open places, offers of freed places, swaps, own hours."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import get, post
from litestar.response import Template
from sqlalchemy import select

from volunteers.accounts.middleware import coordinator_only, staff_only
from volunteers.db.models import Partner, Skill, VolunteerProfile
from volunteers.db.session import Db
from volunteers.errors import DomainError, NotFound
from volunteers.experience import own_hours
from volunteers.staffing import replacement, signup, swaps
from volunteers.staffing.replacement import OFFER_HOURS_MAX
from volunteers.web.choices import ACTIVITY_KINDS
from volunteers.web.common import PageRequest, actor_of, language, now, page, parse_date, parse_int, redirect, today
from volunteers.web.errors import refusal_message
from volunteers.web.i18n import N_, gettext
from volunteers.web.place_words import words

OWN_KINDS = {"preparation": N_("Preparation"), "trip": N_("Trip"), "other": N_("Other")}


def _refusal(lang: str, exc: DomainError) -> str:
    """A refusal in the volunteer's words when the rules gave the reason, else the general one."""
    reasons = (exc.extra or {}).get("reasons") if hasattr(exc, "extra") else None
    if reasons:
        return "; ".join(words(lang, r["code"], {}, {}).text for r in reasons)
    return refusal_message(lang, exc)


async def _labels(db: Db, lang: str) -> dict[str, str]:
    rows = (await db.execute(select(Skill.code, Skill.label_sv, Skill.label_en))).all()
    return {code: (en if lang == "en" else sv) for code, sv, en in rows}


def _worded(places: list[Any], lang: str, labels: dict[str, str]) -> list[tuple[Any, list[Any]]]:
    return [(p, [words(lang, h.code, h.params, labels) for h in p.hindrances]) for p in places]


async def _places_page(db: Db, request: PageRequest, error: str = "") -> Template:
    actor = actor_of(request)
    lang = language(request)
    q = request.query_params
    day = parse_date(q.get("day")) if q.get("day") else None
    kind = q.get("kind") if q.get("kind") in ACTIVITY_KINDS else None
    partner_id = None
    try:
        partner_id = uuid.UUID(q["partner"]) if q.get("partner") else None
    except ValueError:
        partner_id = None
    places = await signup.open_places(db, actor, now(request), day=day, kind=kind, partner_id=partner_id)
    labels = await _labels(db, lang)
    profile = await db.get(VolunteerProfile, actor.profile_id)
    assert profile is not None
    partners = (
        await db.execute(select(Partner).where(Partner.partnership_id == profile.partnership_id).order_by(Partner.name))
    ).scalars()
    return page(
        request,
        "volunteer/open_places.html",
        status=409 if error else 200,
        # The places she can act on (take, wait for, leave the queue of) first; the rest, with
        # what would change them, folded away below: a month of a partnership's places is long.
        mine=[(p, reasons) for p, reasons in _worded(places, lang, labels) if p.may_take or p.waiting or p.may_wait],
        closed=[
            (p, reasons) for p, reasons in _worded(places, lang, labels) if not (p.may_take or p.waiting or p.may_wait)
        ],
        kinds=ACTIVITY_KINDS,
        partners=list(partners),
        filters={"day": q.get("day", ""), "kind": kind or "", "partner": str(partner_id or "")},
        error=error,
    )


@get("/me/open-places", name="open-places")
async def places_page(db: Db, request: PageRequest) -> Template:
    """Open places I may take (and why not where I may not), by day, kind of activity and partner."""
    if actor_of(request).profile_id is None:
        raise NotFound("you have no volunteer profile")
    return await _places_page(db, request)


@post("/me/open-places/{session_id:uuid}/take", name="open-place-take", status_code=200)
async def take(session_id: uuid.UUID, db: Db, request: PageRequest) -> Any:
    form = await request.form()
    try:
        out = await signup.take(db, actor_of(request), session_id, (form.get("role") or "")[:80], now(request))
    except DomainError as exc:
        await db.rollback()
        if exc.status == 404:
            raise
        return await _places_page(db, request, _refusal(language(request), exc))
    return redirect("/me/sessions", "signed_up" if out.status == "accepted" else "signed_up_waiting")


@post("/me/open-places/{session_id:uuid}/wait", name="open-place-wait", status_code=200)
async def wait(session_id: uuid.UUID, db: Db, request: PageRequest) -> Any:
    form = await request.form()
    try:
        await signup.join_waiting_list(db, actor_of(request), session_id, (form.get("role") or "")[:80], now(request))
    except DomainError as exc:
        await db.rollback()
        if exc.status == 404:
            raise
        return await _places_page(db, request, _refusal(language(request), exc))
    return redirect("/me/open-places", "waiting")


@post("/me/open-places/{session_id:uuid}/leave", name="open-place-leave", status_code=200)
async def leave(session_id: uuid.UUID, db: Db, request: PageRequest) -> Any:
    await signup.leave_waiting_list(db, actor_of(request), session_id)
    return redirect("/me/open-places", "left_waiting")


@post("/me/offers/{offer_id:uuid}/take", name="offer-take", status_code=200)
async def offer_take(offer_id: uuid.UUID, db: Db, request: PageRequest) -> Any:
    from volunteers.web.me import sessions_page_with

    try:
        await replacement.take_offer(db, actor_of(request), offer_id, now(request), request.app.state.settings.base_url)
    except DomainError as exc:
        await db.rollback()
        if exc.status == 404:
            raise
        return await sessions_page_with(db, request, _refusal(language(request), exc))
    return redirect("/me/sessions", "accepted")


@post("/me/offers/{offer_id:uuid}/decline", name="offer-decline", status_code=200)
async def offer_decline(offer_id: uuid.UUID, db: Db, request: PageRequest) -> Any:
    await replacement.decline_offer(db, actor_of(request), offer_id, now(request))
    return redirect("/me/sessions", "declined")


@post("/me/sessions/{assignment_id:uuid}/swap", name="my-session-swap", status_code=200)
async def swap(assignment_id: uuid.UUID, db: Db, request: PageRequest) -> Any:
    """Offer my accepted place to a named volunteer (their e-mail address) or to anyone who fits."""
    from volunteers.web.me import sessions_page_with

    form = await request.form()
    to = (form.get("to") or "").strip()[:320] or None
    try:
        n = await swaps.offer_swap(
            db, actor_of(request), assignment_id, to, now(request), request.app.state.settings.base_url
        )
    except DomainError as exc:
        await db.rollback()
        if exc.status == 404:
            raise
        return await sessions_page_with(db, request, _refusal(language(request), exc))
    return redirect("/me/sessions", "swap_offered" if n else "swap_nobody")


# --- own hours -------------------------------------------------------------------------


async def _hours_page(
    db: Db, request: PageRequest, errors: dict[str, str] | None = None, values: dict[str, str] | None = None
) -> Template:
    actor = actor_of(request)
    assert actor.profile_id is not None
    return page(
        request,
        "volunteer/own_hours.html",
        status=422 if errors else 200,
        activities=await own_hours.activities_worked(db, actor.profile_id),
        reported=await own_hours.mine(db, actor),
        kinds=OWN_KINDS,
        errors=errors or {},
        values=values
        or {"activity_id": "", "worked_on": today(request).isoformat(), "minutes": "", "kind": "", "note": ""},
    )


@get("/me/hours", name="own-hours")
async def hours_page(db: Db, request: PageRequest) -> Template:
    """Report time of my own (preparation, a trip) for the leader to approve."""
    if actor_of(request).profile_id is None:
        raise NotFound("you have no volunteer profile")
    return await _hours_page(db, request)


@post("/me/hours", name="own-hours-report", status_code=200)
async def hours_report(db: Db, request: PageRequest) -> Any:
    lang = language(request)
    form = await request.form()
    values = {k: (form.get(k) or "").strip() for k in ("activity_id", "worked_on", "minutes", "kind", "note")}
    errors: dict[str, str] = {}
    worked_on = parse_date(values["worked_on"])
    minutes = parse_int(values["minutes"])
    activity_id = None
    try:
        activity_id = uuid.UUID(values["activity_id"])
    except ValueError:
        errors["activity_id"] = gettext(lang, N_("Choose the activity."))
    if worked_on is None:
        errors["worked_on"] = gettext(lang, N_("Write the date as year-month-day, for example 2026-12-24."))
    if minutes is None or not 1 <= minutes <= 720:
        errors["minutes"] = gettext(lang, N_("Give the minutes as a whole number from 1 to 720."))
    if values["kind"] not in OWN_KINDS:
        errors["kind"] = gettext(lang, N_("Choose what kind of time it was."))
    if not errors:
        assert activity_id is not None and worked_on is not None and minutes is not None
        data = own_hours.OwnHoursIn(activity_id, worked_on, minutes, values["kind"], values["note"][:500])  # type: ignore[arg-type]
        try:
            await own_hours.report(db, actor_of(request), data, today(request))
        except DomainError as exc:
            await db.rollback()
            errors[exc.field or "_form"] = refusal_message(lang, exc)
        else:
            return redirect("/me/hours", "hours_reported")
    return await _hours_page(db, request, errors, values)


@get("/own-hours", guards=[staff_only], name="own-hours-review")
async def hours_review(db: Db, request: PageRequest) -> Template:
    """Leaders: time volunteers reported on my activities, to approve or not."""
    return page(
        request, "leader/own_hours.html", pending=await own_hours.to_decide(db, actor_of(request)), kinds=OWN_KINDS
    )


@post("/own-hours/{hours_id:uuid}/decide", guards=[staff_only], name="own-hours-decide", status_code=200)
async def hours_decide(hours_id: uuid.UUID, db: Db, request: PageRequest) -> Any:
    form = await request.form()
    approve = form.get("decision") == "approve"
    await own_hours.decide(db, actor_of(request), hours_id, approve, now(request))
    return redirect("/own-hours", "hours_approved" if approve else "hours_rejected")


open_place_routes = [
    places_page,
    take,
    wait,
    leave,
    offer_take,
    offer_decline,
    swap,
    hours_page,
    hours_report,
    hours_review,
    hours_decide,
]


# --- sign-up settings and answers -----------------------------------------------------------


@post("/signups/{assignment_id:uuid}/answer", guards=[staff_only], name="signup-answer", status_code=200)
async def signup_answer(assignment_id: uuid.UUID, db: Db, request: PageRequest) -> Any:
    """A leader says yes or no to a volunteer's sign-up."""
    form = await request.form()
    yes = form.get("answer") == "yes"
    await signup.confirm_signup(db, actor_of(request), assignment_id, yes, now(request))
    return redirect("/activities", "signup_confirmed" if yes else "signup_refused")


async def _coordinated(db: Db, request: PageRequest, partnership_id: uuid.UUID | None) -> tuple[Any, list[Any]]:
    """The partnership asked for (the first one coordinated if none) and all the caller coordinates.

    One the caller does not coordinate is not found: a coordinator of two partnerships
    edits each one's settings, and nobody edits a third's.
    """
    from volunteers.db.models import Partnership

    actor = actor_of(request)
    pids = set(actor.coordinated_partnerships)
    if not pids:
        raise NotFound("you coordinate no partnership")
    if partnership_id is not None and partnership_id not in pids:
        raise NotFound(f"partnership {partnership_id} not found")
    mine = list(
        (await db.execute(select(Partnership).where(Partnership.id.in_(pids)).order_by(Partnership.name))).scalars()
    )
    chosen = next((p for p in mine if p.id == partnership_id), mine[0])
    return chosen, mine


async def _settings_page(db: Db, request: PageRequest, p: Any, mine: list[Any], **more: Any) -> Template:
    from volunteers.db.models import Activity

    activities = (
        await db.execute(select(Activity).where(Activity.partnership_id == p.id).order_by(Activity.name))
    ).scalars()
    return page(
        request,
        "coordinator/signup_settings.html",
        partnership=p,
        partnerships=mine,
        activities=list(activities),
        offer_hours_max=OFFER_HOURS_MAX,
        **more,
    )


@get("/signup-settings", guards=[coordinator_only], name="signup-settings")
async def settings_page(db: Db, request: PageRequest, partnership: uuid.UUID | None = None) -> Template:
    """Coordinators: activities open for sign-up, whether leaders confirm, how long offers wait."""
    p, mine = await _coordinated(db, request, partnership)
    return await _settings_page(db, request, p, mine)


@post("/signup-settings/{partnership_id:uuid}", guards=[coordinator_only], name="signup-settings-save", status_code=200)
async def settings_save(partnership_id: uuid.UUID, db: Db, request: PageRequest) -> Any:
    from sqlalchemy import update

    from volunteers.db.models import Activity

    p, mine = await _coordinated(db, request, partnership_id)
    form = await request.form()
    wanted = set()
    for value in form.getall("open", []):
        try:
            wanted.add(uuid.UUID(value))
        except ValueError:
            continue
    hours = (form.get("offer_hours") or "").strip()
    if hours:
        if not hours.isdigit() or not 1 <= int(hours) <= OFFER_HOURS_MAX:
            # Nothing is saved; the page says what is wanted, in the visitor's language.
            wanted_hours = gettext(
                language(request), N_("A whole number of hours from 1 to %(max)s."), max=OFFER_HOURS_MAX
            )
            errors = {"offer_hours": wanted_hours}
            return await _settings_page(db, request, p, mine, status=422, errors=errors)
        p.offer_hours = int(hours)
    p.signup_leader_confirms = form.get("leader_confirms") == "yes"
    # Only this partnership's activities change, whatever ids the form carries.
    await db.execute(
        update(Activity).where(Activity.partnership_id == p.id).values(open_for_signup=Activity.id.in_(wanted))
    )
    return redirect(f"/signup-settings?partnership={p.id}", "saved")


open_place_routes += [signup_answer, settings_page, settings_save]
