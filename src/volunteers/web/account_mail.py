"""The words of account mail (confirm, reset, address change), from the gettext catalogues.

Here rather than in accounts/ because the catalogues are extracted from web/; the
accounts services ask for a mail by kind and get (subject, body) in the reader's language.
"""

from __future__ import annotations

from typing import Any

from volunteers.web.i18n import LANGUAGES, N_, gettext

MAILS: dict[str, tuple[str, str]] = {
    "confirm_email": (
        N_("Confirm your e-mail address for Samverka"),
        N_(
            "Hello %(name)s,\n\nOpen this link to confirm that this is your address:\n%(url)s\n\n"
            "The link works once and for %(hours)s hours. Until you confirm, Samverka sends you no "
            "proposals or reminders.\nIf you did not register, ignore this mail.\n"
        ),
    ),
    "account_exists": (
        N_("You already have a Samverka account"),
        N_(
            "Hello,\n\nSomeone, perhaps you, tried to register a new Samverka account with this address. "
            "You already have one, so nothing was created.\n\nLog in: %(login_url)s\n"
            "Forgotten your password? Choose a new one with this link (it works once, for %(minutes)s "
            "minutes):\n%(url)s\n\nIf it was not you, ignore this mail; your account is unchanged.\n"
        ),
    ),
    "reset_password": (
        N_("Choose a new password for Samverka"),
        N_(
            "Hello,\n\nSomeone, perhaps you, asked to reset the password of your Samverka account.\n"
            "Choose a new one with this link (it works once, for %(minutes)s minutes):\n%(url)s\n\n"
            "If it was not you, ignore this mail; your password stays as it is.\n"
        ),
    ),
    "reset_unknown": (
        N_("Choose a new password for Samverka"),
        N_(
            "Hello,\n\nSomeone, perhaps you, asked to reset the password of a Samverka account with this "
            "address, but no account uses it. Perhaps you registered with another address.\n\n"
            "If it was not you, ignore this mail.\n"
        ),
    ),
    "change_email": (
        N_("Confirm your new e-mail address for Samverka"),
        N_(
            "Hello %(name)s,\n\nOpen this link to make this your Samverka address:\n%(url)s\n\n"
            "The link works once and for %(hours)s hours. If you did not ask for this, ignore this mail.\n"
        ),
    ),
    "email_changing": (
        N_("Your Samverka e-mail address is being changed"),
        N_(
            "Hello %(name)s,\n\nSomeone logged in to your Samverka account asked to change its e-mail "
            "address to %(new_email)s. It changes when the link sent there is opened.\n\n"
            "If it was not you, choose a new password at once: %(reset_url)s\n"
        ),
    ),
}


def account_mail(kind: str, language: str, **variables: Any) -> tuple[str, str]:
    """(subject, body) of an account mail in the language (Swedish when unknown)."""
    subject, body = MAILS[kind]
    language = language if language in LANGUAGES else "sv"
    return gettext(language, subject), gettext(language, body, **variables)
