"""Register, log in, log out, who am I."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import Cookie, State
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT

from volunteers.accounts import services
from volunteers.accounts.actor import Actor
from volunteers.accounts.middleware import SESSION_COOKIE
from volunteers.accounts.ratelimit import rate_limited
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
        guards=[rate_limited("register")],
        status_code=HTTP_201_CREATED,
        summary="Register as a volunteer (with consent; a guardian's under 16)",
    )
    async def register(self, data: Registration, db: Db, state: State, request: Request[Any, Any, Any]) -> Response[Me]:
        now = state.clock()
        # Hash before the first query: on SQLite that query takes the write lock.
        check_password_policy(data.password, email=data.email.strip().lower())
        password_hash = hash_password(data.password)
        user = await services.register_volunteer(db, data, now, password_hash)
        token = await create_session(db, user, now, state.settings.session_days, request.headers.get("user-agent", ""))
        actor = await actor_for_user(db, user)
        return Response(me_of(actor), status_code=HTTP_201_CREATED, cookies=[session_cookie(state, token)])

    @post(
        "/login",
        opt={"public": True},
        guards=[rate_limited("login")],
        status_code=200,
        summary="Log in",
    )
    async def login(self, data: Login, db: Db, state: State, request: Request[Any, Any, Any]) -> Response[Me]:
        now = state.clock()
        try:
            async with state.sessionmaker() as reader:
                password_ok = await services.password_matches(reader, data)
            user = await services.authenticate(db, data, now, password_ok)
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
