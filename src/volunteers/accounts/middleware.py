"""Cookie authentication against server-side sessions kept in the database."""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult

from volunteers.accounts.sessions import load_actor

SESSION_COOKIE = "samverka_session"


class SessionAuthMiddleware(AbstractAuthenticationMiddleware):
    """Sets `request.user` to an Actor, or None for anonymous callers."""

    async def authenticate_request(self, connection: ASGIConnection[Any, Any, Any, Any]) -> AuthenticationResult:
        token = connection.cookies.get(SESSION_COOKIE)
        if not token:
            return AuthenticationResult(user=None, auth=None)
        state = connection.app.state
        actor = await load_actor(state.engine, token, state.clock())
        return AuthenticationResult(user=actor, auth=token if actor else None)


async def require_login(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
    """The app-wide guard: every route needs a log-in unless it is marked public."""
    if handler.opt.get("public") or connection.url.path.startswith("/schema") or _is_options(connection):
        return
    if connection.user is None:
        raise NotAuthorizedException("log in first")


def _is_options(connection: ASGIConnection[Any, Any, Any, Any]) -> bool:
    """Litestar's own OPTIONS answer (204 and the Allow header) reveals nothing; the
    authentication middleware skips OPTIONS, so there is no user to check (reading
    `connection.user` then is a 500, as a controller's role guard did: issue 15)."""
    return connection.scope.get("method") == "OPTIONS"


async def coordinator_only(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Routes for coordinators of some partnership (the service checks which one)."""
    if _is_options(connection):
        return
    if connection.user is None or not connection.user.is_coordinator():
        raise NotAuthorizedException("log in first") if connection.user is None else _forbidden()


async def staff_only(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Routes for leaders and coordinators."""
    if _is_options(connection):
        return
    user = connection.user
    if user is None:
        raise NotAuthorizedException("log in first")
    if not (user.is_coordinator() or user.is_leader()):
        raise _forbidden()


def _forbidden() -> Exception:
    from litestar.exceptions import PermissionDeniedException

    return PermissionDeniedException("your role does not allow this")
