"""Pages for account recovery and upkeep: forgot password, reset, confirm address, my account."""

from __future__ import annotations

import time
from typing import Any

from litestar import get, post
from litestar.response import Template

from volunteers.accounts import confirmation, recovery
from volunteers.accounts.account_controllers import PER_CLIENT, address_allowed
from volunteers.accounts.controllers import RESET_FLOOR_SECONDS, account_key, answer_no_sooner
from volunteers.accounts.ratelimit import rate_limited
from volunteers.accounts.security import check_password_policy, hash_password_off_loop
from volunteers.db.models import User
from volunteers.db.session import Db
from volunteers.errors import DomainError
from volunteers.web.common import PageRequest, actor_of, language, page, redirect
from volunteers.web.errors import field_of, refusal_message
from volunteers.web.i18n import N_, gettext

PUBLIC = {"public": True}
REQUIRED = N_("Fill in this field.")
CHECK_EMAIL = "public/check_email.html"


@get("/forgot-password", opt=PUBLIC, name="forgot-password")
async def forgot_form(request: PageRequest) -> Template:
    return page(request, "public/forgot_password.html", values={"email": ""})


@post("/forgot-password", opt=PUBLIC, guards=[rate_limited("reset", PER_CLIENT)], status_code=200)
async def forgot_submit(db: Db, request: PageRequest) -> Template:
    """Mail a reset link (or a note that no account uses the address); the page says the same either way."""
    lang = language(request)
    email = ((await request.form()).get("email") or "").strip()
    if not email or "@" not in email or len(email) > 320:
        errors = {"email": gettext(lang, N_("Check the e-mail address."))}
        return page(request, "public/forgot_password.html", status=422, values={"email": email}, errors=errors)
    state, started = request.app.state, time.monotonic()
    if address_allowed(state, email):
        await recovery.request_reset(db, email, lang, state.clock(), state.settings.base_url)
    await answer_no_sooner(db, started, RESET_FLOOR_SECONDS)
    return page(
        request,
        CHECK_EMAIL,
        message=N_(
            "If an account uses this address, a link to choose a new password is on its way. "
            "It works once, for 30 minutes."
        ),
    )


@get("/reset-password", opt=PUBLIC, name="reset-password")
async def reset_form(request: PageRequest, token: str = "") -> Template:
    return page(request, "public/reset_password.html", token=token[:200])


@post("/reset-password", opt=PUBLIC, guards=[rate_limited("reset-complete", PER_CLIENT)], status_code=200)
async def reset_submit(db: Db, request: PageRequest) -> Any:
    lang = language(request)
    form = await request.form()
    token = (form.get("token") or "")[:200]
    password = form.get("password") or ""
    if not password:
        errors = {"password": gettext(lang, REQUIRED)}
        return page(request, "public/reset_password.html", status=422, token=token, errors=errors)
    state = request.app.state
    try:
        check_password_policy(password)
        password_hash = await hash_password_off_loop(password)
        await recovery.complete_reset(db, token, password_hash, password, state.clock(), account_key(state))
    except DomainError as exc:
        await db.rollback()
        errors = {field_of(exc) or "_form": refusal_message(lang, exc)}
        return page(request, "public/reset_password.html", status=422, token=token, errors=errors)
    return redirect("/login", "password_reset")


@get("/confirm-email", opt=PUBLIC, name="confirm-email")
async def confirm_form(request: PageRequest, token: str = "") -> Template:
    # Opening the link only shows a button: mail scanners that fetch links spend nothing.
    return page(request, "public/confirm_email.html", token=token[:200])


@post("/confirm-email", opt=PUBLIC, guards=[rate_limited("confirm", PER_CLIENT)], status_code=200)
async def confirm_submit(db: Db, request: PageRequest) -> Any:
    lang = language(request)
    token = ((await request.form()).get("token") or "")[:200]
    try:
        await confirmation.confirm(db, token, request.app.state.clock())
    except DomainError as exc:
        await db.rollback()
        errors = {"_form": refusal_message(lang, exc)}
        return page(request, "public/confirm_email.html", status=422, token=token, errors=errors)
    return redirect("/account" if request.user is not None else "/login", "email_confirmed")


# --- my account ----------------------------------------------------------------------


def _account_page(
    request: PageRequest, status: int = 200, errors: Any = None, new_email: str = "", unconfirmed: bool = False
) -> Template:
    return page(
        request,
        "public/account.html",
        status=status,
        email=actor_of(request).email,
        values={"new_email": new_email},
        errors=errors or {},
        unconfirmed=unconfirmed,
    )


async def _own_unconfirmed(db: Db, request: PageRequest) -> User | None:
    """The caller's account, if its address is not confirmed yet."""
    user = await db.get(User, actor_of(request).user_id)
    return user if user is not None and user.email_confirmed_at is None else None


@get("/account", name="account")
async def account(db: Db, request: PageRequest) -> Template:
    return _account_page(request, unconfirmed=await _own_unconfirmed(db, request) is not None)


@post("/account/confirm-email", guards=[rate_limited("confirm-resend", PER_CLIENT)], status_code=200)
async def resend_confirmation(db: Db, request: PageRequest) -> Any:
    """A new confirmation link: the first one lasts 3 days, and until it is followed no proposal or
    reminder reaches the address (accounts/confirmation.py), so a lost link must not be the end."""
    user = await _own_unconfirmed(db, request)
    state = request.app.state
    if user is not None and address_allowed(state, user.email):  # at most 3 account mails an hour
        await confirmation.send_confirmation(db, user, state.clock(), state.settings.base_url)
    return redirect("/account", "confirmation_sent")


@post("/account/password", guards=[rate_limited("change-password", PER_CLIENT)], status_code=200)
async def change_password(db: Db, request: PageRequest) -> Any:
    lang = language(request)
    form = await request.form()
    current, new = form.get("current_password") or "", form.get("new_password") or ""
    errors = {k: gettext(lang, REQUIRED) for k, v in (("current_password", current), ("new_password", new)) if not v}
    if not errors:
        try:
            await recovery.change_password(db, actor_of(request), current, new, await hash_password_off_loop(new))
        except DomainError as exc:
            await db.rollback()
            errors = {field_of(exc) or "_form": refusal_message(lang, exc)}
        else:
            return redirect("/account", "password_changed")
    return _account_page(request, 422, errors)


@post("/account/email", guards=[rate_limited("change-email", PER_CLIENT)], status_code=200)
async def change_email(db: Db, request: PageRequest) -> Any:
    lang = language(request)
    form = await request.form()
    password, new_email = form.get("password") or "", (form.get("new_email") or "").strip()
    errors: dict[str, str] = {}
    if not new_email or "@" not in new_email or len(new_email) > 320:
        errors["new_email"] = gettext(lang, N_("Check the e-mail address."))
    if not password:
        errors["password"] = gettext(lang, REQUIRED)
    if not errors:
        state = request.app.state
        try:
            await recovery.change_email(
                db, actor_of(request), password, new_email, state.clock(), state.settings.base_url
            )
        except DomainError as exc:
            await db.rollback()
            errors = {field_of(exc) or "_form": refusal_message(lang, exc)}
        else:
            return redirect("/account", "email_change_sent")
    return _account_page(request, 422, errors, new_email)


account_routes = [
    forgot_form,
    forgot_submit,
    reset_form,
    reset_submit,
    confirm_form,
    confirm_submit,
    account,
    resend_confirmation,
    change_password,
    change_email,
]
