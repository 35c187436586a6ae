"""What every page handler needs: the caller, their language, today, a rendered page."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from litestar import MediaType, Request
from litestar.response import Redirect, Template

from volunteers.accounts.actor import Actor
from volunteers.errors import NotAuthenticated
from volunteers.web.i18n import N_, language_of

PageRequest = Request[Any, Any, Any]

# Messages a redirect may ask the next page to show (?notice=key); never free text.
NOTICES = {
    "welcome": N_("Welcome! Your account is ready. Tell us what you can do and when you are free."),
    "saved": N_("Your changes are saved."),
    "logged_out": N_("You are logged out. Welcome back!"),
    "logged_in": N_("You are logged in."),
    "password_reset": N_("Your new password is saved. Log in with it."),
    "email_confirmed": N_("Your e-mail address is confirmed. Thank you!"),
    "confirmation_sent": N_("We have sent a new link to your address. Open it to confirm the address."),
    "password_changed": N_("Your password is changed. Your other log-ins have ended."),
    "email_change_sent": N_("We have sent a link to the new address. Open it to make the change."),
    "need_added": N_("The staffing need is added."),
    "need_saved": N_("The staffing need is saved."),
    "need_removed": N_("The staffing need is removed."),
    "check_recorded": N_("The background check is recorded."),
    "check_corrected": N_("The background check's date is corrected."),
    "check_removed": N_("The background check record is removed."),
    "birth_date_corrected": N_("The date of birth is corrected."),
    "guardian_consent_withdrawn": N_("The guardian's consent is withdrawn."),
    "guardian_consent_recorded": N_("The guardian's consent is recorded."),
    "exception_added": N_("The exception is added."),
    "exception_removed": N_("The exception is removed."),
    "accepted": N_("Thank you! The session is in your calendar."),
    "declined": N_("You have said no. Thank you for letting us know."),
    "cancelled": N_("You have cancelled the session. The leader is told."),
    "certificate_issued": N_("Your certificate is ready. Download it below."),
    "certificate_issued_for": N_("The certificate is issued."),
    "certificate_revoked": N_("The certificate is revoked."),
    "attendance_saved": N_("Attendance is saved. The hours now count as verified."),
    "assigned": N_("The volunteer is proposed for the session."),
    "withdrawn": N_("The assignment is withdrawn."),
    "published": N_("The plan is published. The volunteers get their proposals."),
    "activity_created": N_("The activity is created. Now add its sessions and who you need."),
    "sessions_created": N_("The sessions are added."),
    "follow_up_saved": N_("Thank you! Your answer is saved."),
    "consent_withdrawn": N_("Your consent is withdrawn and your answers are deleted. We send no more reminders."),
    "session_cancelled": N_("The session is cancelled. Everyone on it is told."),
    "session_moved": N_("The session is moved. Everyone on it is told."),
    "endorsed": N_("Thank you! The endorsement is saved."),
    "staff_requested": N_("Your request is sent to the matcher."),
    "welcome_staff": N_("Welcome! Your account is ready and your role is given."),
    "invitation_sent": N_("The invitation is sent."),
    "invitation_revoked": N_("The invitation is revoked. Its link no longer works."),
    "role_saved": N_("The role is changed."),
    "role_removed": N_("The role is removed."),
    "staff_deactivated": N_("The account is deactivated and logged out everywhere."),
    "staff_activated": N_("The account can log in again."),
    "signed_up": N_("You have the place. It is in your calendar."),
    "signed_up_waiting": N_("You have signed up. The leader confirms it."),
    "waiting": N_("You are on the waiting list. We offer you a place if one is freed."),
    "left_waiting": N_("You have left the waiting list."),
    "swap_offered": N_("Your place is offered. You keep it until someone takes it."),
    "swap_nobody": N_("Nobody else fits this place right now. You keep it."),
    "hours_reported": N_("Your time is reported. The leader approves it."),
    "hours_approved": N_("The time is approved and counts as verified."),
    "hours_rejected": N_("The time is not approved."),
    "signup_confirmed": N_("The sign-up is confirmed. The volunteer has the place."),
    "signup_refused": N_("The sign-up is refused. The place is open again."),
}


def page(request: PageRequest, template: str, status: int = 200, **context: Any) -> Template:
    """Render a page, with the notice a redirect asked for."""
    notice = NOTICES.get(request.query_params.get("notice", ""))
    context.setdefault("errors", {})
    return Template(
        template_name=template, context={"notice": notice, **context}, status_code=status, media_type=MediaType.HTML
    )


def redirect(path: str, notice: str | None = None) -> Redirect:
    """See-other to a page, optionally with one of the NOTICES."""
    if notice:
        assert notice in NOTICES
        path += ("&" if "?" in path else "?") + f"notice={notice}"
    return Redirect(path=path, status_code=303)


def actor_of(request: PageRequest) -> Actor:
    user = request.user
    if user is None:
        raise NotAuthenticated("log in first")
    return user  # type: ignore[no-any-return]


def language(request: PageRequest) -> str:
    return language_of(request)


def zone_of(request: PageRequest) -> ZoneInfo:
    return ZoneInfo(request.app.state.settings.timezone)


def now(request: PageRequest) -> dt.datetime:
    return request.app.state.clock()  # type: ignore[no-any-return]


def today(request: PageRequest) -> dt.date:
    return now(request).astimezone(zone_of(request)).date()


def safe_next(value: str | None, default: str) -> str:
    """A local path to go on to after a log-in; anything else is ignored."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return default


def parse_date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((value or "").strip())
    except ValueError:
        return None


def parse_time(value: str | None) -> dt.time | None:
    try:
        return dt.time.fromisoformat((value or "").strip())
    except ValueError:
        return None


def parse_int(value: str | None) -> int | None:
    try:
        return int((value or "").strip())
    except ValueError:
        return None
