"""The page that accepts an invitation link: open it, choose a name and password, consent, go.

The link's secret travels in the URL's fragment (never sent to a server, so never in an
access log); the page's script moves it into a form field and posts it. Without the
script the person pastes the code from the mail's link into the same field.
"""

from __future__ import annotations

from typing import Any

from litestar import get, post
from litestar.response import Template

from volunteers.accounts.controllers import session_cookie
from volunteers.accounts.ratelimit import rate_limited
from volunteers.accounts.sessions import actor_for_user, create_session
from volunteers.db.session import Db
from volunteers.errors import DomainError, InvalidInput, NotAuthenticated
from volunteers.partnerships import invitations
from volunteers.partnerships.schemas import InvitationAccept
from volunteers.web.common import PageRequest, language, page, redirect
from volunteers.web.errors import refusal_message
from volunteers.web.i18n import N_, gettext
from volunteers.web.navigation import home_for

PUBLIC = {"public": True}
LINK_INVALID = N_(
    "This invitation link is not valid any more: it was used, replaced or is older than 7 days. Ask for a new one."
)
WRONG_PASSWORD = N_("That is not the password of your account.")
NAME_REQUIRED = N_("Write your name.")
ROLE_NAMES = {"coordinator": N_("coordinator"), "leader": N_("activity leader"), "volunteer": N_("volunteer")}


def _message(lang: str, exc: DomainError) -> tuple[str, str]:
    """(field, message in the reader's language) for a refusal of the accepting service."""
    if exc.field == "token":
        return "token", gettext(lang, LINK_INVALID)
    if isinstance(exc, NotAuthenticated):
        return "password", gettext(lang, WRONG_PASSWORD)
    if exc.field == "display_name":
        return "display_name", gettext(lang, NAME_REQUIRED)
    return exc.field or "_form", refusal_message(lang, exc)


def _open_page(request: PageRequest, token: str = "", errors: dict[str, str] | None = None) -> Template:
    return page(
        request, "partnership/invitation_open.html", status=422 if errors else 200, token=token, errors=errors or {}
    )


@get("/invitation", opt=PUBLIC, name="invitation")
async def invitation_open(request: PageRequest) -> Template:
    """Step one: the code from the link (filled in by the page's script)."""
    return _open_page(request)


async def _accept_page(
    db: Db, request: PageRequest, token: str, values: dict[str, Any], errors: dict[str, str]
) -> Template:
    lang = language(request)
    try:
        preview = await invitations.preview(db, token, request.app.state.clock())
    except InvalidInput:
        return _open_page(request, "", {"token": gettext(lang, LINK_INVALID)})
    return page(
        request,
        "partnership/invitation_accept.html",
        status=422 if errors else 200,
        token=token,
        invitation=preview,
        role_name=ROLE_NAMES.get(preview.role, preview.role),
        values=values,
        errors=errors,
    )


@post("/invitation", opt=PUBLIC, name="invitation-show", guards=[rate_limited("invitation")], status_code=200)
async def invitation_show(db: Db, request: PageRequest) -> Template:
    """Step two: what the link invites to, and the fields to accept it."""
    form = await request.form()
    token = (form.get("token") or "").strip().lstrip("#")
    if not token:
        return _open_page(request, "", {"token": gettext(language(request), N_("Fill in this field."))})
    return await _accept_page(db, request, token, {"display_name": ""}, {})


@post("/invitation/accept", opt=PUBLIC, name="invitation-accept", guards=[rate_limited("invitation")], status_code=200)
async def invitation_accept(db: Db, request: PageRequest) -> Any:
    """Accept: the account is made (or linked), the role given, the person logged in."""
    lang = language(request)
    form = await request.form()
    token = (form.get("token") or "").strip()
    values = {"display_name": (form.get("display_name") or "").strip()}
    data = InvitationAccept(
        token=token[:200],
        password=(form.get("password") or "")[:256],
        display_name=values["display_name"][:200],
        consent=form.get("consent") == "yes",
    )
    now = request.app.state.clock()
    if not data.password:
        return await _accept_page(db, request, token, values, {"password": gettext(lang, N_("Fill in this field."))})
    try:
        user = await invitations.accept(db, data, now)
    except DomainError as exc:
        await db.rollback()
        field, message = _message(lang, exc)
        if field == "token":
            return _open_page(request, "", {"token": message})
        return await _accept_page(db, request, token, values, {field: message})
    cookie = await create_session(
        db, user, now, request.app.state.settings.session_days, request.headers.get("user-agent", "")
    )
    actor = await actor_for_user(db, user)
    response = redirect(home_for(actor), "welcome_staff")
    response.cookies.append(session_cookie(request.app.state, cookie))
    return response


invitation_routes = [invitation_open, invitation_show, invitation_accept]
