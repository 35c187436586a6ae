"""Synthetic volunteers of Pettersberg: names, ages, languages, skills and availability.

Everything is drawn from one `random.Random` and one seeded Faker, so the same seed
gives the same people.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from dataclasses import dataclass, field

from faker import Faker

from seeds import pettersberg as P

# Origins of the area's residents: weight, languages always spoken, languages sometimes
# spoken, first names (female, male) and family names. Swedish names come from Faker.
_Origin = tuple[float, tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]
ORIGINS: dict[str, _Origin] = {
    "swedish": (0.40, ("sv",), ("en", "en", "de", "es"), (), (), ()),
    "arabic": (
        0.15,
        ("ar", "sv"),
        ("en", "ku"),
        ("Fatima", "Aisha", "Layla", "Noor", "Rania", "Huda", "Mariam", "Yasmin", "Amal", "Rasha", "Dina", "Sara"),
        ("Ahmad", "Mohammed", "Omar", "Yousef", "Khaled", "Ali", "Hassan", "Karim", "Samir", "Rami", "Tarek", "Bilal"),
        (
            "Haddad",
            "Khalil",
            "Mansour",
            "Nasser",
            "Saleh",
            "Ibrahim",
            "Hamdan",
            "Aziz",
            "Darwish",
            "Jaber",
            "Suleiman",
            "al-Hassan",
        ),
    ),
    "somali": (
        0.10,
        ("so", "sv"),
        ("en", "ar"),
        ("Hodan", "Amina", "Sahra", "Fadumo", "Ifrah", "Hawa", "Nimco", "Ayan"),
        ("Abdi", "Mohamed", "Abdullahi", "Hassan", "Ahmed", "Yusuf", "Liban", "Farah"),
        ("Warsame", "Abdi", "Ali", "Farah", "Osman", "Hussein", "Jama", "Mohamud", "Nur", "Egal"),
    ),
    "eritrean": (
        0.06,
        ("ti", "sv"),
        ("en", "ar"),
        ("Selam", "Helen", "Senait", "Rahwa", "Luwam", "Saba", "Eden", "Feven"),
        ("Yonas", "Dawit", "Filmon", "Samuel", "Tesfay", "Mussie", "Robel", "Henok"),
        ("Tesfamariam", "Ghebreyesus", "Habte", "Kidane", "Tekle", "Berhane", "Mehari", "Asmerom"),
    ),
    "afghan": (
        0.07,
        ("prs", "sv"),
        ("ps", "fa", "en"),
        ("Zahra", "Maryam", "Fereshta", "Mina", "Nilofar", "Parwana", "Shabnam", "Sima"),
        ("Ahmad", "Mustafa", "Farid", "Jawad", "Sohrab", "Rahim", "Nasir", "Hamid"),
        ("Ahmadi", "Rahimi", "Hakimi", "Sultani", "Noori", "Karimi", "Hashimi", "Popal"),
    ),
    "iranian": (
        0.04,
        ("fa", "sv"),
        ("en",),
        ("Shirin", "Leila", "Nazanin", "Parisa", "Roya"),
        ("Reza", "Arash", "Kaveh", "Babak", "Dariush"),
        ("Moradi", "Hosseini", "Rostami", "Tehrani", "Jafari", "Sadeghi"),
    ),
    "kurdish": (
        0.06,
        ("ku", "sv"),
        ("ar", "tr", "en"),
        ("Shilan", "Avin", "Berivan", "Rojda", "Jiyan"),
        ("Azad", "Rebin", "Dilan", "Shvan", "Karwan"),
        ("Barzani", "Rashid", "Kaya", "Amin", "Mahmoud", "Zebari"),
    ),
    "ukrainian": (
        0.05,
        ("uk",),
        ("sv", "sv", "en", "ru"),
        ("Olena", "Iryna", "Nataliia", "Oksana", "Yuliia", "Kateryna"),
        ("Oleksandr", "Andrii", "Dmytro", "Serhii", "Mykola"),
        ("Kovalenko", "Shevchenko", "Bondarenko", "Tkachenko", "Melnyk"),
    ),
    "bosnian": (
        0.03,
        ("bs", "sv"),
        ("en", "de"),
        ("Amra", "Lejla", "Selma", "Emina"),
        ("Emir", "Adnan", "Haris", "Edin"),
        ("Hodžić", "Begić", "Delić", "Mehmedović"),
    ),
    "finnish": (
        0.04,
        ("fi", "sv"),
        ("en",),
        ("Pirjo", "Tuula", "Sirpa", "Anneli"),
        ("Mikko", "Jukka", "Pertti", "Kari"),
        ("Virtanen", "Korhonen", "Nieminen", "Mäkinen", "Heikkinen"),
    ),
}

LANGUAGE_SKILLS = {
    "sv": "speak_swedish",
    "ar": "speak_arabic",
    "en": "speak_english",
    "fa": "speak_persian",
    "ku": "speak_kurdish",
    "uk": "speak_ukrainian",
    "so": "speak_somali",
    "ti": "speak_tigrinya",
    "prs": "speak_dari",
    "ps": "speak_pashto",
}

# Interests: the activity kinds they lead to and the skills that go with them.
INTERESTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "sport": (
        ("sport",),
        ("coach_young_people", "instruct_in_sport", "facilitate_physical_activity", "provide_first_aid"),
    ),
    "homework": (("study_circle",), ("assist_children_homework", "tutor_students", "adapt_teaching_target_group")),
    "youth": (
        ("other", "sport"),
        (
            "communicate_with_youth",
            "supervise_children",
            "safeguarding_children",
            "plan_youth_activities",
            "resolve_conflicts",
        ),
    ),
    "culture": (
        ("culture",),
        (
            "develop_cultural_activities",
            "organise_cultural_events",
            "coordinate_community_arts",
            "develop_digital_content",
        ),
    ),
    "craft": (("workshop", "culture"), ("develop_craft_activities", "plan_workshop_activity")),
    "food": (("other", "workshop"), ("comply_food_safety_hygiene", "use_cooking_techniques", "greet_guests")),
    "digital": (("other", "study_circle"), ("computer_literacy", "develop_digital_content", "social_media_management")),
    "elderly": (("other",), ("communicate_with_elderly_groups", "tend_elderly_people", "listen_actively")),
    "language": (("study_circle",), ("moderate_discussion", "show_intercultural_awareness", "speak_swedish")),
    "community": (
        ("other",),
        (
            "communicate_with_tenants",
            "communicate_with_local_residents",
            "coordinate_events",
            "plan_events",
            "resolve_conflicts",
        ),
    ),
}
INTEREST_WEIGHTS = {  # by life stage: teen, adult, senior
    "sport": (5, 3, 1),
    "homework": (2, 3, 2),
    "youth": (2, 3, 1),
    "culture": (3, 2, 1),
    "craft": (1, 1, 3),
    "food": (1, 2, 3),
    "digital": (3, 2, 1),
    "elderly": (1, 1, 4),
    "language": (1, 3, 3),
    "community": (1, 2, 2),
}
GENERAL_SKILLS = (
    "act_reliably",
    "work_in_teams",
    "manage_time",
    "show_initiative",
    "listen_actively",
    "respect_cultural_diversity",
    "meet_deadlines",
    "perform_cleaning_duties",
)
CAREER_GOALS = (
    "perform_project_management",
    "coordinate_events",
    "plan_events",
    "mentor_individuals",
    "perform_office_routine",
    "social_media_management",
    "complete_membership_administration",
    "plan_youth_activities",
)

T = dt.time


@dataclass
class Volunteer:
    """One generated volunteer, before ids are given."""

    first_name: str
    last_name: str
    email: str
    phone: str
    birth_date: dt.date
    languages: list[str]
    skills: list[str]
    learning_goals: list[str]
    kinds: list[str]
    seeking_work: bool
    max_minutes_per_week: int | None
    registered_on: dt.date
    locale: str = "sv"
    guardian_name: str = ""
    guardian_contact: str = ""
    rules: list[tuple[int, dt.time, dt.time]] = field(default_factory=list)
    away: list[tuple[dt.date, dt.date]] = field(default_factory=list)
    extra: list[tuple[dt.date, dt.time, dt.time]] = field(default_factory=list)
    checks: list[dt.date] = field(default_factory=list)
    max_activities: int = 2
    reliability: float = 0.9  # chance of turning up a given week

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"


def age_on(birth: dt.date, day: dt.date) -> int:
    """Whole years of age on a day."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _ascii(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if c.isascii() and (c.isalnum() or c == "-"))


def _birth_date(rng: random.Random, today: dt.date, age: int) -> dt.date:
    latest = (
        today.replace(year=today.year - age)
        if not (today.month == 2 and today.day == 29)
        else dt.date(today.year - age, 2, 28)
    )
    return latest - dt.timedelta(days=rng.randrange(0, 365))


def _birthday(birth: dt.date, years: int) -> dt.date:
    try:
        return birth.replace(year=birth.year + years)
    except ValueError:  # 29 February
        return dt.date(birth.year + years, 3, 1)


def _age(rng: random.Random, index: int, total: int) -> int:
    # A couple of 13–15-year-olds with a guardian's consent, then the usual spread.
    if index % 60 == 7:
        return 13 + (index // 60) % 3
    bands = ((16, 19, 20), (20, 29, 22), (30, 49, 25), (50, 64, 16), (65, 82, 17))
    lo, hi, _ = rng.choices(bands, weights=[b[2] for b in bands])[0]
    return rng.randint(lo, hi)


def _availability(rng: random.Random, age: int, seeking: bool) -> list[tuple[int, T, T]]:
    rules: list[tuple[int, T, T]] = []
    if age < 16:
        for day in sorted(rng.sample(range(5), rng.randint(2, 3))):
            rules.append((day, T(15, 30), T(20, 0)))
        if rng.random() < 0.7:
            rules.append((5, T(10, 0), T(16, 0)))
        return rules
    if age >= 65 or seeking:
        for day in sorted(rng.sample(range(5), rng.randint(2, 4))):
            rules.append((day, T(9, 0), T(17, 0) if age >= 65 else T(21, 0)))
    evenings = rng.randint(1, 2) if age >= 65 else rng.randint(2, 4)
    taken = {r[0] for r in rules}
    for day in sorted(rng.sample(range(5), evenings)):
        if day in taken:
            continue
        start = T(15, 30) if age < 20 else rng.choice((T(16, 30), T(17, 0)))
        end = T(22, 0) if age < 18 else rng.choice((T(20, 0), T(21, 0), T(22, 0)))
        if day == 4 and 25 <= age < 70 and rng.random() < 0.35:
            end = T(0, 0)  # night walkers: Friday until midnight
        rules.append((day, start, end))
    if rng.random() < (0.4 if age >= 65 else 0.75):
        for day in rng.sample((5, 6), rng.randint(1, 2)):
            rules.append((day, T(10, 0), rng.choice((T(15, 0), T(17, 0), T(18, 0)))))
    return sorted(rules)


def _skills(rng: random.Random, stage: int, languages: list[str]) -> tuple[list[str], list[str], list[str]]:
    names = list(INTEREST_WEIGHTS)
    weights = [INTEREST_WEIGHTS[n][stage] for n in names]
    interests: list[str] = []
    wanted = rng.randint(1, 3)
    while len(interests) < wanted:
        pick = rng.choices(names, weights)[0]
        if pick not in interests:
            interests.append(pick)
    skills: set[str] = set()
    kinds: set[str] = set()
    pool: set[str] = set()
    for interest in interests:
        ikinds, iskills = INTERESTS[interest]
        kinds.update(ikinds)
        pool.update(iskills)
        skills.update(rng.sample(iskills, rng.randint(1, min(3, len(iskills)))))
    skills.update(rng.sample(GENERAL_SKILLS, rng.randint(0, 2)))
    for lang in languages:
        if lang in LANGUAGE_SKILLS and rng.random() < 0.6:
            skills.add(LANGUAGE_SKILLS[lang])
    goals = sorted(rng.sample(sorted((pool | set(CAREER_GOALS)) - skills), rng.randint(0, 3)))
    return sorted(skills), goals, sorted(kinds)


def make_volunteers(rng: random.Random, fake: Faker, count: int, today: dt.date) -> list[Volunteer]:
    """`count` volunteers, the demo volunteer first."""
    people = [demo_volunteer(today)]
    origins = list(ORIGINS)
    weights = [ORIGINS[o][0] for o in origins]
    for i in range(1, count):
        origin = rng.choices(origins, weights)[0]
        _, always, sometimes, female, male, family = ORIGINS[origin]
        is_female = rng.random() < 0.55
        if origin == "swedish":
            first = fake.first_name_female() if is_female else fake.first_name_male()
            last = fake.last_name()
        else:
            first = rng.choice(female if is_female else male)
            last = rng.choice(family)
        age = _age(rng, i, count)
        stage = 0 if age < 20 else (1 if age < 65 else 2)
        languages = set(always)
        for lang in sometimes:
            if rng.random() < (0.5 if age < 30 else 0.3):
                languages.add(lang)
        if age < 30 and "en" not in languages and rng.random() < 0.6:
            languages.add("en")
        seeking = (18 <= age < 65 and rng.random() < 0.3) or (16 <= age < 18 and rng.random() < 0.2)
        skills, goals, kinds = _skills(rng, stage, sorted(languages))
        registered = today - dt.timedelta(days=rng.randint(90, 800))
        if rng.random() < 0.06:
            registered = today - dt.timedelta(days=rng.randint(1, 30))  # new this month
        birth = _birth_date(rng, today, age)
        registered = max(registered, _birthday(birth, 13))
        v = Volunteer(
            first_name=first,
            last_name=last,
            email=f"{_ascii(first)}.{_ascii(last)}.{i}@example.org",
            phone=f"07{rng.choice('02369')}-{rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
            birth_date=birth,
            languages=sorted(languages),
            skills=skills,
            learning_goals=goals,
            kinds=kinds,
            seeking_work=seeking,
            max_minutes_per_week=rng.choice((120, 180, 240, 300)) if rng.random() < 0.3 else None,
            registered_on=registered,
            locale="en" if "sv" not in languages else "sv",
            rules=_availability(rng, age, seeking),
            max_activities=rng.choice((1, 1, 2, 2, 3)),
            reliability=rng.uniform(0.8, 0.98),
        )
        _exceptions(rng, v, today)
        _background_checks(rng, v, today, age)
        if age_on(v.birth_date, v.registered_on) < 16:  # a guardian consented at sign-up
            guardian = fake.first_name_female() if origin == "swedish" else rng.choice(female)
            v.guardian_name = f"{guardian} {last}"
            v.guardian_contact = f"070-{rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
        people.append(v)
    return people


def _exceptions(rng: random.Random, v: Volunteer, today: dt.date) -> None:
    r = rng.random()
    if r < 0.12:  # a week away, past or coming
        start = today + dt.timedelta(days=rng.randint(-80, 50))
        v.away.append((start, start + dt.timedelta(days=rng.randint(2, 9))))
    elif r < 0.17 and v.rules:  # one extra Sunday afternoon
        day = today + dt.timedelta(days=(6 - today.weekday()) % 7 + 7 * rng.randint(0, 4))
        v.extra.append((day, T(12, 0), T(18, 0)))


def _background_checks(rng: random.Random, v: Volunteer, today: dt.date, age: int) -> None:
    works_with_children = (
        bool({"sport", "study_circle", "culture", "workshop"} & set(v.kinds)) or "communicate_with_youth" in v.skills
    )
    if age < 15:
        return
    r = rng.random()
    if not works_with_children:
        if r < 0.15:
            v.checks.append(today - dt.timedelta(days=rng.randint(20, 500)))
        return
    if r < 0.75:
        seen = today - dt.timedelta(days=rng.randint(10, 330))
        if rng.random() < 0.15:
            v.checks.append(seen - dt.timedelta(days=rng.randint(365, 420)))  # the one before
        v.checks.append(seen)
    elif r < 0.87:
        v.checks.append(today - dt.timedelta(days=rng.randint(380, 700)))  # expired
    # An extract is asked for from 15; none is seen before that birthday.
    v.checks = sorted({max(c, _birthday(v.birth_date, 15)) for c in v.checks})
    for seen in v.checks:
        if seen < v.registered_on:
            v.registered_on = seen - dt.timedelta(days=rng.randint(0, 14))


def demo_volunteer(today: dt.date) -> Volunteer:
    """Amina, the demo volunteer: homework help and story time, about 20 verified hours."""
    a = P.DEMO_VOLUNTEER
    away_start = today - dt.timedelta(days=today.weekday() + 7 * 5)  # a Monday five weeks ago
    return Volunteer(
        first_name=a.first_name,
        last_name=a.last_name,
        email=a.email,
        phone="073-412 58 90",
        birth_date=_birth_date(random.Random(0), today, 24),
        languages=["ar", "en", "so", "sv"],
        skills=[
            "act_reliably",
            "assist_children_homework",
            "communicate_with_youth",
            "speak_arabic",
            "speak_english",
            "speak_somali",
            "speak_swedish",
            "tutor_students",
            "work_in_teams",
        ],
        learning_goals=["moderate_discussion", "perform_project_management", "plan_youth_activities"],
        kinds=["culture", "study_circle"],
        seeking_work=True,
        max_minutes_per_week=360,
        registered_on=today - dt.timedelta(days=200),
        rules=[(1, T(16, 0), T(20, 0)), (3, T(16, 0), T(20, 0)), (5, T(10, 0), T(14, 0))],
        away=[
            (away_start, away_start + dt.timedelta(days=6)),
            (today + dt.timedelta(days=21), today + dt.timedelta(days=23)),
        ],
        checks=[today - dt.timedelta(days=120)],
        max_activities=2,
        reliability=1.0,
    )
