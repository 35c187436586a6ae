"""Refuse, before any handler runs, input that no field may hold.

The schemas (`volunteers.limits`) state each field's length and characters. This
middleware covers what they cannot see: the path and query string (a calendar token,
a search word), form posts from the web pages, and the fields typed only as `str`.

- NUL (raw, `%00` or the JSON escape `\\u0000`) anywhere: PostgreSQL refuses it in text
  with a 500, so it is a 400 here for both databases.
- Other control characters in the path or query string, or in a form field other than
  tab, CR and LF.
- A date in the query string or a form field outside 2000..2100 (birth dates from
  1900): year 1 or 9999 overflowed date arithmetic in the handlers with a 500.
- JSON nested thousands deep: msgspec's RecursionError is answered 400 (`deep_json_handler`).
- A body over `MAX_BODY_BYTES` (Litestar's own limit, set in the app, refuses it with 413).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl

from litestar import Request, Response
from litestar.enums import ScopeType
from litestar.exceptions import ValidationException
from litestar.types import ASGIApp, Receive, ReceiveMessage, Scope, Send

from volunteers import limits

# An escaped NUL in JSON: \u0000 after an even number of backslashes (so "\\u0000",
# a backslash and the text u0000, is left alone).
_JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_FORM_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# A whole value that is an ISO date or date-time: its year must lie in range.
_ISO_DAY = re.compile(r"^\s*([+-]?\d{4,})-\d{1,2}-\d{1,2}(?:[T ][0-9:.+\-Z]*)?\s*$")


def _check_year(key: str, value: str) -> None:
    """A date given as a query or form value lies within the accepted range (birth dates from 1900)."""
    m = _ISO_DAY.match(value)
    if m is None:
        return
    first = limits.FIRST_BIRTH_DAY if "birth" in key else limits.FIRST_DAY
    if not first.year <= int(m.group(1)) <= limits.LAST_DAY.year:
        raise BadInput(key, f"dates must lie between {first.isoformat()} and {limits.LAST_DAY.isoformat()}")


class BadInput(Exception):
    """Input refused before routing: where it was and why."""

    def __init__(self, field: str, detail: str):
        super().__init__(detail)
        self.field = field
        self.detail = detail


def check_target(scope: Scope) -> None:
    """The path and query string hold no control character (NUL included)."""
    path = scope.get("path", "")
    if _CONTROL.search(path):
        raise BadInput("path", "control characters are not allowed in the address")
    raw = scope.get("query_string", b"")
    if raw:
        if b"\x00" in raw or b"%00" in raw:
            raise BadInput("query", "NUL is not allowed")
        for key, value in parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True):
            if _CONTROL.search(key) or _CONTROL.search(value):
                raise BadInput(key, "control characters are not allowed")
            _check_year(key, value)


def check_body(content_type: str, body: bytes) -> None:
    """A JSON or form body holds no NUL, no control characters in form fields, no deep nesting."""
    if not body:
        return
    if "json" in content_type:
        if b"\x00" in body or _JSON_NUL.search(body):
            raise BadInput("body", "NUL (\\u0000) is not allowed in any text")
    elif "x-www-form-urlencoded" in content_type:
        if b"\x00" in body or b"%00" in body:
            raise BadInput("body", "NUL is not allowed in any field")
        for key, value in parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True):
            if _FORM_CONTROL.search(value):
                raise BadInput(key, "control characters are not allowed")
            _check_year(key, value)


def _refuse(error: BadInput) -> ValidationException:
    """The app's own validation error: a 400 problem naming the field (or an HTML error page)."""
    return ValidationException(
        detail=f"{error.field}: {error.detail}", extra=[{"key": error.field, "message": error.detail}]
    )


def deep_json_handler(request: Request[Any, Any, Any], exc: RecursionError) -> Response[Any]:
    """msgspec gives up on JSON nested thousands deep with RecursionError: that is bad input."""
    from volunteers.errors import validation_error_handler

    detail = "JSON nested too deeply"
    return validation_error_handler(
        request, ValidationException(detail=detail, extra=[{"key": "body", "message": detail}])
    )


def input_guard_middleware(app: ASGIApp) -> ASGIApp:
    """Check the target and (for JSON and form posts) the body before the handler sees them."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await app(scope, receive, send)
            return
        try:
            check_target(scope)
        except BadInput as error:
            raise _refuse(error) from None
        content_type = ""
        for key, value in scope.get("headers", []):
            if key == b"content-type":
                content_type = value.decode("latin-1").lower()
        if "json" not in content_type and "x-www-form-urlencoded" not in content_type:
            await app(scope, receive, send)
            return
        # Read the body (bounded: a longer one is left for Litestar's own 413), check it,
        # then hand the same messages on.
        messages: list[ReceiveMessage] = []
        size = 0
        more = True
        while more:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break
            size += len(message.get("body", b""))
            more = message.get("more_body", False)
            if size > limits.MAX_BODY_BYTES:
                break
        if not more and size <= limits.MAX_BODY_BYTES:
            try:
                check_body(content_type, b"".join(m["body"] for m in messages if m["type"] == "http.request"))
            except BadInput as error:
                raise _refuse(error) from None

        async def replay() -> ReceiveMessage:
            if messages:
                return messages.pop(0)
            return await receive()

        await app(scope, replay, send)

    return middleware
