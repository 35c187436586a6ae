"""The menu per role."""

from __future__ import annotations

from typing import Any

from volunteers.web.i18n import N_


def navigation_for(user: Any) -> list[tuple[str, str]]:
    """(path, catalogue label) for each page this caller's roles open."""
    if user is None:
        return [("/", N_("Start")), ("/register", N_("Become a volunteer")), ("/login", N_("Log in"))]
    items: list[tuple[str, str]] = []
    if user.profile_id is not None:
        items += [
            ("/profile", N_("My profile")),
            ("/availability", N_("My availability")),
            ("/me/sessions", N_("My sessions")),
            ("/me/open-places", N_("Open places")),
            ("/me/hours", N_("My own hours")),
            ("/me/experience", N_("My experience")),
            ("/me/certificates", N_("Certificates")),
            ("/me/references", N_("References")),
            ("/me/follow-ups", N_("Follow-up")),
        ]
    if user.is_coordinator():
        items += [
            ("/volunteers", N_("Volunteers")),
            ("/runs", N_("Match runs")),
            ("/certificates/bulk", N_("Issue certificates")),
            ("/reports/impact", N_("Impact report")),
            ("/people", N_("People and roles")),
            ("/partnership", N_("The partnership")),
        ]
    if user.is_coordinator() or user.is_leader():
        items += [
            ("/activities", N_("Activities") if user.is_coordinator() else N_("My activities")),
            ("/week", N_("Week schedule")),
            ("/own-hours", N_("Hours to approve")),
        ]
    if user.led_partners:
        items.append(("/leader/references", N_("Reference requests")))
    items.append(("/account", N_("My account")))
    return items


def home_for(user: Any) -> str:
    """Where a user lands after logging in."""
    if user.is_coordinator():
        return "/volunteers"
    if user.is_leader():
        return "/activities"
    if user.profile_id is not None:
        return "/me/sessions"
    return "/"
