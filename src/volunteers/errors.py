"""Domain errors and their one mapping to HTTP problem details (RFC 9457).

    DomainError
     ├── NotFound          404  the record does not exist, or the caller may not see it
     ├── Forbidden         403  the caller may see the record but not do this
     ├── NotAuthenticated  401  no valid log-in
     ├── InvalidInput      422  a field's value is wrong; names the field
     ├── RuleBroken        409  a domain rule refuses the change (names the rule's code)
     ├── Conflict          409  the change collides with the current state
     └── TooManyRequests   429  a rate limit was hit

Services raise these; only `problem_response` knows about HTTP.
"""

from __future__ import annotations

from typing import Any

from litestar import MediaType, Request, Response
from litestar.exceptions import (
    HTTPException,
    NotAuthorizedException,
    NotFoundException,
    PermissionDeniedException,
    ValidationException,
)
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

PROBLEM_JSON = "application/problem+json"


class DomainError(Exception):
    """A request the domain refuses; `status` is the HTTP status it maps to."""

    status = 400
    title = "Bad request"
    code = "bad_request"

    def __init__(self, detail: str, *, field: str | None = None, extra: dict[str, Any] | None = None):
        super().__init__(detail)
        self.detail = detail
        self.field = field
        self.extra = extra or {}


class NotFound(DomainError):
    status = 404
    title = "Not found"
    code = "not_found"


class Forbidden(DomainError):
    status = 403
    title = "Forbidden"
    code = "forbidden"


class NotAuthenticated(DomainError):
    status = 401
    title = "Not logged in"
    code = "not_authenticated"


class InvalidInput(DomainError):
    status = 422
    title = "Invalid input"
    code = "invalid_input"

    def __init__(self, field: str, detail: str, *, extra: dict[str, Any] | None = None):
        super().__init__(f"{field}: {detail}", field=field, extra=extra)


class RuleBroken(DomainError):
    status = 409
    title = "A rule refuses this"
    code = "rule_broken"

    def __init__(
        self,
        code: str,
        detail: str,
        *,
        field: str | None = None,
        extra: dict[str, Any] | None = None,
    ):
        super().__init__(detail, field=field, extra=extra)
        self.code = code


class Conflict(DomainError):
    status = 409
    title = "Conflict"
    code = "conflict"


class TooManyRequests(DomainError):
    status = 429
    title = "Too many requests"
    code = "rate_limited"

    def __init__(self, detail: str, *, retry_after: int):
        super().__init__(detail)
        self.retry_after = retry_after


def _problem(request: Request[Any, Any, Any], status: int, title: str, detail: str, **more: Any) -> Response[Any]:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
    }
    body["instance"] = request.url.path
    body.update({k: v for k, v in more.items() if v is not None})
    headers = {}
    if "retry_after" in more:
        headers["Retry-After"] = str(more["retry_after"])
    return Response(content=body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def domain_error_handler(request: Request[Any, Any, Any], exc: DomainError) -> Response[Any]:
    """Map a DomainError to problem details."""
    more: dict[str, Any] = {"code": exc.code, **exc.extra}
    if exc.field:
        more["errors"] = [{"field": exc.field, "message": exc.detail}]
    if isinstance(exc, TooManyRequests):
        more["retry_after"] = exc.retry_after
    return _problem(request, exc.status, exc.title, exc.detail, **more)


def _field_name(key: str | None, source: str | None) -> str:
    if not key:
        return source or "body"
    return key


def validation_error_handler(request: Request[Any, Any, Any], exc: ValidationException) -> Response[Any]:
    """Litestar's own validation errors (bad JSON, wrong types, missing fields), naming the field."""
    errors: list[dict[str, Any]] = []
    extra = exc.extra if isinstance(exc.extra, list) else ([exc.extra] if exc.extra else [])
    for item in extra:
        if isinstance(item, dict):
            errors.append(
                {
                    "field": _field_name(item.get("key"), item.get("source")),
                    "message": item.get("message", ""),
                }
            )
    if errors:
        detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
    else:
        detail = exc.detail or "invalid request"
    return _problem(request, 400, "Invalid request", detail, code="invalid_request", errors=errors or None)


def http_error_handler(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    """Litestar's HTTP exceptions as problem details (HTML pages are handled by the web layer)."""
    status = exc.status_code
    if isinstance(exc, NotAuthorizedException):
        title = "Not logged in"
    elif isinstance(exc, PermissionDeniedException):
        title = "Forbidden"
    elif isinstance(exc, NotFoundException):
        title = "Not found"
    else:
        title = "Error"
    headers = getattr(exc, "headers", None) or {}
    resp = _problem(request, status, title, exc.detail or title)
    resp.headers.update(headers)
    return resp


def internal_error_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """Never leak a traceback; the log has it."""
    request.logger.exception("unhandled error", exc_info=exc)
    return _problem(request, HTTP_500_INTERNAL_SERVER_ERROR, "Internal error", "Something went wrong.")


exception_handlers: dict[Any, Any] = {
    DomainError: domain_error_handler,
    ValidationException: validation_error_handler,
    HTTPException: http_error_handler,
    HTTP_500_INTERNAL_SERVER_ERROR: internal_error_handler,
}

__all__ = [
    "PROBLEM_JSON",
    "Conflict",
    "DomainError",
    "Forbidden",
    "InvalidInput",
    "MediaType",
    "NotAuthenticated",
    "NotFound",
    "RuleBroken",
    "TooManyRequests",
    "exception_handlers",
]
