"""Pages anyone may open: the start page, the language switch, register, log in, log out."""

from __future__ import annotations

import time
from typing import Any

import msgspec
from litestar import Response, get, post
from litestar.datastructures import Cookie
from litestar.response import Redirect, Template
from sqlalchemy import select

from volunteers.accounts import services as accounts
from volunteers.accounts.controllers import REGISTER_FLOOR_SECONDS, account_key, answer_no_sooner, session_cookie
from volunteers.accounts.middleware import SESSION_COOKIE
from volunteers.accounts.ratelimit import client_key, rate_limited
from volunteers.accounts.schemas import Login, Registration
from volunteers.accounts.security import check_password_policy, hash_password_off_loop
from volunteers.accounts.sessions import actor_for_user, create_session, end_session
from volunteers.db.models import Partner, Partnership
from volunteers.db.session import Db
from volunteers.errors import DomainError, NotAuthenticated
from volunteers.web.choices import LANGUAGE_CHOICES
from volunteers.web.common import PageRequest, language, page, parse_date, redirect, safe_next
from volunteers.web.errors import field_of, refusal_message
from volunteers.web.i18n import LANGUAGE_COOKIE, LANGUAGES, N_, gettext
from volunteers.web.navigation import home_for

PUBLIC = {"public": True}
REQUIRED = N_("Fill in this field.")
REGISTERED = N_(
    "Thank you! We have sent a mail to the address you gave. Open its link to confirm the address, "
    "then log in with your password."
)


async def _partnerships(db: Db) -> list[dict[str, Any]]:
    """The partnerships of this installation with their partners, for the public pages."""
    rows = (await db.execute(select(Partnership).order_by(Partnership.name))).scalars().all()
    partners = (await db.execute(select(Partner).order_by(Partner.name))).scalars().all()
    return [
        {
            "slug": p.slug,
            "name": p.name,
            "area": p.area,
            "description": p.description,
            "starts_on": p.starts_on,
            "ends_on": p.ends_on,
            "partners": [x.name for x in partners if x.partnership_id == p.id],
        }
        for p in rows
    ]


@get("/", opt=PUBLIC, name="start")
async def start(db: Db, request: PageRequest) -> Template | Response[Any]:
    """What the partnership is and how to join; the issuer's OB 3.0 Profile to a client asking for JSON."""
    # The start page's address is the certificates' issuer id (web/issuer.py).
    from volunteers.web.issuer import issuer_json, issuer_name, wants_json

    if wants_json(request):
        return issuer_json(request.app.state, await issuer_name(db))
    return page(request, "public/start.html", partnerships=await _partnerships(db))


@get("/lang/{code:str}", opt=PUBLIC, name="switch-language")
async def switch_language(code: str, request: PageRequest, next: str | None = None) -> Redirect:
    """Remember the chosen language in a cookie and go back to the page."""
    target = safe_next(next, "/")
    if code not in LANGUAGES:
        return Redirect(path=target, status_code=303)
    secure = request.app.state.settings.secure_cookies
    cookie = Cookie(key=LANGUAGE_COOKIE, value=code, max_age=365 * 86400, path="/", samesite="lax", secure=secure)
    return Redirect(path=target, status_code=303, cookies=[cookie])


# --- register ------------------------------------------------------------------------


def _registration_form(form: Any, partnerships: list[dict[str, Any]]) -> dict[str, Any]:
    values = {
        k: (form.get(k) or "").strip()
        for k in (
            "first_name",
            "last_name",
            "email",
            "phone",
            "birth_date",
            "guardian_name",
            "guardian_contact",
            "partnership",
        )
    }
    values["password"] = form.get("password") or ""
    values["languages"] = [c for c in form.getall("languages", []) if c in LANGUAGE_CHOICES]
    values["consent"] = form.get("consent") == "yes"
    values["guardian_consent"] = form.get("guardian_consent") == "yes"
    values["seeking_work"] = form.get("seeking_work") == "yes"
    if not values["partnership"] and len(partnerships) == 1:
        values["partnership"] = partnerships[0]["slug"]
    return values


def _register_page(
    request: PageRequest, partnerships: list[dict[str, Any]], values: dict[str, Any], errors: Any
) -> Template:
    return page(
        request,
        "public/register.html",
        status=422 if errors else 200,
        values=values,
        errors=errors,
        partnerships=partnerships,
        language_choices=LANGUAGE_CHOICES,
    )


@get("/register", opt=PUBLIC, name="register")
async def register_form(db: Db, request: PageRequest) -> Template:
    partnerships = await _partnerships(db)
    values: dict[str, Any] = {
        "first_name": "",
        "last_name": "",
        "email": "",
        "phone": "",
        "birth_date": "",
        "guardian_name": "",
        "guardian_contact": "",
        "partnership": partnerships[0]["slug"] if len(partnerships) == 1 else "",
        "password": "",
        "languages": [],
        "consent": False,
        "guardian_consent": False,
        "seeking_work": False,
    }
    return _register_page(request, partnerships, values, {})


@post("/register", opt=PUBLIC, name="register-submit", guards=[rate_limited("register")], status_code=200)
async def register_submit(db: Db, request: PageRequest) -> Any:
    """Create the volunteer's account through the accounts service, then log them in."""
    lang = language(request)
    partnerships = await _partnerships(db)
    form = await request.form()
    values = _registration_form(form, partnerships)
    errors: dict[str, str] = {}
    for name in ("first_name", "last_name", "email", "password", "birth_date"):
        if not values[name]:
            errors[name] = gettext(lang, REQUIRED)
    birth_date = parse_date(values["birth_date"])
    if values["birth_date"] and birth_date is None:
        errors["birth_date"] = gettext(lang, N_("Write the date as year-month-day, for example 2004-05-17."))
    if not values["partnership"]:
        errors["partnership"] = gettext(lang, N_("Choose a partnership."))
    if errors:
        return _register_page(request, partnerships, values, errors)
    try:
        data = msgspec.convert(
            {
                "partnership": values["partnership"],
                "email": values["email"],
                "password": values["password"],
                "first_name": values["first_name"],
                "last_name": values["last_name"],
                "birth_date": birth_date,
                "consent": values["consent"],
                "locale": lang,
                "languages": values["languages"],
                "phone": values["phone"],
                "guardian_name": values["guardian_name"],
                "guardian_contact": values["guardian_contact"],
                "guardian_consent": values["guardian_consent"],
                "seeking_work": values["seeking_work"],
            },
            Registration,
        )
    except msgspec.ValidationError as exc:
        field = str(exc).rpartition("$.")[2].split("[")[0] or "_form"
        message = N_("Check the e-mail address.") if field == "email" else N_("Check this value.")
        return _register_page(request, partnerships, values, {field: gettext(lang, message)})
    state, started = request.app.state, time.monotonic()
    try:
        check_password_policy(data.password, email=data.email.strip().lower(), names=(data.first_name, data.last_name))
        password_hash = await hash_password_off_loop(data.password)
        await accounts.register(db, data, state.clock(), password_hash, state.settings.base_url)
    except DomainError as exc:
        await db.rollback()
        return _register_page(request, partnerships, values, {field_of(exc) or "_form": refusal_message(lang, exc)})
    # The same page, as soon, for a new address and a known one: the mail says which it was.
    await answer_no_sooner(db, started, REGISTER_FLOOR_SECONDS)
    return page(request, "public/check_email.html", message=REGISTERED)


# --- log in and out ------------------------------------------------------------------


def _agent(request: PageRequest) -> str:
    return request.headers.get("user-agent", "")


@get("/login", opt=PUBLIC, name="login")
async def login_form(request: PageRequest, next: str | None = None) -> Template:
    return page(request, "public/login.html", values={"email": ""}, next=safe_next(next, ""))


@post("/login", opt=PUBLIC, name="login-submit", guards=[rate_limited("login")], status_code=200)
async def login_submit(db: Db, request: PageRequest) -> Any:
    """Check the password through the accounts service and start a session."""
    lang = language(request)
    form = await request.form()
    email = (form.get("email") or "").strip()
    password = form.get("password") or ""
    next_page = safe_next(form.get("next"), "")
    errors: dict[str, str] = {}
    if not email:
        errors["email"] = gettext(lang, REQUIRED)
    if not password:
        errors["password"] = gettext(lang, REQUIRED)
    if not errors:
        now = request.app.state.clock()
        credentials = Login(email=email, password=password)
        try:
            # argon2 in a read-only transaction first, so that it holds no write lock.
            async with request.app.state.sessionmaker() as reader:
                password_ok = await accounts.password_matches(reader, credentials)
            user = await accounts.authenticate(
                db,
                credentials,
                now,
                password_ok,
                key=account_key(request.app.state),
                client=client_key(request),
            )
        except NotAuthenticated as exc:
            await db.commit()  # keep the failure count that drives the back-off
            errors["_form"] = refusal_message(lang, exc)
        except DomainError as exc:
            await db.rollback()
            errors["_form"] = refusal_message(lang, exc)
        else:
            token = await create_session(db, user, now, request.app.state.settings.session_days, _agent(request))
            actor = await actor_for_user(db, user)
            response = redirect(next_page or home_for(actor), None if next_page else "logged_in")
            response.cookies.append(session_cookie(request.app.state, token))
            return response
    return page(request, "public/login.html", status=422, values={"email": email}, errors=errors, next=next_page)


@post("/logout", name="logout", status_code=200)
async def logout(db: Db, request: PageRequest) -> Response[Any]:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        await end_session(db, token)
    response = redirect("/", "logged_out")
    response.cookies.append(Cookie(key=SESSION_COOKIE, value="", max_age=0, path="/"))
    return response


public_routes = [start, switch_language, register_form, register_submit, login_form, login_submit, logout]
