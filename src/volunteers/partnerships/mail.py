"""Invitation mail, sent at once and never through the outbox.

The outbox keeps a message's body in the database until it is sent; an invitation's
body holds the link's secret, which must exist only as a hash at rest. So the mail
goes straight to the SMTP server, and the log names the address, never the link.
"""

from __future__ import annotations

import logging
from email.message import EmailMessage

from volunteers.settings import Settings

log = logging.getLogger("samverka.invitations")


def invitation_link(settings: Settings, token: str) -> str:
    """The link a person opens; the secret rides in the fragment, which no server log sees."""
    return f"{settings.base_url}/invitation#{token}"


_ROLE = {
    "sv": {"coordinator": "samordnare", "leader": "aktivitetsledare", "volunteer": "volontär"},
    "en": {"coordinator": "coordinator", "leader": "activity leader", "volunteer": "volunteer"},
}


def invitation_text(locale: str, partnership: str, role: str, partner: str | None, link: str) -> tuple[str, str]:
    """Subject and body of an invitation, in the invited person's language."""
    lang = "en" if locale == "en" else "sv"
    what = _ROLE[lang].get(role, role) + (f" ({partner})" if partner else "")
    if lang == "sv":
        subject = f"Inbjudan till {partnership} i Samverka"
        body = (
            f"Hej!\n\nDu är inbjuden som {what} i {partnership}.\n\n"
            f"Öppna länken för att välja lösenord och komma igång:\n{link}\n\n"
            "Länken gäller i 7 dagar och kan bara användas en gång.\n"
            "Väntade du dig inte det här brevet kan du bortse från det.\n"
        )
    else:
        subject = f"Invitation to {partnership} in Samverka"
        body = (
            f"Hello,\n\nYou are invited as {what} in {partnership}.\n\n"
            f"Open the link to choose a password and get started:\n{link}\n\n"
            "The link is valid for 7 days and can be used once.\n"
            "If you did not expect this message, you can ignore it.\n"
        )
    return subject, body


async def deliver(settings: Settings, to: str, subject: str, body: str) -> bool:
    """Send now by SMTP; False when no server is configured or it refused (the caller hands the link over)."""
    if not settings.smtp_host:
        log.info("invitation to %s not mailed: no SMTP server configured", to)
        return False
    import aiosmtplib

    message = EmailMessage()
    message["From"] = settings.smtp_from
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    try:
        await aiosmtplib.send(message, hostname=settings.smtp_host, port=settings.smtp_port, timeout=10)
    except (aiosmtplib.SMTPException, OSError) as exc:
        # The exception's text may quote the message; log only its type.
        log.warning("invitation to %s could not be mailed (%s)", to, type(exc).__name__)
        return False
    log.info("invitation mailed to %s", to)
    return True


async def deliver_many(settings: Settings, messages: list[tuple[str, str, str]]) -> set[str]:
    """Send many over one SMTP connection (an import's invitations); returns the addresses that took theirs."""
    if not settings.smtp_host or not messages:
        return set()
    import aiosmtplib

    sent: set[str] = set()
    try:
        async with aiosmtplib.SMTP(hostname=settings.smtp_host, port=settings.smtp_port, timeout=10) as smtp:
            for to, subject, body in messages:
                message = EmailMessage()
                message["From"] = settings.smtp_from
                message["To"] = to
                message["Subject"] = subject
                message.set_content(body)
                try:
                    await smtp.send_message(message)
                    sent.add(to)
                except aiosmtplib.SMTPRecipientsRefused:
                    log.warning("invitation to %s refused by the mail server", to)
    except (aiosmtplib.SMTPException, OSError) as exc:
        log.warning("invitations could not all be mailed (%s)", type(exc).__name__)
    log.info("%d of %d invitations mailed", len(sent), len(messages))
    return sent
