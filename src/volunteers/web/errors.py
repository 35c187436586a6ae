"""What the pages show when something goes wrong: a log-in, a friendly 403/404, field errors.

The services word their refusals in English for the API. A page shows them in the
reader's language, so each known refusal maps to a catalogue message here; an unknown
one gets a general message for its field rather than untranslated text.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from litestar import MediaType, Request, Response
from litestar.exceptions import (
    HTTPException,
    NotAuthorizedException,
    NotFoundException,
    PermissionDeniedException,
    ValidationException,
)
from litestar.response import Redirect, Template

from volunteers.errors import (
    Conflict,
    DomainError,
    Forbidden,
    NotAuthenticated,
    NotFound,
    RuleBroken,
    TooManyRequests,
)
from volunteers.web.i18n import N_, gettext, language_of

# (pattern of the service's detail, catalogue message with the pattern's named groups)
KNOWN_REFUSALS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p), m)
    for p, m in [
        (r"must be at least (?P<n>\d+) characters", N_("Use at least %(n)s characters.")),
        (r"must be at most (?P<n>\d+) characters", N_("Use at most %(n)s characters.")),
        (r"is too common", N_("This password is too common. Choose another one.")),
        (r"must not be your e-mail address", N_("The password must not be your e-mail address.")),
        (r"is the published demo password", N_("This is the demo's published password. Choose another one.")),
        (r"this link is not valid", N_("This link is used, expired or wrong. Ask for a new one.")),
        (r"is not your current password", N_("This is not your current password.")),
        (r"is your address already", N_("This is already your address.")),
        (r"another account uses this address", N_("Another account uses this address.")),
        (r"consent to the processing", N_("We need your consent to store your details.")),
        (r"volunteers must be at least (?P<n>\d+) years old", N_("You must be at least %(n)s years old to volunteer.")),
        (r"is in the future", N_("The date cannot be in the future.")),
        (r"guardian's name is required", N_("Under 16 you need a guardian. Give their name.")),
        (r"guardian's consent is required", N_("Under 16 your guardian must give their consent.")),
        (r"account with this e-mail already exists", N_("There is already an account with this e-mail address.")),
        (r"wrong e-mail or password", N_("Wrong e-mail address or password.")),
        (r"too many failed log-ins; try again in (?P<n>\d+) s", N_("Too many attempts. Try again in %(n)s seconds.")),
        (r"too many requests; try again in (?P<n>\d+) s", N_("Too many attempts. Try again in %(n)s seconds.")),
        (r"unknown partnership", N_("Choose a partnership.")),
        (r"unknown skill", N_("Choose skills from the list.")),
        (r"must be after start", N_("The end must be after the start.")),
        (r"must not be before date_from", N_("The last day must not be before the first day.")),
        (r"spans at most a year", N_("An exception can be at most a year long.")),
        (r"give both start_time and end_time", N_("Give both a start and an end time, or neither.")),
        (r"a need for role .* exists", N_("This activity already has a need for that role. Change it instead.")),
    ]
]

# Rules the services name by code (RuleBroken.code, and the matcher's reason codes).
RULES: dict[str, str] = {
    "missing_skill": N_("The volunteer lacks a skill the role needs."),
    "missing_language": N_("The volunteer does not speak a language the role needs."),
    "under_min_volunteer_age": N_("The volunteer is younger than the lowest age for volunteering."),
    "unknown_age": N_("The role has an age limit, and the volunteer's date of birth is not on record."),
    "too_young": N_("The volunteer is younger than the role's lowest age."),
    "not_available": N_("The volunteer is not available for the whole session."),
    "minor_hours": N_("The volunteer is under 18, and the session is outside the hours they may work."),
    "no_valid_check": N_(
        "The activity is for children or young people, and the volunteer has no valid background check "
        "on the session's date."
    ),
    "excluded": N_("The volunteer has said no to this session."),
    "already_in_shift": N_("The volunteer is already on this session."),
    "overlapping_shift": N_("The volunteer is already on another session at the same time."),
    "weekly_cap": N_("The session would take the volunteer over their most hours a week."),
    "role_overfilled": N_("The role already has as many people as it needs."),
    "role_removed": N_("The session no longer needs this role."),
    "volunteer_inactive": N_("The volunteer no longer volunteers here."),
    "guardian_consent": N_("The volunteer is under 16 on the session's date, and no guardian's consent is on record."),
    "session_closed": N_("The session is cancelled or over."),
    "not_placed": N_("Volunteers were free, but the plan placed them where they were needed more."),
    "unavoidable": N_("There are too few volunteers who can take this role."),
    "cancel_deadline_passed": N_("It is too late to cancel online. Contact the leader of the activity."),
    "session_not_started": N_("Attendance can be confirmed once the session has started."),
    "no_verified_hours": N_("A certificate covers verified hours only, and there are none yet."),
    "below_threshold": N_("You can issue your own certificate once you have enough verified hours."),
    "birth_date_missing": N_("A certificate states the date of birth, and it is not on record."),
    "certificate_up_to_date": N_("A valid certificate with these hours already exists. Download it again."),
    "too_few_skills": N_("A certificate names at least a few skills. Add skills to your profile first."),
    "no_signatory": N_("The partnership has no coordinator who can sign certificates."),
    "certificate_revoked": N_("This certificate is revoked."),
    "certificate_withdrawn": N_("This certificate is withdrawn."),
}


def rule_message(language: str, code: str) -> str:
    """A rule's explanation in the reader's language, by its code."""
    return gettext(language, RULES.get(code, N_("A rule refuses this.")))


GENERIC_BY_STATUS = {
    403: N_("You cannot do this with your role."),
    404: N_("We could not find what you asked for."),
    409: N_("This collides with something that has changed. Reload the page and try again."),
}
GENERIC = N_("This value was not accepted. Check it and try again.")


def refusal_message(language: str, exc: DomainError) -> str:
    """The refusal in the reader's language."""
    if isinstance(exc, RuleBroken) and exc.code in RULES:
        return rule_message(language, exc.code)
    for pattern, message in KNOWN_REFUSALS:
        match = pattern.search(exc.detail)
        if match:
            return gettext(language, message, **match.groupdict())
    return gettext(language, GENERIC_BY_STATUS.get(exc.status, GENERIC))


def field_of(exc: DomainError, aliases: dict[str, str] | None = None) -> str:
    """The form field a refusal is about ('' when the whole form)."""
    name = exc.field or ""
    name = re.sub(r"\[\d+\].*$", "", name)
    return (aliases or {}).get(name, name)


def is_htmx(request: Request[Any, Any, Any]) -> bool:
    return request.headers.get("hx-request") == "true"


def _page(request: Request[Any, Any, Any], status: int, title: str, message: str) -> Template:
    return Template(
        template_name="error.html",
        context={"status": status, "title": title, "message": message},
        status_code=status,
        media_type=MediaType.HTML,
    )


def _login_redirect(request: Request[Any, Any, Any]) -> Response[Any]:
    target = request.url.path
    if request.url.query:
        target += "?" + request.url.query
    location = "/login?next=" + quote(target, safe="/")
    if is_htmx(request):
        return Response(None, status_code=204, headers={"HX-Redirect": location})
    return Redirect(path=location, status_code=303)


def page_error_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """Turn an error on a page into a log-in redirect or a friendly page."""
    if isinstance(exc, NotAuthorizedException | NotAuthenticated):
        return _login_redirect(request)
    if isinstance(exc, PermissionDeniedException | Forbidden):
        return _page(request, 403, N_("Not for your role"), N_("You cannot do this with your role."))
    if isinstance(exc, NotFoundException | NotFound):
        return _page(request, 404, N_("Page not found"), N_("We could not find what you asked for."))
    if isinstance(exc, ValidationException):
        return _page(request, 400, N_("Something is wrong with the address"), N_("Check the link and try again."))
    if isinstance(exc, TooManyRequests):
        return _page(request, 429, N_("Too many attempts"), N_("Wait a minute and try again."))
    if isinstance(exc, Conflict | DomainError):
        status = exc.status if isinstance(exc, DomainError) else 400
        return _page(request, status, N_("That did not work"), GENERIC_BY_STATUS.get(status, GENERIC))
    if isinstance(exc, HTTPException):
        return _page(request, exc.status_code, N_("That did not work"), N_("Check the link and try again."))
    return _page(request, 500, N_("Something went wrong"), N_("Please try again in a while."))


page_exception_handlers: dict[Any, Any] = {
    HTTPException: page_error_handler,
    DomainError: page_error_handler,
}


__all__ = [
    "field_of",
    "is_htmx",
    "language_of",
    "page_error_handler",
    "page_exception_handlers",
    "refusal_message",
    "rule_message",
]
