"""The reports' own words in Swedish and English (the web pages translate theirs with Babel)."""

from __future__ import annotations

from typing import Literal

Lang = Literal["sv", "en"]

AGE_BANDS = ("13-15", "16-17", "18-24", "25-34", "35-49", "50-64", "65+", "unknown")

TEXTS: dict[str, dict[str, str]] = {
    "sv": {
        "title": "Effektrapport",
        "period": "Period",
        "generated": "Framtagen",
        "active": "Aktiva volontärer",
        "new": "Nya volontärer",
        "hours": "Volontärtimmar",
        "sessions_held": "Genomförda tillfällen",
        "fill_rate": "Bemanningsgrad",
        "needed": "Behövda platser",
        "filled": "Fyllda platser",
        "unfilled": "Obemannade platser",
        "published_runs": "Publicerade planeringar",
        "by_reason": "Obemannade platser efter orsak",
        "looking": "Sökte arbete",
        "later_work": "Senare i arbete eller studier",
        "share": "Andel",
        "respondents": "Har svarat på uppföljning",
        "latest_situation": "Senaste situation",
        "helped": "Volontärarbetet hjälpte med",
        "certificates": "Utfärdade intyg",
        "revoked": "Återkallade intyg",
        "by_partner": "Timmar per partner",
        "by_activity_kind": "Timmar per aktivitetstyp",
        "by_target_group": "Timmar per målgrupp",
        "by_month": "Timmar per månad",
        "by_age_band": "Timmar per åldersgrupp",
        "active_by_age_band": "Aktiva volontärer per åldersgrupp",
        "new_by_age_band": "Nya volontärer per åldersgrupp",
        "fill_by_partner": "Bemanningsgrad per partner",
        "people": "Personer",
        "minutes": "Minuter",
        "suppressed": "<5",
        "suppression_note": "Celler med färre än 5 personer visas inte (och när bara en cell döljs döljs även den "
        "näst minsta), så att ingen kan pekas ut.",
        "gender_note": "Kön registreras inte i Samverka (dataminimering) och redovisas därför inte.",
        "age_note": "Ålder räknas vid periodens slut.",
        "seekers_note": "Arbetssökande: den som i en uppföljning svarat att hen söker arbete, eller som angav det "
        "vid registreringen och ännu inte svarat något annat.",
        "section_volunteers": "Volontärer",
        "section_hours": "Timmar",
        "section_sessions": "Tillfällen och bemanning",
        "section_outcomes": "Arbete och studier",
        "section_notes": "Om siffrorna",
        "reason": "Orsak",
        "count": "Antal",
        "unknown": "okänd",
        "study_circle": "Studiecirkel",
        "sport": "Idrott",
        "workshop": "Workshop",
        "culture": "Kultur",
        "other": "Annat",
        "children": "Barn",
        "youth": "Unga",
        "adults": "Vuxna",
        "seniors": "Äldre",
        "mixed": "Blandad",
        "working": "Arbetar",
        "studying": "Studerar",
        "looking_for_work": "Söker arbete",
        "skills": "Kompetenser",
        "reference": "Referens",
        "contact": "Kontakt",
        "certificate": "Intyget",
        "reminder_subject": "Hur går det för dig? En kort uppföljning",
        "reminder_body": "Hej {name}!\n\nVill du berätta hur det går för dig – arbetar du, studerar du eller söker "
        "du arbete, och har volontärarbetet hjälpt dig? Det tar en minut och är frivilligt. Bara du ser "
        "ditt svar; partnerskapet ser bara sammanräknade siffror.\n\n{url}\n",
    },
    "en": {
        "title": "Impact report",
        "period": "Period",
        "generated": "Generated",
        "active": "Active volunteers",
        "new": "New volunteers",
        "hours": "Volunteer hours",
        "sessions_held": "Sessions held",
        "fill_rate": "Fill rate",
        "needed": "Places needed",
        "filled": "Places filled",
        "unfilled": "Places left unfilled",
        "published_runs": "Published plans",
        "by_reason": "Unfilled places by reason",
        "looking": "Were looking for work",
        "later_work": "Later working or studying",
        "share": "Share",
        "respondents": "Answered a follow-up",
        "latest_situation": "Latest situation",
        "helped": "Volunteering helped with",
        "certificates": "Certificates issued",
        "revoked": "Certificates revoked",
        "by_partner": "Hours by partner",
        "by_activity_kind": "Hours by activity kind",
        "by_target_group": "Hours by target group",
        "by_month": "Hours by month",
        "by_age_band": "Hours by age band",
        "active_by_age_band": "Active volunteers by age band",
        "new_by_age_band": "New volunteers by age band",
        "fill_by_partner": "Fill rate by partner",
        "people": "People",
        "minutes": "Minutes",
        "suppressed": "<5",
        "suppression_note": "Cells with fewer than 5 people are not shown (and when only one cell would be hidden, "
        "the next smallest is hidden too), so that nobody can be singled out.",
        "gender_note": "Samverka does not collect gender (data minimisation), so it is not reported.",
        "age_note": "Ages are counted at the end of the period.",
        "seekers_note": "Looking for work: said so in a follow-up, or at registration and has not answered "
        "otherwise since.",
        "section_volunteers": "Volunteers",
        "section_hours": "Hours",
        "section_sessions": "Sessions and staffing",
        "section_outcomes": "Work and studies",
        "section_notes": "About the figures",
        "reason": "Reason",
        "count": "Count",
        "unknown": "unknown",
        "study_circle": "Study circle",
        "sport": "Sport",
        "workshop": "Workshop",
        "culture": "Culture",
        "other": "Other",
        "children": "Children",
        "youth": "Young people",
        "adults": "Adults",
        "seniors": "Seniors",
        "mixed": "Mixed",
        "working": "Working",
        "studying": "Studying",
        "looking_for_work": "Looking for work",
        "skills": "Skills",
        "reference": "A reference",
        "contact": "A contact",
        "certificate": "The certificate",
        "reminder_subject": "How are you doing? A short follow-up",
        "reminder_body": "Hello {name},\n\nWould you tell us how you are doing: working, studying or looking for "
        "work, and whether volunteering has helped? It takes a minute and is up to you. Only you see your "
        "answer; the partnership sees only totals.\n\n{url}\n",
    },
}


def lang_of(value: str | None) -> Lang:
    """`en` for English, Swedish otherwise."""
    return "en" if value == "en" else "sv"


def text(lang: str, key: str) -> str:
    """The word for `key`, or the key itself when there is none (such as a reason code)."""
    return TEXTS[lang_of(lang)].get(key, key)
