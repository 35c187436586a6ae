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
PAGE: dict[str, dict[Language, str]] = {
    "title": {"sv": "Kontroll av intyg", "en": "Certificate check"},
    "valid": {"sv": "Giltigt", "en": "Valid"},
    "revoked": {"sv": "Återkallat", "en": "Revoked"},
    "withdrawn": {"sv": "Tillbakadraget av innehavaren", "en": "Withdrawn by its holder"},
    "unknown": {"sv": "Intyget finns inte", "en": "No such certificate"},
    "unknown_text": {
        "sv": "Det finns inget intyg med detta id. Kontrollera att adressen är rätt skriven.",
        "en": "There is no certificate with this id. Check that the address is typed correctly.",
    },
    "id": {"sv": "Intygs-id", "en": "Certificate ID"},
    "name": {"sv": "Namn", "en": "Name"},
    "issuer": {"sv": "Utfärdare", "en": "Issuer"},
    "issued": {"sv": "Utfärdat", "en": "Issued"},
    "period": {"sv": "Period", "en": "Period"},
    "hours": {"sv": "Verifierade timmar", "en": "Verified hours"},
    "sessions": {"sv": "Tillfällen", "en": "Sessions"},
    "skills": {"sv": "Kompetenser", "en": "Skills"},
    "reason": {"sv": "Skäl", "en": "Reason"},
    "revoked_on": {"sv": "Återkallat", "en": "Revoked on"},
    "compare": {
        "sv": "Jämför med uppgifterna i intyget du fick se.",
        "en": "Compare these facts with the certificate you were shown.",
    },
}


def word(table: dict[str, dict[Language, str]], key: str, language: Language) -> str:
    """The wording of `key` in `language`, or the key itself if there is none."""
    return table.get(key, {}).get(language, key)
