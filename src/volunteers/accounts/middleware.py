"""Cookie authentication against server-side sessions kept in the database."""

from __future__ import annotations

import datetime as dt
from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult

from volunteers.accounts.actor import Actor
from volunteers.accounts.sessions import load_actor

SESSION_COOKIE = "samverka_session"


class SessionAuthMiddleware(AbstractAuthenticationMiddleware):
    """Sets `request.user` to an Actor, or None for anonymous callers."""

    async def authenticate_request(self, connection: ASGIConnection[Any, Any, Any, Any]) -> AuthenticationResult:
        token = connection.cookies.get(SESSION_COOKIE)
        if not token:
            return AuthenticationResult(user=None, auth=None)
        state = connection.app.state
        now = state.clock()
        cache: ActorCache = state.actor_cache
        actor = cache.get(token, now)
        if actor is None:
            async with state.sessionmaker() as db:
                actor = await load_actor(db, token, now)
                if actor is not None:
                    await db.commit()
                    cache.put(token, actor, now)
        return AuthenticationResult(user=actor, auth=token if actor else None)


class ActorCache:
    """Who is behind a session cookie, remembered for a few seconds.

    Saves the look-up queries on every request. Log-out on this instance forgets at once;
    a log-out, deactivation or role change elsewhere takes effect within `ttl`.
    """

    def __init__(self, ttl: dt.timedelta = dt.timedelta(seconds=10), size: int = 10_000):
        self.ttl = ttl
        self.size = size
        self._items: dict[str, tuple[dt.datetime, Actor]] = {}

    def get(self, token: str, now: dt.datetime) -> Actor | None:
        hit = self._items.get(token)
        if hit is None or now - hit[0] > self.ttl or now < hit[0]:
            return None
        return hit[1]

    def put(self, token: str, actor: Actor, now: dt.datetime) -> None:
        if len(self._items) >= self.size:
            self._items.clear()
        self._items[token] = (now, actor)

    def forget(self, token: str) -> None:
        self._items.pop(token, None)

    def clear(self) -> None:
        self._items.clear()


async def require_login(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
    """The app-wide guard: every route needs a log-in unless it is marked public."""
    if handler.opt.get("public") or connection.url.path.startswith("/schema"):
        return
    if connection.user is None:
        raise NotAuthorizedException("log in first")


async def coordinator_only(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Routes for coordinators of some partnership (the service checks which one)."""
    if connection.user is None or not connection.user.is_coordinator():
        raise NotAuthorizedException("log in first") if connection.user is None else _forbidden()


async def staff_only(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Routes for leaders and coordinators."""
    user = connection.user
    if user is None:
        raise NotAuthorizedException("log in first")
    if not (user.is_coordinator() or user.is_leader()):
        raise _forbidden()


def _forbidden() -> Exception:
    from litestar.exceptions import PermissionDeniedException

    return PermissionDeniedException("your role does not allow this")
