"""Each figure's one written definition (population, numerator, denominator, time window).

The report's "Definitions" section prints these, the README repeats them, and the
auditor's test (tests/volunteers/test_report_audit.py) recomputes every figure from
them with SQL of its own.
"""

from __future__ import annotations

from volunteers.reports.texts import lang_of

DEFINITIONS: dict[str, list[tuple[str, str]]] = {
    "sv": [
        (
            "Period",
            "Hela kalendermånader i partnerskapets tidszon; ett datum mitt i en månad räknas till hela månaden.",
        ),
        (
            "Aktiva volontärer",
            "Volontärer med minst ett pass under perioden som ledaren bekräftat som genomfört "
            "(närvaro med timmar). Passet räknas till perioden efter sin starttid.",
        ),
        ("Volontärtimmar", "Summan av de bekräftade minuterna för dessa pass."),
        (
            "Åldersgrupp",
            "Volontärens ålder den dag hen gjorde sitt första pass under perioden; varje volontär i en grupp.",
        ),
        (
            "Nya registreringar",
            "Volontärkonton skapade under perioden och inte raderade sedan; ålder på registreringsdagen.",
        ),
        (
            "Genomförda tillfällen",
            "Tillfällen som inte ställts in och som började under perioden och före rapportens tid.",
        ),
        (
            "Behövda och fyllda platser",
            "Behövda: tillfällets behov (ett eget behov för en roll ersätter aktivitetens). "
            "Fyllda: volontärer som tackat ja senast när tillfället började och inte lämnat det sedan "
            "(högst så många som behövdes). Ett förslag som gjordes efter starten fyller ingen plats. "
            "Bemanningsgrad = fyllda / behövda.",
        ),
        (
            "Obemannade platser",
            "Tomma platser i den senast publicerade planeringen för tillfällen under perioden som inte "
            "ställts in. Varje brist räknas under en orsak: den som stoppade flest volontärer.",
        ),
        (
            "Urval för arbete och studier",
            "Volontärer som inte raderats och inte återkallat sitt samtycke till uppföljning; "
            "den som återkallar tas bort ur både täljare och nämnare.",
        ),
        (
            "Sökte arbete",
            "I urvalet och enligt den daterade historiken (frågan vid registreringen, ändring i profilen, "
            "svar på uppföljning) arbetssökande minst en dag under perioden.",
        ),
        (
            "Senare i arbete eller studier",
            "Av dem som sökte arbete: de som under perioden svarade arbete, anställning med "
            "stöd eller studier, en dag efter en dag då de sökte arbete. Andel = detta / sökte arbete.",
        ),
        (
            "Har svarat på uppföljning",
            "Volontärer i urvalet med minst ett svar daterat under perioden; senaste situation "
            "är deras senaste svar under perioden.",
        ),
        (
            "Svarsfrekvens",
            "Har svarat / tillfrågade: volontärer i urvalet registrerade före periodens slut med minst ett "
            "genomfört pass dittills.",
        ),
        (
            "Lärandemål och utbildningar",
            "Volontärer (inte raderade) med ett lärandemål som en ledare intygat under perioden (en ledare "
            "intygade just den kompetensen), respektive med en utbildning genomförd under perioden.",
        ),
        (
            "Intyg",
            "Utfärdade respektive återkallade under perioden, efter tidpunkten för utfärdandet eller återkallandet.",
        ),
        (
            "Föregående period",
            "Lika många hela månader, som slutar dagen före periodens början: aktiva volontärer, "
            "volontärtimmar och genomförda tillfällen räknade på samma sätt.",
        ),
        (
            "Kvar som aktiva",
            "Av volontärerna som var aktiva under föregående period: andelen som är aktiva även under "
            "denna. Döljs om de som stannade eller de som slutade är färre än fem.",
        ),
        (
            "Timmarnas värde",
            "Volontärtimmarna gånger partnerskapets eget timvärde (en inställning utan förval: "
            "partnerskapet väljer värdet och anger sin källa). Visas inte när inget värde är satt.",
        ),
        (
            "Barn och unga som deltog",
            "Deltagartillfällen som ledarna räknat per åldersgrupp när de bekräftat närvaron, vid tillfällen "
            "under perioden som inte ställts in. Samma barn vid tio tillfällen räknas tio gånger.",
        ),
    ],
    "en": [
        (
            "Period",
            "Whole calendar months in the partnership's time zone; a date inside a month counts the whole month.",
        ),
        (
            "Active volunteers",
            "Volunteers with at least one session in the period that a leader confirmed as worked "
            "(attendance with minutes). A session belongs to the period by its start.",
        ),
        ("Volunteer hours", "The sum of the confirmed minutes of those sessions."),
        (
            "Age band",
            "The volunteer's age on the date of their first session in the period; each volunteer in one band.",
        ),
        (
            "New registrations",
            "Volunteer accounts created in the period and not erased since; age on the day of registration.",
        ),
        ("Sessions held", "Sessions not cancelled that began in the period and before the report was made."),
        (
            "Places needed and filled",
            "Needed: the session's needs (a session's own need for a role replaces the "
            "activity's). Filled: volunteers who had said yes by the session's start and have not left it since "
            "(at most as many as needed). A proposal made after the start fills nothing. Fill rate = filled / needed.",
        ),
        (
            "Places left unfilled",
            "Empty places in the latest published plan for sessions in the period that were not "
            "cancelled. Each shortage counts under one reason: the one that turned most volunteers away.",
        ),
        (
            "Population for work and studies",
            "Volunteers not erased who have not withdrawn their consent to follow-up; "
            "whoever withdraws leaves numerator and denominator alike.",
        ),
        (
            "Looking for work",
            "In the population and, by the dated history (the question at registration, a change in "
            "the profile, a follow-up answer), looking for work on at least one day of the period.",
        ),
        (
            "Later working or studying",
            "Of those looking for work: whoever answered in the period employed, employment "
            "with support or studies, on a day after a day they were looking. Share = this / looking for work.",
        ),
        (
            "Answered a follow-up",
            "Volunteers in the population with at least one answer dated in the period; the latest "
            "situation is their latest answer in the period.",
        ),
        (
            "Response rate",
            "Answered / asked: volunteers in the population registered before the period's end with at "
            "least one session worked by then.",
        ),
        (
            "Learning goals and trainings",
            "Volunteers (not erased) with a learning goal a leader endorsed in the period (a leader endorsed that "
            "very skill), and with a training completed in the period.",
        ),
        ("Certificates", "Issued and revoked in the period, by the time of issue or revocation."),
        (
            "Previous period",
            "As many whole months, ending the day before the period starts: active volunteers, verified "
            "hours and sessions held, counted the same way.",
        ),
        (
            "Retention",
            "Of the volunteers active in the previous period, the share active in this one as well. "
            "Hidden when those who stayed or those who left are fewer than five.",
        ),
        (
            "Value of the hours",
            "Verified hours times the partnership's own hourly value (a setting with no default: the "
            "partnership chooses the rate and cites its source). Not shown when no rate is set.",
        ),
        (
            "Children and young people who took part",
            "Participations the leaders counted by age group when confirming attendance, at sessions in the "
            "period that were not cancelled. The same child at ten sessions counts ten times.",
        ),
    ],
}


def definitions(lang: str) -> list[tuple[str, str]]:
    """The definitions in the report's language."""
    return DEFINITIONS[lang_of(lang)]
