"""Swedish and English wording of the certificate, and how numbers and dates read.

The formats of hours, sessions and dates are part of what `verify_pdf` compares between
the page and the signed credential: change them only together with verify.py, and keep
accepting the old forms so that certificates issued earlier still verify.
"""

from __future__ import annotations

from datetime import date

from certificates.model import Language, hours_from_minutes

TEXT: dict[str, dict[Language, str]] = {
    "title": {"sv": "Tjänstgöringsintyg", "en": "Certificate of volunteer service"},
    "subtitle": {
        "sv": "Ideellt arbete inom idéburet offentligt partnerskap",
        "en": "Volunteer work in an idea-based public partnership",
    },
    "certificate_id": {"sv": "Intygs-id", "en": "Certificate ID"},
    "issued_on": {"sv": "Utfärdat", "en": "Issued"},
    "born": {"sv": "född", "en": "born"},
    "statement": {
        "sv": "{name}, född {birth}, har utfört oavlönat ideellt arbete hos {partner} "
        "inom {partnership} under perioden {start}–{end}.",
        "en": "{name}, born {birth}, has done unpaid volunteer work with {partner} "
        "in {partnership} from {start} to {end}.",
    },
    "hours": {"sv": "verifierade timmar", "en": "verified hours"},
    "sessions": {"sv": "tillfällen", "en": "sessions"},
    "period": {"sv": "period", "en": "period"},
    "unpaid": {
        "sv": "Arbetet var oavlönat. Timmar och tillfällen är bekräftade av aktivitetens ledare.",
        "en": "The work was unpaid. Hours and sessions were confirmed by the activity leader.",
    },
    "roles": {"sv": "Roller", "en": "Roles"},
    "activities": {"sv": "Aktiviteter", "en": "Activities"},
    "activity": {"sv": "Aktivitet", "en": "Activity"},
    "kind": {"sv": "Typ", "en": "Type"},
    "target_group": {"sv": "Målgrupp", "en": "Target group"},
    "place": {"sv": "Plats", "en": "Place"},
    "tasks": {"sv": "Arbetsuppgifter", "en": "Tasks"},
    "trainings": {"sv": "Utbildningar", "en": "Training"},
    "skills": {"sv": "Kompetenser (ESCO)", "en": "Skills (ESCO)"},
    "skill": {"sv": "Kompetens", "en": "Skill"},
    "key_competence": {"sv": "Nyckelkompetens (EU 2018)", "en": "Key competence (EU 2018)"},
    "assessment": {"sv": "Bedömning", "en": "Assessment"},
    "skills_legend": {
        "sv": "Under varje kompetens: dess ESCO-URI och nyckelkompetens (EU 2018).",
        "en": "Below each skill: its ESCO URI and key competence (EU 2018).",
    },
    "assessed_leader": {"sv": "bedömd av ledare", "en": "assessed by leader"},
    "assessed_self": {"sv": "självskattad", "en": "self-assessed"},
    "endorsements": {"sv": "{n} intygande", "en": "{n} endorsement"},
    "endorsements_many": {"sv": "{n} intyganden", "en": "{n} endorsements"},
    "own_translation": {
        "sv": "Svenska benämningar är projektets egen översättning, inte ESCO:s.",
        "en": "",
    },
    "referee": {"sv": "Referens", "en": "Referee"},
    "signed": {"sv": "Intygas av", "en": "Certified by"},
    "verify": {"sv": "Kontrollera intyget", "en": "Verify this certificate"},
    "verify_text": {
        "sv": "Skanna koden eller öppna adressen. Intyget är digitalt signerat "
        "(Ed25519) och bär sina uppgifter som bifogad fil credential.json "
        "(Open Badges 3.0); det kan kontrolleras utan vår server med "
        "python -m certificates verify.",
        "en": "Scan the code or open the address. The certificate is digitally signed "
        "(Ed25519) and carries its facts as the attached file credential.json "
        "(Open Badges 3.0); it can be checked without our server using "
        "python -m certificates verify.",
    },
    "esco_source": {"sv": "Källa för kompetenser", "en": "Skills source"},
    "qr_alt": {
        "sv": "QR-kod som leder till kontrollsidan för intyg {id}",
        "en": "QR code leading to the verification page for certificate {id}",
    },
    "description": {
        "sv": "Tjänstgöringsintyg för ideellt arbete, {name}, {partnership}",
        "en": "Certificate of volunteer service, {name}, {partnership}",
    },
    "achievement": {
        "sv": "Ideellt arbete inom {partnership}",
        "en": "Volunteer work in {partnership}",
    },
}

_MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def t(key: str, language: Language, **values: object) -> str:
    """The text `key` in `language`, with `values` filled in."""
    text = TEXT[key][language]
    return text.format(**values) if values else text


def format_date(day: date, language: Language) -> str:
    """A date as a reader writes it: '2025-03-03' in Swedish, '3 March 2025' in English."""
    if language == "sv":
        return day.isoformat()
    return f"{day.day} {_MONTHS_EN[day.month - 1]} {day.year}"


def format_hours(minutes: int, language: Language) -> str:
    """Hours to one decimal, comma in Swedish: 2550 min -> '42,5' / '42.5'."""
    text = str(hours_from_minutes(minutes))
    if text.endswith(".0"):
        text = text[:-2]
    return text.replace(".", ",") if language == "sv" else text


def endorsement_text(count: int, language: Language) -> str:
    """'1 endorsement' / '3 endorsements'."""
    return t("endorsements" if count == 1 else "endorsements_many", language, n=count)
