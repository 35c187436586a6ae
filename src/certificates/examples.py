"""A full, realistic certificate for demos, tests and the benchmark."""

from __future__ import annotations

from datetime import date

from certificates.model import Activity, CertificateData, Language, Reference, Skill, Training


def sample_certificate(language: Language = "sv", number: int = 123) -> CertificateData:
    """A volunteer with a season at IOP Pettersberg: every section of the page filled.

    Three roles with their hours, a leader's reference (written in Swedish) with a contact,
    approved own time and eight skills: the fullest page the service makes, which must
    still fit one A4 page.
    """
    certificate_id = f"SV-2025-{number:06d}"
    sv = language == "sv"
    data = CertificateData(
        id=certificate_id,
        issued_on=date(2025, 6, 10),
        language=language,
        issuer_url="https://samverka.example",
        partner="ABF Västerås",
        partnership="IOP Pettersberg",
        signatory_name="Maria Lindqvist",
        signatory_role="Samordnare" if sv else "Coordinator",
        volunteer_name="Amira Haddad Öberg",
        birth_date=date(2003, 4, 17),
        roles=(
            ("Läxhjälpare", "Assisterande fotbollsledare", "Värd vid kulturkvällar")
            if sv
            else ("Homework helper", "Assistant football coach", "Host at culture evenings")
        ),
        activities=(
            Activity(
                "Läxhjälp Pettersberg" if sv else "Homework club Pettersberg",
                "Studiecirkel" if sv else "Study circle",
                "Barn 9–12 år" if sv else "Children aged 9–12",
                "Pettersbergs bibliotek" if sv else "Pettersberg library",
            ),
            Activity(
                "Fotboll för alla" if sv else "Football for everyone",
                "Idrott" if sv else "Sport",
                "Unga 12–16 år" if sv else "Young people aged 12–16",
                "Pettersbergs IP" if sv else "Pettersberg sports ground",
            ),
            Activity(
                "Kulturkväll på torget" if sv else "Culture evening on the square",
                "Kulturprogram" if sv else "Cultural programme",
                "Alla åldrar" if sv else "All ages",
                "Pettersbergstorget" if sv else "Pettersberg square",
            ),
        ),
        period_start=date(2024, 9, 2),
        period_end=date(2025, 5, 30),
        verified_minutes=5130,
        sessions=46,
        tasks=(
            (
                "Hjälpte barn med läxor i matematik och svenska, enskilt och i små grupper",
                "Planerade och ledde uppvärmning och övningar på fotbollsträningar",
                "Tog emot besökare och informerade om programmet på kulturkvällar",
                "Tolkade mellan arabiska och svenska för föräldrar vid behov",
            )
            if sv
            else (
                "Helped children with mathematics and Swedish homework, one to one and in groups",
                "Planned and led warm-ups and drills at football practice",
                "Welcomed visitors and explained the programme at culture evenings",
                "Interpreted between Arabic and Swedish for parents when needed",
            )
        ),
        trainings=(
            Training(
                "Första hjälpen och HLR" if sv else "First aid and CPR",
                "Svenska Röda Korset" if sv else "Swedish Red Cross",
                date(2024, 10, 5),
            ),
            Training(
                "Barnkonventionen i föreningslivet" if sv else "The Convention on the Rights of the Child in clubs",
                "RF-SISU Västmanland",
                date(2024, 11, 16),
            ),
        ),
        skills=(
            Skill.from_catalogue("assist_children_homework", "leader", 2),
            Skill.from_catalogue("instruct_in_sport", "leader", 1),
            Skill.from_catalogue("greet_guests", "leader", 1),
            Skill.from_catalogue("speak_arabic", "self"),
            Skill.from_catalogue("work_in_teams", "leader", 3),
            Skill.from_catalogue("act_reliably", "leader", 2),
            Skill.from_catalogue("communicate_with_youth", "leader", 1),
            Skill.from_catalogue("speak_swedish", "self"),
        ),
        verify_url=f"https://samverka.example/v/{certificate_id}",
        partners=("ABF Västerås", "Hyresgästföreningen", "RF-SISU Västmanland", "Västerås stad"),
        role_minutes=(2400, 1830, 900),
        # The leader wrote in Swedish: the English page prints the words as written and says so.
        reference=Reference(
            "Amira var alltid i tid och väl förberedd. Barnen frågade efter henne, och hon tog eget "
            "ansvar för en grupp på sex elever hela våren.",
            "Johan Berg",
            "Cirkelledare" if sv else "Study circle leader",
            "ABF Västerås",
            "johan.berg@abf.example, 021-12 34 56",
            language="sv",
        ),
        # Of the hours, preparation she reported herself and a leader approved.
        own_minutes=300,
        check_url="https://samverka.example/intyg/kontrollera" if sv else "https://samverka.example/certificates/check",
    )
    return data
