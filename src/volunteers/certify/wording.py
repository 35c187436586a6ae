"""How the service's vocabularies read on a certificate and the verification page (sv, en)."""

from __future__ import annotations

from typing import Literal

Language = Literal["sv", "en"]

KINDS: dict[str, dict[Language, str]] = {
    "study_circle": {"sv": "Studiecirkel", "en": "Study circle"},
    "sport": {"sv": "Idrott", "en": "Sport"},
    "workshop": {"sv": "Workshop", "en": "Workshop"},
    "culture": {"sv": "Kultur", "en": "Culture"},
    "other": {"sv": "Övrigt", "en": "Other"},
}
TARGET_GROUPS: dict[str, dict[Language, str]] = {
    "children": {"sv": "Barn", "en": "Children"},
    "youth": {"sv": "Unga", "en": "Young people"},
    "adults": {"sv": "Vuxna", "en": "Adults"},
    "seniors": {"sv": "Äldre", "en": "Older people"},
    "mixed": {"sv": "Alla åldrar", "en": "All ages"},
}
SIGNATORY_ROLE: dict[Language, str] = {"sv": "Samordnare", "en": "Coordinator"}


def word(table: dict[str, dict[Language, str]], key: str, language: Language) -> str:
    """The wording of `key` in `language`, or the key itself if there is none."""
    return table.get(key, {}).get(language, key)
