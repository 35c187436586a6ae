"""The problem-details answers (RFC 9457) each route may give, and who must log in, stated in the OpenAPI document.

Litestar documents a route's success and, for routes with parameters, a 400 in the shape
of its own ValidationException, which is not what this service sends (see errors.py).
So that a client (or schemathesis, tests/volunteers/test_fuzz_api.py, which holds the
service to this document with every check) can rely on it, every route states the 4xx
answers it can give, in their real shape, and no others:

- 400 anywhere (input_guard refuses control characters in any address or query string);
- 401 where a log-in is needed, and on the log-in itself (wrong password);
- 403 where a guard or the service may refuse a role, and on every write (CSRF);
- 404 anywhere (a record you may not see answers as one that does not exist);
- 409 and 413 on writes only; 415 where only JSON is read (the log-in and account
  routes); 422 where there is something to be invalid;
- 429, with its Retry-After header, where a rate limit or back-off applies.

A route needing a log-in also names the session cookie as its security scheme.
"""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Litestar
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import SecurityScheme

from volunteers.accounts.middleware import SESSION_COOKIE
from volunteers.errors import PROBLEM_JSON


class FieldError(msgspec.Struct):
    field: str
    message: str


class Problem(msgspec.Struct, omit_defaults=True):
    """What every refusal answers: RFC 9457 problem details, naming the field where there is one."""

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    code: str | None = None
    errors: list[FieldError] | None = None
    retry_after: int | None = None


ANSWERS = {
    400: "Invalid request: a field's value or type is wrong (the field is named)",
    401: "Not logged in",
    403: "Your role does not allow this (or the CSRF token is missing)",
    404: "Not found, or not yours to see",
    409: "A rule or the current state refuses this",
    413: "Request body too large",
    415: "The body must be JSON (Content-Type: application/json)",
    422: "Invalid input (the field is named)",
    429: "Too many requests",
}

SESSION_SCHEME = "session"
SECURITY_SCHEMES = {
    SESSION_SCHEME: SecurityScheme(
        type="apiKey",
        name=SESSION_COOKIE,
        security_scheme_in="cookie",
        description="The session cookie set by POST /api/auth/login (writes also need the x-csrftoken header)",
    )
}
WRITES = {"POST", "PUT", "PATCH", "DELETE"}
# Rate limits and back-offs raised inside the service rather than by a `rate_limited` guard.
LIMITED_PATHS = ("/api/auth/", "/api/invitations/", "/api/partnerships/{partnership_id}/invitations")
# Public routes that answer 401 themselves (a wrong password is "not logged in").
ANSWERS_401 = ("/api/auth/",)


def _is_rate_limited(handler: Any, path: str) -> bool:
    guards = handler.resolve_guards()
    return any("rate_limited" in getattr(g, "__qualname__", "") for g in guards) or path.startswith(LIMITED_PATHS)


# Handler parameters that are not the caller's input.
NOT_INPUT = {"request", "state", "scope", "socket", "headers", "cookies", "db"}


def _inputs(handler: Any) -> set[str]:
    """The query (and other) parameters a caller can send to the handler."""
    names = set(handler.parsed_fn_signature.parameters) - NOT_INPUT - set(handler.resolve_dependencies())
    return names


def _statuses(handler: Any, path: str, method: str) -> set[int]:
    public = bool(handler.opt.get("public"))
    writes = method in WRITES
    has_input = "{" in path or writes or bool(_inputs(handler))
    statuses = {400, 404}
    if not public or path.startswith(ANSWERS_401):
        statuses.add(401)
    if not public or writes:
        statuses.add(403)
    if writes:
        statuses |= {409, 413}
    if has_input:
        statuses.add(422)
    if any("json_only" in getattr(g, "__qualname__", "") for g in handler.resolve_guards()):
        statuses.add(415)
    if _is_rate_limited(handler, path):
        statuses.add(429)
    return statuses


def _spec(status: int) -> ResponseSpec:
    return ResponseSpec(
        data_container=Problem, description=ANSWERS[status], media_type=PROBLEM_JSON, generate_examples=False
    )


def document_problems(app: Litestar) -> None:
    """State each route handler's problem answers and log-in need (before the schema is built)."""
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            if not getattr(handler, "include_in_schema", True):
                continue
            method = next(iter(handler.http_methods), "GET")
            statuses = _statuses(handler, route.path_format or "/", method)
            own: dict[int, Any] = dict(handler.responses or {})
            handler.responses = {**{s: _spec(s) for s in sorted(statuses)}, **own}
            if not handler.opt.get("public"):
                handler.security = [{SESSION_SCHEME: []}]
