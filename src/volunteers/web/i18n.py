"""Languages of the pages: Swedish by default, English a click away.

The catalogues are the .po files under `translations/`; they are read at start-up and
turned into gettext objects in memory, so there is no separate compile step and no .mo
file that could fall out of date.
"""

from __future__ import annotations

import datetime as dt
import io
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_datetime, format_time
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from litestar.connection import ASGIConnection

LANGUAGES = ("sv", "en")
DEFAULT_LANGUAGE = "sv"
LANGUAGE_COOKIE = "samverka_lang"
TRANSLATIONS_DIR = Path(__file__).parent / "translations"
DOMAIN = "messages"


def po_path(language: str) -> Path:
    return TRANSLATIONS_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(language: str) -> Translations:
    """The gettext object for a language, built from its .po catalogue."""
    with po_path(language).open("rb") as f:
        catalogue = read_po(f, locale=language, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalogue, use_fuzzy=False)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


def load_all() -> None:
    """Read every catalogue now, so a broken one stops the start-up, not a request."""
    for language in LANGUAGES:
        translations(language)


def language_of(connection: ASGIConnection[Any, Any, Any, Any]) -> str:
    """The caller's language: the switch's cookie, else their account's, else Swedish."""
    cached = connection.scope.get("samverka_language")
    if cached:
        return str(cached)
    language = connection.cookies.get(LANGUAGE_COOKIE, "")
    if language not in LANGUAGES:
        user = connection.scope.get("user")
        language = getattr(user, "locale", "") if user is not None else ""
    if language not in LANGUAGES:
        language = DEFAULT_LANGUAGE
    connection.scope["samverka_language"] = language  # type: ignore[typeddict-unknown-key]
    return language


def gettext(language: str, message: str, **variables: Any) -> str:
    """Translate a message id and fill in its %(name)s placeholders."""
    text = translations(language).gettext(message)
    return text % variables if variables else text


def N_(message: str) -> str:
    """Mark a message for the catalogue; it is translated where it is shown."""
    return message


# --- local formats -------------------------------------------------------------------


def babel_locale(language: str) -> Locale:
    return Locale.parse("sv_SE" if language == "sv" else "en_GB")


def local(value: dt.datetime, zone: str) -> dt.datetime:
    return value.astimezone(ZoneInfo(zone)) if value.tzinfo else value.replace(tzinfo=ZoneInfo(zone))


def date_text(language: str, value: dt.date | dt.datetime, fmt: str = "long") -> str:
    """A date the way the language writes it ("26 november 2026" / "26 November 2026")."""
    return format_date(value, format=fmt, locale=babel_locale(language))


def time_text(language: str, value: dt.time | dt.datetime, zone: str) -> str:
    """A clock time, 24-hour in both languages ("17:30")."""
    if isinstance(value, dt.datetime):
        value = local(value, zone).timetz().replace(tzinfo=None)
    return format_time(value, format="HH:mm", locale=babel_locale(language))


def datetime_text(language: str, value: dt.datetime, zone: str, fmt: str = "medium") -> str:
    return format_datetime(local(value, zone), format=fmt, tzinfo=ZoneInfo(zone), locale=babel_locale(language))


def weekday_name(language: str, weekday: int, width: str = "wide") -> str:
    """Monday is 0, as in `datetime.date.weekday()`."""
    return str(babel_locale(language).days["format"][width][weekday]).capitalize()


# Languages spoken here that CLDR has no name for (ISO 639-3 codes), so no page shows a bare code.
MISSING_FROM_CLDR = {"prs": {"sv": "dari", "en": "Dari"}}


def language_name(language: str, code: str) -> str:
    """A language's own name in the UI language, from CLDR ("arabiska" / "Arabic")."""
    name = (
        babel_locale(language).languages.get(code)
        or MISSING_FROM_CLDR.get(code, {}).get(language)
        or Locale.parse("en").languages.get(code)
        or code
    )
    return str(name)[:1].upper() + str(name)[1:]


def language_names_in_text(language: str, codes: str | list[str]) -> str:
    """Languages named mid-sentence ("dari, tigrinja" / "Dari, Tigrinya"), never as raw codes ("prs")."""
    if isinstance(codes, str):
        codes = [c.strip() for c in codes.split(",") if c.strip()]
    names = [language_name(language, c) for c in codes]
    if language == "sv":  # Swedish writes language names in lower case
        names = [n[:1].lower() + n[1:] for n in names]
    return ", ".join(names)
