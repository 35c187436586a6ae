"""The public certificate check: a form to type an id, and the answer for one id.

The route /verify/{id} belongs to the certificates API (it also answers JSON); it asks
this module for the HTML. An employer has no account and no language cookie, so the
page follows the browser's Accept-Language before falling back to Swedish.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from litestar import MediaType, get
from litestar.response import Template

from volunteers.certify.schemas import Verification
from volunteers.web.common import PageRequest, page, redirect
from volunteers.web.i18n import LANGUAGE_COOKIE, LANGUAGES
from volunteers.web.public import PUBLIC

ID_LENGTH = 20


def _browser_language(request: PageRequest) -> None:
    """Use the browser's preferred language when the visitor has chosen none."""
    if request.cookies.get(LANGUAGE_COOKIE) in LANGUAGES or request.scope.get("user") is not None:
        return
    header = request.headers.get("accept-language", "")
    for part in header.split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            request.scope["samverka_language"] = code  # type: ignore[typeddict-unknown-key]
            return


def normalise_id(text: str) -> str:
    """What a person typed or pasted (a link, spaces, lower case) as a certificate id."""
    text = text.strip().rstrip("/")
    if "/" in text:
        text = text.rsplit("/", 1)[1]
    return "".join(text.split()).upper()[:100]


def verification_page(request: PageRequest, result: Verification | None, headers: dict[str, str]) -> Template:
    """The answer for one id: its status first, then the facts; the same page for every unknown id."""
    _browser_language(request)
    return Template(
        template_name="public/verify.html",
        context={"v": result, "notice": None, "errors": {}, "form_only": False},
        status_code=200 if result is not None else 404,
        media_type=MediaType.HTML,
        headers=headers,
    )


@get("/verify", opt=PUBLIC, name="verify-form")
async def verify_form(request: PageRequest, id: str | None = None) -> Any:
    """Type a certificate's id (or paste its link) and go to its check."""
    if id is not None and id.strip():
        return redirect(f"/verify/{quote(normalise_id(id), safe='')}")
    _browser_language(request)
    return page(request, "public/verify.html", v=None, typed="", form_only=True)


verify_routes = [verify_form]
