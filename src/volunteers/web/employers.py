"""For employers: how to check a certificate, in Swedish and English, linked from every PDF.

The certificate prints the address in its own language (/intyg/kontrollera on a Swedish
certificate, /certificates/check on an English one), so each address shows its page in
that language whatever the visitor's browser says; a visitor can still switch.
"""

from __future__ import annotations

from typing import Literal

from litestar import get
from litestar.response import Template

from volunteers.web.common import PageRequest, page
from volunteers.web.i18n import LANGUAGE_COOKIE, LANGUAGES
from volunteers.web.public import PUBLIC

# A command, not wording: the same in every language.
VERIFY_COMMAND = "python -m certificates verify certificate.pdf --keys samverka-keys.json"


def _page(request: PageRequest, language: Literal["sv", "en"]) -> Template:
    if request.cookies.get(LANGUAGE_COOKIE) not in LANGUAGES and request.scope.get("user") is None:
        request.scope["samverka_language"] = language  # type: ignore[typeddict-unknown-key]
    base = str(request.base_url).rstrip("/")
    return page(request, "public/employers.html", base=base, command=VERIFY_COMMAND)


@get("/intyg/kontrollera", opt=PUBLIC, name="employers-sv")
async def employers_sv(request: PageRequest) -> Template:
    """Så kontrollerar du ett intyg."""
    return _page(request, "sv")


@get("/certificates/check", opt=PUBLIC, name="employers-en")
async def employers_en(request: PageRequest) -> Template:
    """How to check a certificate."""
    return _page(request, "en")


employer_routes = [employers_sv, employers_en]
