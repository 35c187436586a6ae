"""Register, log in, log out, who am I."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie, State
from litestar.exceptions import HTTPException
from litestar.handlers.base import BaseRouteHandler
from litestar.status_codes import HTTP_202_ACCEPTED, HTTP_204_NO_CONTENT

from volunteers.accounts import services
from volunteers.accounts.actor import Actor
from volunteers.accounts.middleware import SESSION_COOKIE
from volunteers.accounts.ratelimit import client_key, rate_limited
from volunteers.accounts.schemas import Login, Me, MembershipOut, Registration
from volunteers.accounts.security import check_password_policy, hash_password
from volunteers.accounts.sessions import actor_for_user, create_session, end_session
from volunteers.db.session import Db
from volunteers.errors import NotAuthenticated


def me_of(actor: Actor) -> Me:
    return Me(
        id=actor.user_id,
        email=actor.email,
        display_name=actor.display_name,
        locale=actor.locale,
        roles=sorted(actor.roles),
        memberships=[MembershipOut(m.partnership_id, m.role.value, m.partner_id) for m in actor.memberships],
        volunteer_profile_id=actor.profile_id,
    )


class CheckYourMail(msgspec.Struct):
    """What registration and reset requests answer, whether the address has an account or not."""

    detail: str


REGISTRATION_RECEIVED = CheckYourMail(
    detail="If the details are in order, a mail is on its way to the address: open its link to go on."
)


# Registration and reset requests answer no sooner than this after they arrive, whichever
# path they took: a new account writes more rows than a note to a known address does,
# and the difference (~25 ms) told them apart. The work is committed before the wait, so
# no lock is held while waiting.
REGISTER_FLOOR_SECONDS = 0.2
RESET_FLOOR_SECONDS = 0.15


async def answer_no_sooner(db: Db, started: float, floor: float) -> None:
    """Commit, then wait until `floor` seconds have passed since `started` (time.monotonic)."""
    await db.commit()
    remaining = floor - (time.monotonic() - started)
    if remaining > 0:
        await asyncio.sleep(remaining)


def account_key(state: State) -> str:
    """The instance secret that keys the log-in throttle's hashes (read once)."""
    key = state.get("account_key")
    if key is None:
        key = state.settings.resolved_secret_key()
        state.account_key = key
    return str(key)


async def json_only(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Refuse bodies that are not JSON: a cross-site form can send text/plain without asking."""
    media_type = connection.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != "application/json":
        raise HTTPException(status_code=415, detail="send the body as application/json")


def session_cookie(state: State, token: str) -> Cookie:
    settings = state.settings
    return Cookie(
        key=SESSION_COOKIE,
        value=token,
        httponly=True,
        secure=settings.secure_cookies,
        samesite="lax",
        max_age=settings.session_days * 86400,
        path="/",
    )


class AuthController(Controller):
    path = "/api/auth"
    tags = ["accounts"]

    @post(
        "/register",
        opt={"public": True},
        guards=[json_only, rate_limited("register")],
        status_code=HTTP_202_ACCEPTED,
        summary="Register as a volunteer (with consent; a guardian's under 16); the address confirms by link",
        description=(
            "Answers 202 with the same body whether or not the address has an account: a new address "
            "gets a confirmation link, a known one a note that it has an account. Log in with the "
            "password afterwards; an unconfirmed account gets no proposals or reminders by mail."
        ),
    )
    async def register(self, data: Registration, db: Db, state: State) -> CheckYourMail:
        started, now = time.monotonic(), state.clock()
        # Hash before the first query: on SQLite that query takes the write lock.
        check_password_policy(
            data.password,
            email=data.email.strip().lower(),
            names=(data.first_name, data.last_name),
        )
        password_hash = await asyncio.to_thread(hash_password, data.password)  # off the event loop: ~45 ms
        await services.register(db, data, now, password_hash, state.settings.base_url)
        await answer_no_sooner(db, started, REGISTER_FLOOR_SECONDS)
        return REGISTRATION_RECEIVED

    @post(
        "/login",
        opt={"public": True},
        guards=[json_only, rate_limited("login")],
        status_code=200,
        summary="Log in (JSON only, with the CSRF token)",
    )
    async def login(self, data: Login, db: Db, state: State, request: Request[Any, Any, Any]) -> Response[Me]:
        now = state.clock()
        try:
            async with state.sessionmaker() as reader:
                password_ok = await services.password_matches(reader, data)
            user = await services.authenticate(
                db, data, now, password_ok, key=account_key(state), client=client_key(request)
            )
        except NotAuthenticated:
            await db.commit()  # keep the failure count that drives the back-off
            raise
        token = await create_session(db, user, now, state.settings.session_days, request.headers.get("user-agent", ""))
        actor = await actor_for_user(db, user)
        return Response(me_of(actor), cookies=[session_cookie(state, token)])

    @post(
        "/logout",
        status_code=HTTP_204_NO_CONTENT,
        summary="Log out",
        response_cookies=[Cookie(key=SESSION_COOKIE, value="", max_age=0, path="/")],
    )
    async def logout(self, db: Db, request: Request[Any, Any, Any]) -> None:
        token = request.cookies.get(SESSION_COOKIE)
        if token:
            await end_session(db, token)

    @get("/me", summary="Who am I")
    async def me(self, request: Request[Actor, Any, Any]) -> Me:
        return me_of(request.user)
