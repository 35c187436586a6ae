"""The problem-details answers (RFC 9457) every route may give, stated in the OpenAPI document.

Litestar documents a route's success and, for routes with parameters, a 400 in the shape
of its own ValidationException, which is not what this service sends (see errors.py).
So that a client (or schemathesis) can rely on the document, every route states the
4xx answers it can give, in their real shape.
"""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Litestar
from litestar.openapi.datastructures import ResponseSpec

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
    403: "Your role does not allow this",
    404: "Not found, or not yours to see",
    405: "Method not allowed",
    409: "A rule or the current state refuses this",
    413: "Request body too large",
    422: "Invalid input (the field is named)",
    429: "Too many requests",
}


def document_problems(app: Litestar) -> None:
    """Add the problem answers to every route handler's documented responses (before the schema is built)."""
    specs = {
        status: ResponseSpec(data_container=Problem, description=text, media_type=PROBLEM_JSON, generate_examples=False)
        for status, text in ANSWERS.items()
    }
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            if not getattr(handler, "include_in_schema", True):
                continue
            own: dict[int, Any] = dict(handler.responses or {})
            handler.responses = {**specs, **own}
