"""Swedish and English wording of the certificate, and how numbers and dates read.

The formats of hours, sessions and dates are part of what `verify_pdf` compares between
the page and the signed credential: change them only together with verify.py, and keep
accepting the old forms so that certificates issued earlier still verify.
"""

from __future__ import annotations

from datetime import date
from typing import Any

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

# Page version 2 (page.py): the page an employer reads in 30 seconds. Version 1's
# wording above stays, so that certificates issued with it keep verifying.
TEXT_V2: dict[str, dict[Language, Any]] = {
    "partnership_of": {
        "sv": "Ett idéburet offentligt partnerskap (IOP) mellan {partners}.",
        "en": "An idea-based public partnership (IOP) of {partners}.",
    },
    "and": {"sv": "och", "en": "and"},
    "statement": {
        "sv": "{name}, född {birth}, har arbetat ideellt inom {partnership} från {start} till {end}.",
        "en": "{name}, born {birth}, did volunteer work in {partnership} from {start} to {end}.",
    },
    "figures": {"sv": "{hours} timmar  ·  {sessions} tillfällen", "en": "{hours} hours  ·  {sessions} sessions"},
    "unpaid": {
        "sv": "Ideellt och oavlönat. Varje tillfälles timmar är bekräftade av aktivitetens ledare.",
        "en": "Unpaid volunteer work. The hours of every session were confirmed by the activity's leader.",
    },
    "roles": {"sv": "Roller och timmar", "en": "Roles and hours"},
    "role_hours": {"sv": "{role} – {hours} timmar", "en": "{role} – {hours} hours"},
    "role_hour": {"sv": "{role} – {hours} timme", "en": "{role} – {hours} hour"},
    "activities": {"sv": "Aktiviteter", "en": "Activities"},
    "tasks": {"sv": "Arbetsuppgifter", "en": "What the volunteer did"},
    "reference": {"sv": "Ledarens omdöme", "en": "The leader's reference"},
    "reference_by": {"sv": "– {name}, {role}, {partner}", "en": "– {name}, {role}, {partner}"},
    "reference_contact": {"sv": "Kontakt: {contact}", "en": "Contact: {contact}"},
    "referee": {"sv": "Referens", "en": "Referee"},
    "skills": {"sv": "Kompetenser", "en": "Skills"},
    "confirmed_once": {"sv": "bekräftad av ledare", "en": "confirmed by a leader"},
    "confirmed_many": {"sv": "bekräftad av ledare {n} gånger", "en": "confirmed by leaders {n} times"},
    "self_assessed": {"sv": "egen bedömning", "en": "self-assessed"},
    "skills_note": {
        "sv": "Kompetenserna följer EU:s klassificering ESCO (v1.2.0, © Europeiska unionen); de svenska "
        "benämningarna är projektets egna. ESCO-adresserna finns i intygets digitala del.",
        "en": "Skills follow the EU classification ESCO (v1.2.0, © European Union); their ESCO "
        "identifiers are in the certificate's digital part.",
    },
    "trainings": {"sv": "Utbildningar", "en": "Training"},
    "issued_by": {"sv": "Utfärdat av {partnership}", "en": "Issued by {partnership}"},
    "issued_by_label": {"sv": "Utfärdat av", "en": "Issued by"},
    "verify": {
        "sv": "Kontrollera äktheten på {url} eller skanna QR-koden.",
        "en": "Check that it is genuine at {url} or scan the QR code.",
    },
    "how_to_check": {"sv": "Så kontrollerar du ett intyg: {url}", "en": "How to check a certificate: {url}"},
    # Page version 3.
    "unpaid_v3": {
        "sv": "Ideellt och oavlönat. Alla timmar är bekräftade av aktivitetens ledare.",
        "en": "Unpaid volunteer work. All hours were confirmed by the activity's leader.",
    },
    "unpaid_own": {
        "sv": "Ideellt och oavlönat. Alla timmar är bekräftade av aktivitetens ledare, varav {hours} timmar "
        "som volontären själv rapporterat (förberedelser, resor o.d.).",
        "en": "Unpaid volunteer work. All hours were confirmed by the activity's leader, {hours} of them "
        "reported by the volunteer (preparation, travel and the like).",
    },
    "unpaid_own_one": {
        "sv": "Ideellt och oavlönat. Alla timmar är bekräftade av aktivitetens ledare, varav {hours} timme "
        "som volontären själv rapporterat (förberedelser, resor o.d.).",
        "en": "Unpaid volunteer work. All hours were confirmed by the activity's leader, {hours} of them "
        "reported by the volunteer (preparation, travel and the like).",
    },
    "written_in": {
        "sv": {"sv": "(skrivet på svenska)", "en": "(skrivet på engelska)"},
        "en": {"sv": "(written in Swedish)", "en": "(written in English)"},
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


def t2(key: str, language: Language, **values: object) -> str:
    """The page-version-2 text `key` in `language`, with `values` filled in."""
    text = str(TEXT_V2[key][language])
    return text.format(**values) if values else text


def written_in(written: Language, language: Language) -> str:
    """'(written in Swedish)' on an English page for a reference written in Swedish."""
    return str(TEXT_V2["written_in"][language][written])


def format_list(items: list[str], language: Language) -> str:
    """'A, B och C' / 'A, B and C'."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {t2('and', language)} {items[-1]}"


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
