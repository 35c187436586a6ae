"""OPTIONS answers with every method of its path in Allow.

Litestar makes a route's OPTIONS handler when the route is first built and answers with
that route's methods; when more handlers for the same path join later (GET and DELETE
beside a POST), the route is rebuilt but the old OPTIONS handler, and its shorter Allow,
stays. `record_allowed_methods` notes each path's full list on its OPTIONS handler once
the app is built, and `allow_header` (a `before_send` hook) answers with it
(schemathesis's allow_header_conformance check found 14 such paths).
"""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.routes import HTTPRoute
from litestar.types import Message, Scope

ALLOW = "samverka_allow"


def record_allowed_methods(app: Litestar) -> None:
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            if handler.http_methods == {"OPTIONS"}:
                handler.opt[ALLOW] = ", ".join(sorted(route.methods)).encode()


async def allow_header(message: Message, scope: Scope) -> None:
    if message["type"] != "http.response.start" or scope.get("method") != "OPTIONS":
        return
    handler: Any = scope.get("route_handler")
    allow = getattr(handler, "opt", {}).get(ALLOW)
    if allow is None:
        return
    headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"allow"]
    message["headers"] = [*headers, (b"allow", allow)]
