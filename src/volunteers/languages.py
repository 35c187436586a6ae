"""The languages the service knows (ISO 639): the ones its forms offer and its imports accept."""

from __future__ import annotations

# The languages most spoken in the area first, then others common in Västerås.
# The names come from CLDR in the page's language (web/i18n.py).
KNOWN_LANGUAGES: tuple[str, ...] = (
    "sv",
    "en",
    "ar",
    "so",
    "ti",
    "fa",
    "prs",  # Dari: the demo's activities ask for it, so a volunteer must be able to say she speaks it
    "ps",
    "ku",
    "fi",
    "bs",
    "sq",
    "pl",
    "es",
    "de",
    "fr",
    "tr",
    "uk",
    "ru",
    "am",
)
