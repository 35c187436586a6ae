"""Coordinators' pages for the partnership itself: its settings and partners, its people and invitations."""

from __future__ import annotations

import uuid
from typing import Any

import msgspec
from litestar import get, post
from litestar.params import Parameter
from litestar.response import Template

from volunteers.accounts.middleware import coordinator_only
from volunteers.activities import schemas as activity_schemas
from volunteers.activities import services as activity_services
from volunteers.db.models import Invitation
from volunteers.db.session import Db
from volunteers.errors import DomainError, InvalidInput
from volunteers.partnerships import invitations, policy, roles, schemas
from volunteers.partnerships.controllers import limit_invitations, send
from volunteers.staffing.guard import WouldRelease
from volunteers.web.common import PageRequest, actor_of, language, page, redirect, zone_of
from volunteers.web.errors import field_of, refusal_message
from volunteers.web.i18n import N_, gettext
from volunteers.web.rules_pages import preview_rows

COORDINATORS = [coordinator_only]
CHECK = N_("This value was not accepted. Check it and try again.")
LOCAL_REFUSALS = {
    "last_coordinator": N_("The partnership must keep at least one coordinator."),
    "self_deactivation": N_("You cannot deactivate your own account."),
    "timezone": N_("Choose a time zone from the list, such as Europe/Stockholm."),
    "signatory_user_id": N_("The signatory must be one of the partnership's coordinators."),
    "partner_id": N_("Choose the partner the leader works for."),
    "email": N_("Check the e-mail address."),
}
TIMEZONES = ("Europe/Stockholm", "Europe/Helsinki", "Europe/Oslo", "Europe/Copenhagen", "Europe/Berlin", "UTC")


def chosen(request: PageRequest, partnership: str | None) -> uuid.UUID:
    """The partnership the page is about: the one asked for, or the caller's first."""
    actor = actor_of(request)
    mine = sorted(actor.coordinated_partnerships)
    try:
        wanted = uuid.UUID(partnership) if partnership else None
    except ValueError:
        wanted = None
    return wanted if wanted in mine else mine[0]


def refusal(lang: str, exc: DomainError) -> tuple[str, str]:
    """(field, message) for a refusal, in the reader's language."""
    code = getattr(exc, "code", "")
    field = field_of(exc) or "_form"
    if code in LOCAL_REFUSALS:
        return "_form", gettext(lang, LOCAL_REFUSALS[code])
    if field in LOCAL_REFUSALS:
        return field, gettext(lang, LOCAL_REFUSALS[field])
    return field, refusal_message(lang, exc)


# --- settings and partners -------------------------------------------------------------


async def _settings_page(
    db: Db, request: PageRequest, pid: uuid.UUID, errors: dict[str, str] | None = None
) -> Template:
    actor = actor_of(request)
    settings = await policy.read(db, actor, pid, request.app.state.settings.retention_days)
    partners = await activity_services.list_partners(db, actor, pid)
    coordinators = [h for h in await roles.holders(db, actor, pid) if h.role == "coordinator"]
    return page(
        request,
        "partnership/settings.html",
        status=422 if errors else 200,
        s=settings,
        partners=partners,
        coordinators=coordinators,
        timezones=sorted({*TIMEZONES, settings.timezone}),
        errors=errors or {},
    )


@get("/partnership", guards=COORDINATORS, name="partnership-settings")
async def settings_page(db: Db, request: PageRequest, partnership: str | None = Parameter(default=None)) -> Template:
    return await _settings_page(db, request, chosen(request, partnership))


def _int(form: Any, name: str) -> int | None:
    raw = (form.get(name) or "").strip()
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError as exc:
        raise InvalidInput(name, "a whole number") from exc


@post("/partnership/{pid:uuid}/settings", guards=COORDINATORS, name="partnership-settings-save", status_code=200)
async def settings_save(pid: uuid.UUID, db: Db, request: PageRequest) -> Any:
    form = await request.form()
    lang = language(request)
    try:
        signatory = (form.get("signatory_user_id") or "").strip()
        retention = _int(form, "retention_days")
        change = {
            "name": (form.get("name") or "").strip() or None,
            "timezone": (form.get("timezone") or "").strip() or None,
            "cancel_deadline_hours": _int(form, "cancel_deadline_hours"),
            "leader_requests_publish_directly": form.get("leader_requests_publish_directly") == "yes",
            "certificate_threshold_minutes": (_int(form, "certificate_threshold_hours") or 0) * 60
            if form.get("certificate_threshold_hours")
            else None,
            "signatory_user_id": signatory or None,
            "clear_signatory": not signatory,
            "retention_days": retention,
            "clear_retention": retention is None,
            "followup_interval_months": _int(form, "followup_interval_months"),
            "hour_value_sek": _int(form, "hour_value_sek"),
            "clear_hour_value": not (form.get("hour_value_sek") or "").strip(),
        }
        try:
            data = msgspec.convert({k: v for k, v in change.items() if v is not None}, schemas.SettingsUpdate)
        except msgspec.ValidationError as exc:
            name = str(exc).rpartition("$.")[2].split("[")[0].strip("`") or "_form"
            name = "certificate_threshold_hours" if name == "certificate_threshold_minutes" else name
            raise InvalidInput(name, "out of range") from exc
        await policy.change(db, actor_of(request), pid, data, request.app.state.settings.retention_days)
    except DomainError as exc:
        await db.rollback()
        if exc.status in (403, 404):
            raise
        field, message = refusal(lang, exc)
        if message == refusal_message(lang, exc) and field != "_form":
            message = gettext(lang, CHECK)
        return await _settings_page(db, request, pid, {field: message})
    return redirect(f"/partnership?partnership={pid}", "saved")


@post("/partnership/{pid:uuid}/partners", guards=COORDINATORS, name="partner-add", status_code=200)
async def partner_add(pid: uuid.UUID, db: Db, request: PageRequest) -> Any:
    from volunteers.partnerships.founding import slug_of

    form = await request.form()
    name = (form.get("partner_name") or "").strip()
    lang = language(request)
    if not name:
        return await _settings_page(db, request, pid, {"partner_name": gettext(lang, N_("Fill in this field."))})
    try:
        await activity_services.create_partner(
            db,
            actor_of(request),
            pid,
            activity_schemas.PartnerCreate(slug=slug_of(name)[:64].ljust(2, "x"), name=name[:200]),
        )
    except DomainError as exc:
        await db.rollback()
        if exc.status in (403, 404):
            raise
        return await _settings_page(
            db, request, pid, {"partner_name": gettext(lang, N_("A partner with this name exists."))}
        )
    return redirect(f"/partnership?partnership={pid}", "saved")


@post("/partnership/partners/{partner_id:uuid}", guards=COORDINATORS, name="partner-rename", status_code=200)
async def partner_rename(partner_id: uuid.UUID, db: Db, request: PageRequest) -> Any:
    form = await request.form()
    name = (form.get("name") or "").strip()[:200]
    partner = await activity_services.update_partner(
        db, actor_of(request), partner_id, activity_schemas.PartnerUpdate(name=name or None)
    )
    return redirect(f"/partnership?partnership={partner.partnership_id}", "saved")


# --- people: roles and invitations -------------------------------------------------------


async def _people_page(
    db: Db,
    request: PageRequest,
    pid: uuid.UUID,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    release: dict[str, Any] | None = None,
) -> Template:
    actor = actor_of(request)
    now = request.app.state.clock()
    return page(
        request,
        "partnership/people.html",
        status=422 if errors else (409 if release else 200),
        pid=pid,
        holders=await roles.holders(db, actor, pid),
        pending=await invitations.pending(db, actor, pid, now),
        partners=await activity_services.list_partners(db, actor, pid),
        me=actor.user_id,
        values=values or {"email": "", "role": "leader", "partner_id": ""},
        errors=errors or {},
        link=None,
        release=release,
    )


@get("/people", guards=COORDINATORS, name="people")
async def people_page(db: Db, request: PageRequest, partnership: str | None = Parameter(default=None)) -> Template:
    return await _people_page(db, request, chosen(request, partnership))


@post("/people/{pid:uuid}/invite", guards=COORDINATORS, name="people-invite", status_code=200)
async def people_invite(pid: uuid.UUID, db: Db, request: PageRequest) -> Any:
    form = await request.form()
    lang = language(request)
    values = {k: (form.get(k) or "").strip() for k in ("email", "role", "partner_id")}
    state = request.app.state
    try:
        try:
            data = msgspec.convert(
                {
                    "email": values["email"],
                    "role": values["role"],
                    "partner_id": values["partner_id"] if values["role"] == "leader" and values["partner_id"] else None,
                    "locale": lang,
                },
                schemas.InvitationCreate,
            )
        except msgspec.ValidationError as exc:
            raise InvalidInput("email" if "email" in str(exc) else "role", "check") from exc
        await invitations.coordinated(db, actor_of(request), pid)
        limit_invitations(state, actor_of(request), data.email)
        inv, token = await invitations.invite(db, actor_of(request), pid, data, state.clock())
        sent = await send(state, db, inv, token, lang)
    except DomainError as exc:
        await db.rollback()
        if exc.status in (403, 404):
            raise
        return await _people_page(db, request, pid, dict([refusal(lang, exc)]), values)
    if sent.link:  # no mail server: the coordinator hands the link over, shown once
        result = await _people_page(db, request, pid)
        result.context["link"] = sent.link
        result.context["link_for"] = inv.email
        return result
    return redirect(f"/people?partnership={pid}", "invitation_sent")


@post("/invitations/{invitation_id:uuid}/{action:str}", guards=COORDINATORS, name="invitation-act", status_code=200)
async def invitation_act(invitation_id: uuid.UUID, action: str, db: Db, request: PageRequest) -> Any:
    state = request.app.state
    actor = actor_of(request)
    if action == "revoke":
        await invitations.revoke(db, actor, invitation_id, state.clock())
        notice = "invitation_revoked"
        inv = await db.get(Invitation, invitation_id)
    elif action == "resend":
        inv, token = await invitations.renew(db, actor, invitation_id, state.clock())
        limit_invitations(state, actor, inv.email)
        sent = await send(state, db, inv, token, language(request))
        if sent.link:
            result = await _people_page(db, request, inv.partnership_id)
            result.context["link"], result.context["link_for"] = sent.link, inv.email
            return result
        notice = "invitation_sent"
    else:
        raise InvalidInput("action", "resend or revoke")
    return redirect(f"/people?partnership={inv.partnership_id if inv else ''}", notice)


@post("/people/{pid:uuid}/roles/{membership_id:uuid}", guards=COORDINATORS, name="role-act", status_code=200)
async def role_act(pid: uuid.UUID, membership_id: uuid.UUID, db: Db, request: PageRequest) -> Any:
    form = await request.form()
    actor = actor_of(request)
    lang = language(request)
    action = form.get("action") or ""
    try:
        if action == "remove":
            await roles.remove(db, actor, membership_id)
            notice = "role_removed"
        else:
            role, _, partner = (form.get("role") or "").partition(":")
            data = msgspec.convert({"role": role, "partner_id": partner or None}, schemas.RoleChange)
            await roles.change(db, actor, membership_id, data)
            notice = "role_saved"
    except (DomainError, msgspec.ValidationError) as exc:
        await db.rollback()
        if isinstance(exc, DomainError) and exc.status in (403, 404):
            raise
        message = refusal(lang, exc)[1] if isinstance(exc, DomainError) else gettext(lang, CHECK)
        return await _people_page(db, request, pid, {"_form": message})
    return redirect(f"/people?partnership={pid}", notice)


@post("/people/{pid:uuid}/staff/{user_id:uuid}", guards=COORDINATORS, name="staff-act", status_code=200)
async def staff_act(pid: uuid.UUID, user_id: uuid.UUID, db: Db, request: PageRequest) -> Any:
    form = await request.form()
    active = form.get("action") == "activate"
    confirm = form.get("confirm") == "yes"
    try:
        await roles.set_active(db, actor_of(request), pid, user_id, active, request.app.state.clock(), confirm=confirm)
    except WouldRelease as exc:
        # The account also volunteers and holds future places: show which would be released, and ask.
        await db.rollback()
        rows = preview_rows(language(request), exc, zone_of(request))
        name = rows[0]["name"] if rows else ""
        return await _people_page(db, request, pid, release={"user_id": user_id, "name": name, "preview": rows})
    except DomainError as exc:
        await db.rollback()
        if exc.status in (403, 404):
            raise
        return await _people_page(db, request, pid, {"_form": refusal(language(request), exc)[1]})
    return redirect(f"/people?partnership={pid}", "staff_activated" if active else "staff_deactivated")


partnership_page_routes = [
    settings_page,
    settings_save,
    partner_add,
    partner_rename,
    people_page,
    people_invite,
    invitation_act,
    role_act,
    staff_act,
]
