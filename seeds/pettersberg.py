"""The fixed facts of the demo partnership IOP Pettersberg: partners, accounts, activities."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

SLUG = "pettersberg"
NAME = "IOP Pettersberg"
AREA = "Pettersberg, Västerås"
TIMEZONE = "Europe/Stockholm"
STARTS_ON = dt.date(2023, 9, 1)
ENDS_ON = dt.date(2027, 8, 31)  # a four-year agreement: the demo runs inside it
DESCRIPTION = (
    "Ett idéburet offentligt partnerskap mellan Västerås stad, RF-SISU Västmanland, "
    "Hyresgästföreningen och ABF Västerås för ökad trygghet och trivsel i Pettersberg. "
    "Tillsammans med volontärer ordnar vi läxhjälp, studiecirklar, idrott, verkstäder och "
    "kultur för barn och unga, men också för vuxna och äldre. Målen: fler i meningsfull "
    "sysselsättning, fler aktiva i föreningslivet och ett tryggare Pettersberg där grannar "
    "känner varandra."
)

# One documented password for every demo log-in; check_password_policy refuses it for
# every other account (it is published).
DEMO_PASSWORD = "pettersberg-demo-2026"
CONSENT_VERSION = "2026-1"


@dataclass(frozen=True)
class PartnerSpec:
    key: str
    slug: str
    name: str
    description: str


PARTNERS: tuple[PartnerSpec, ...] = (
    PartnerSpec(
        "stad",
        "vasteras-stad",
        "Västerås stad, kultur-, idrotts- och fritidsförvaltningen",
        "Driver Pettersbergs fritidsgård och kulturverksamheten för barn och unga.",
    ),
    PartnerSpec(
        "sisu",
        "rf-sisu-vastmanland",
        "RF-SISU Västmanland",
        "Idrottsrörelsens bildningsförbund: träningsgrupper, ledarutbildning och föreningsstöd.",
    ),
    PartnerSpec(
        "hgf",
        "hyresgastforeningen",
        "Hyresgästföreningen",
        "Hyresgästernas förening: grannsamverkan, nattvandring och mötesplatser i området.",
    ),
    PartnerSpec(
        "abf",
        "abf-vasteras",
        "ABF Västerås",
        "Studieförbund: studiecirklar, läxhjälp, språkcafé och kultur.",
    ),
)


@dataclass(frozen=True)
class Account:
    email: str
    first_name: str
    last_name: str
    role: str  # volunteer, leader, coordinator
    partner: str | None = None
    title: str = ""


DEMO_VOLUNTEER = Account("volontar@demo.samverka.se", "Amina", "Warsame", "volunteer")
COORDINATOR = Account(
    "samordnare@demo.samverka.se",
    "Lina",
    "Bergström",
    "coordinator",
    title="Samordnare, IOP Pettersberg",
)
LEADERS: tuple[Account, ...] = (
    Account(
        "ledare.stad@demo.samverka.se",
        "Johan",
        "Lindqvist",
        "leader",
        "stad",
        "Fritidsledare, Pettersbergs fritidsgård",
    ),
    Account("ledare.sisu@demo.samverka.se", "Sara", "Nyberg", "leader", "sisu", "Idrottskonsulent"),
    Account("ledare.hgf@demo.samverka.se", "Mehmet", "Demir", "leader", "hgf", "Områdesorganisatör"),
    Account("ledare.abf@demo.samverka.se", "Hanna", "Ek", "leader", "abf", "Verksamhetsutvecklare"),
)
ACCOUNTS: tuple[Account, ...] = (DEMO_VOLUNTEER, COORDINATOR, *LEADERS)


@dataclass(frozen=True)
class NeedSpec:
    role: str
    count: int
    skills: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    min_age: int | None = None
    priority: int = 1
    develops: tuple[str, ...] = ()


@dataclass(frozen=True)
class ActivitySpec:
    key: str
    partner: str
    name: str
    kind: str  # ActivityKind value
    target: str  # TargetGroup value
    place: str
    weekday: int  # 0 = Monday
    start: dt.time
    end: dt.time
    description: str
    tasks: tuple[str, ...]
    needs: tuple[NeedSpec, ...] = field(default_factory=tuple)


def _t(text: str) -> dt.time:
    return dt.time.fromisoformat(text)


SKOLAN = "Pettersbergsskolan"
BOLLPLAN = "Bollplanen vid Pettersbergsskolan"
HALLEN = "Pettersbergshallen"
FRITIDSGARD = "Pettersbergs fritidsgård"
AKTIVITETSHUS = "Allaktivitetshuset"
HGF_LOKAL = "Hyresgästföreningens lokal, Pettersbergsgatan"

ACTIVITIES: tuple[ActivitySpec, ...] = (
    ActivitySpec(
        "fotboll-u12",
        "sisu",
        "Fotboll U12",
        "sport",
        "children",
        BOLLPLAN,
        1,
        _t("17:00"),
        _t("18:30"),
        "Träning för barn 10–12 år. Alla får vara med, ingen anmälan behövs.",
        ("leda uppvärmning", "hålla i övningar", "plocka fram och undan material"),
        (
            NeedSpec(
                "tränare",
                2,
                ("coach_young_people",),
                min_age=18,
                priority=3,
                develops=("instruct_in_sport", "plan_youth_activities"),
            ),
            NeedSpec("hjälptränare", 2, min_age=16, priority=2, develops=("coach_young_people", "work_in_teams")),
        ),
    ),
    ActivitySpec(
        "fotboll-u9",
        "sisu",
        "Fotboll U9",
        "sport",
        "children",
        BOLLPLAN,
        5,
        _t("10:00"),
        _t("11:00"),
        "Lek och boll för de yngsta, 6–9 år.",
        ("leda lekar", "ta emot föräldrar", "ha koll på första hjälpen-väskan"),
        (
            NeedSpec("tränare", 2, ("coach_young_people",), min_age=18, priority=3, develops=("supervise_children",)),
            NeedSpec("hjälptränare", 1, min_age=16, develops=("supervise_children",)),
        ),
    ),
    ActivitySpec(
        "tjejfotboll",
        "sisu",
        "Tjejfotboll 13–16 år",
        "sport",
        "youth",
        BOLLPLAN,
        3,
        _t("17:30"),
        _t("19:00"),
        "Fotboll för tjejer i högstadieåldern, med kvinnliga ledare.",
        ("leda träning", "peppa och lyssna", "planera matcher"),
        (
            NeedSpec(
                "tränare", 2, ("coach_young_people",), min_age=18, priority=3, develops=("communicate_with_youth",)
            ),
            NeedSpec("hjälptränare", 1, min_age=16, develops=("coach_young_people",)),
        ),
    ),
    ActivitySpec(
        "basket",
        "sisu",
        "Basket",
        "sport",
        "youth",
        HALLEN,
        4,
        _t("18:00"),
        _t("20:00"),
        "Öppen basket för unga 13–19 år på fredagskvällar.",
        ("leda träning", "hålla ordning i hallen", "låsa upp och stänga"),
        (
            NeedSpec("tränare", 1, ("instruct_in_sport",), min_age=18, priority=3),
            NeedSpec("hallvärd", 2, min_age=18, priority=2, develops=("resolve_conflicts", "communicate_with_youth")),
        ),
    ),
    ActivitySpec(
        "innebandy",
        "sisu",
        "Innebandy för barn",
        "sport",
        "children",
        HALLEN,
        5,
        _t("12:00"),
        _t("13:30"),
        "Innebandy för barn 8–12 år, klubbor finns att låna.",
        ("leda övningar", "dela ut klubbor", "döma matcher"),
        (
            NeedSpec("tränare", 2, ("coach_young_people",), min_age=18, priority=3),
            NeedSpec("hjälptränare", 2, min_age=16, develops=("instruct_in_sport",)),
        ),
    ),
    ActivitySpec(
        "stavgang",
        "sisu",
        "Stavgång för seniorer",
        "sport",
        "seniors",
        f"Samling vid {AKTIVITETSHUS}",
        0,
        _t("10:00"),
        _t("11:00"),
        "En lugn promenad med stavar runt Pettersberg, följt av kaffe.",
        ("leda promenaden", "hålla ihop gruppen"),
        (
            NeedSpec(
                "ledare",
                1,
                ("facilitate_physical_activity",),
                priority=2,
                develops=("communicate_with_elderly_groups",),
            ),
        ),
    ),
    ActivitySpec(
        "traning-kvinnor",
        "sisu",
        "Träning för kvinnor",
        "sport",
        "adults",
        f"{SKOLAN}, gymnastiksalen",
        6,
        _t("11:00"),
        _t("12:30"),
        "Cirkelträning och stretch för kvinnor i alla åldrar, med barnpassning i rummet intill.",
        ("leda passet", "visa övningar", "välkomna nya"),
        (
            NeedSpec("ledare", 1, ("facilitate_physical_activity",), min_age=18, priority=2),
            NeedSpec("språkstöd arabiska", 1, languages=("ar",), develops=("show_intercultural_awareness",)),
        ),
    ),
    ActivitySpec(
        "laxhjalp-mellan",
        "abf",
        "Läxhjälp mellanstadiet",
        "study_circle",
        "children",
        f"{SKOLAN}, biblioteket",
        1,
        _t("17:00"),
        _t("18:30"),
        "Läxhjälp för elever i årskurs 4–6 med mellanmål.",
        ("hjälpa med läxor", "läsa tillsammans", "förklara på flera språk"),
        (
            NeedSpec(
                "läxhjälpare",
                3,
                ("assist_children_homework",),
                min_age=16,
                priority=3,
                develops=("tutor_students", "adapt_teaching_target_group"),
            ),
            NeedSpec("språkstöd arabiska", 1, languages=("ar",), min_age=16, priority=2),
        ),
    ),
    ActivitySpec(
        "laxhjalp-hog",
        "abf",
        "Läxhjälp högstadiet",
        "study_circle",
        "youth",
        AKTIVITETSHUS,
        3,
        _t("17:00"),
        _t("19:00"),
        "Läxhjälp i matte, svenska och NO för årskurs 7–9.",
        ("hjälpa med matte och NO", "plugga inför prov", "coacha studieteknik"),
        (
            NeedSpec(
                "läxhjälpare",
                3,
                ("tutor_students",),
                min_age=18,
                priority=3,
                develops=("adapt_teaching_target_group", "mentor_individuals"),
            ),
            NeedSpec("språkstöd somaliska", 1, languages=("so",), min_age=16, priority=2),
        ),
    ),
    ActivitySpec(
        "svenska-nyanlanda",
        "abf",
        "Svenska för nyanlända",
        "study_circle",
        "adults",
        AKTIVITETSHUS,
        0,
        _t("18:00"),
        _t("19:30"),
        "Studiecirkel i vardagssvenska för dig som är ny i Sverige.",
        ("leda samtal", "öva uttal", "förbereda material"),
        (
            NeedSpec(
                "cirkelledare",
                1,
                ("speak_swedish", "moderate_discussion"),
                min_age=18,
                priority=3,
                develops=("adapt_teaching_target_group",),
            ),
            NeedSpec("samtalsstöd", 2, ("speak_swedish",), priority=2, develops=("show_intercultural_awareness",)),
            NeedSpec("språkstöd dari", 1, languages=("prs",)),
        ),
    ),
    ActivitySpec(
        "sprakcafe",
        "abf",
        "Språkcafé",
        "study_circle",
        "mixed",
        f"{AKTIVITETSHUS}, caféet",
        2,
        _t("18:00"),
        _t("19:30"),
        "Prata svenska över en fika, alla nivåer välkomna.",
        ("leda samtal vid borden", "koka kaffe", "välkomna nya"),
        (
            NeedSpec(
                "samtalsledare",
                2,
                ("speak_swedish",),
                min_age=16,
                priority=2,
                develops=("moderate_discussion", "show_intercultural_awareness"),
            ),
            NeedSpec("fikavärd", 1, develops=("greet_guests",)),
        ),
    ),
    ActivitySpec(
        "datahjalp",
        "abf",
        "Datahjälp för seniorer",
        "other",
        "seniors",
        AKTIVITETSHUS,
        3,
        _t("15:30"),
        _t("17:00"),
        "Hjälp med mobil, surfplatta, BankID och 1177.",
        ("visa appar", "hjälpa med BankID", "svara på frågor med tålamod"),
        (
            NeedSpec(
                "digital fadder",
                3,
                ("computer_literacy",),
                priority=2,
                develops=("communicate_with_elderly_groups", "adapt_teaching_target_group"),
            ),
        ),
    ),
    ActivitySpec(
        "teater",
        "abf",
        "Teater för unga",
        "culture",
        "youth",
        f"{AKTIVITETSHUS}, scenen",
        2,
        _t("17:30"),
        _t("19:30"),
        "Improvisation och en egen föreställning till våren.",
        ("leda övningar", "hjälpa med kulisser", "skriva manus tillsammans"),
        (
            NeedSpec("teaterledare", 1, ("develop_cultural_activities",), min_age=18, priority=3),
            NeedSpec("assistent", 1, min_age=16, develops=("coordinate_community_arts",)),
        ),
    ),
    ActivitySpec(
        "sagostund",
        "abf",
        "Sagostund på flera språk",
        "culture",
        "children",
        f"{AKTIVITETSHUS}, barnhörnan",
        5,
        _t("11:00"),
        _t("12:00"),
        "Högläsning för barn 3–8 år och deras föräldrar, på svenska, arabiska och somaliska.",
        ("läsa högt", "välja böcker", "prata med föräldrar"),
        (
            NeedSpec(
                "sagoläsare", 1, languages=("sv",), min_age=16, priority=2, develops=("adapt_teaching_target_group",)
            ),
            NeedSpec("sagoläsare arabiska", 1, languages=("ar",), min_age=16),
            NeedSpec(
                "sagoläsare somaliska", 1, languages=("so",), min_age=16, develops=("communicate_with_local_residents",)
            ),
        ),
    ),
    ActivitySpec(
        "stickcafe",
        "hgf",
        "Stickcafé",
        "culture",
        "seniors",
        HGF_LOKAL,
        3,
        _t("13:00"),
        _t("15:00"),
        "Stickning, virkning och prat. Garn finns.",
        ("visa tekniker", "koka kaffe", "ta emot nya"),
        (
            NeedSpec("cirkelledare", 1, ("develop_craft_activities",), priority=2),
            NeedSpec("fikavärd", 1, develops=("greet_guests",)),
        ),
    ),
    ActivitySpec(
        "fritidsgard",
        "stad",
        "Öppen fritidsgård",
        "other",
        "youth",
        FRITIDSGARD,
        4,
        _t("18:00"),
        _t("22:00"),
        "Fredagsöppet för unga 13–17 år: spel, musik, pingis.",
        ("finnas som vuxen", "hålla i turneringar", "sköta kiosken"),
        (
            NeedSpec(
                "fritidsvärd",
                3,
                ("communicate_with_youth",),
                min_age=18,
                priority=3,
                develops=("resolve_conflicts", "safeguarding_young_people"),
            ),
            NeedSpec("kioskvärd", 1, min_age=16, develops=("greet_guests",)),
        ),
    ),
    ActivitySpec(
        "dans",
        "stad",
        "Dans",
        "culture",
        "youth",
        f"{AKTIVITETSHUS}, danssalen",
        0,
        _t("17:00"),
        _t("18:30"),
        "Streetdance och afrodans för unga 10–16 år.",
        ("leda dansen", "välja musik", "hålla ihop gruppen"),
        (
            NeedSpec("dansledare", 1, ("develop_cultural_activities",), min_age=16, priority=3),
            NeedSpec("assistent", 1, min_age=16, develops=("plan_youth_activities",)),
        ),
    ),
    ActivitySpec(
        "musikstudio",
        "stad",
        "Musikstudio",
        "culture",
        "youth",
        FRITIDSGARD,
        2,
        _t("18:00"),
        _t("20:00"),
        "Spela in egen musik och poddar i fritidsgårdens studio.",
        ("visa utrustningen", "hjälpa med inspelning"),
        (
            NeedSpec("studioledare", 1, ("develop_digital_content",), min_age=18, priority=2),
            NeedSpec("värd", 1, ("communicate_with_youth",), min_age=18),
        ),
    ),
    ActivitySpec(
        "kreativ-verkstad",
        "stad",
        "Kreativ verkstad",
        "workshop",
        "children",
        FRITIDSGARD,
        2,
        _t("15:30"),
        _t("17:00"),
        "Pyssel, måleri och återbruk för barn 6–12 år.",
        ("förbereda material", "leda pysslet", "städa undan"),
        (
            NeedSpec("verkstadsledare", 1, ("develop_craft_activities",), min_age=18, priority=3),
            NeedSpec("hjälpledare", 2, min_age=16, develops=("supervise_children", "plan_workshop_activity")),
        ),
    ),
    ActivitySpec(
        "lordagshallen",
        "stad",
        "Lördagsöppet i Pettersbergshallen",
        "sport",
        "mixed",
        HALLEN,
        5,
        _t("14:00"),
        _t("17:00"),
        "Öppen hall för familjer: badminton, pingis och bollspel.",
        ("låna ut utrustning", "starta spel", "hålla ordning"),
        (
            NeedSpec("hallvärd", 2, min_age=18, priority=2, develops=("resolve_conflicts",)),
            NeedSpec("aktivitetsledare", 1, ("facilitate_physical_activity",), min_age=16, priority=2),
        ),
    ),
    ActivitySpec(
        "seniorfika",
        "hgf",
        "Seniorfika",
        "other",
        "seniors",
        HGF_LOKAL,
        2,
        _t("14:00"),
        _t("16:00"),
        "Fika, bingo och samtal för äldre grannar.",
        ("baka och duka", "servera", "prata med gästerna"),
        (
            NeedSpec(
                "fikavärd",
                2,
                ("comply_food_safety_hygiene",),
                priority=2,
                develops=("greet_guests", "communicate_with_elderly_groups"),
            ),
            NeedSpec("värd", 1, ("communicate_with_elderly_groups",)),
        ),
    ),
    ActivitySpec(
        "cykelverkstad",
        "hgf",
        "Cykelverkstad",
        "workshop",
        "mixed",
        "Cykelrummet, Pettersbergsgatan",
        5,
        _t("12:00"),
        _t("15:00"),
        "Laga din cykel själv med hjälp: verktyg och reservdelar finns.",
        ("visa hur man lagar punktering", "justera bromsar", "hålla ordning på verktygen"),
        (
            NeedSpec(
                "cykelmekaniker", 2, min_age=16, priority=2, develops=("plan_workshop_activity", "show_initiative")
            ),
            NeedSpec("värd", 1, ("greet_guests",), develops=("communicate_with_tenants",)),
        ),
    ),
    ActivitySpec(
        "nattvandring",
        "hgf",
        "Nattvandring",
        "other",
        "youth",
        f"Samling i {HGF_LOKAL}",
        4,
        _t("21:00"),
        _t("23:30"),
        "Vuxna vandrar i området på fredagskvällar och finns till för unga.",
        ("gå i par", "prata med unga", "rapportera till samordnaren"),
        (
            NeedSpec(
                "nattvandrare",
                4,
                min_age=18,
                priority=3,
                develops=("communicate_with_local_residents", "resolve_conflicts"),
            ),
        ),
    ),
    ActivitySpec(
        "laga-mat",
        "hgf",
        "Laga mat tillsammans",
        "workshop",
        "mixed",
        f"{AKTIVITETSHUS}, köket",
        6,
        _t("15:00"),
        _t("18:00"),
        "Grannar lagar mat från olika länder och äter tillsammans.",
        ("planera menyn", "handla", "laga mat", "diska"),
        (
            NeedSpec(
                "kock", 2, ("comply_food_safety_hygiene",), min_age=16, priority=2, develops=("use_cooking_techniques",)
            ),
            NeedSpec("värd", 1, ("greet_guests",), min_age=16),
        ),
    ),
    ActivitySpec(
        "foraldracafe",
        "hgf",
        "Föräldracafé",
        "other",
        "adults",
        HGF_LOKAL,
        1,
        _t("09:30"),
        _t("11:30"),
        "Träffpunkt för föräldrar med små barn: samtal om skola, fritid och boende.",
        ("ta emot föräldrar", "bjuda in gäster", "tolka vid behov"),
        (
            NeedSpec("värd", 1, priority=2, develops=("communicate_with_tenants", "listen_actively")),
            NeedSpec("språkstöd tigrinja", 1, languages=("ti",)),
        ),
    ),
)

TRAININGS: dict[str, tuple[str, str]] = {
    "abf": ("ABF cirkelledarutbildning", "ABF Västerås"),
    "hlr": ("Första hjälpen (HLR)", "RF-SISU Västmanland"),
    "sisu": ("SISU ledarutbildning", "RF-SISU Västmanland"),
}

ENDORSEMENT_NOTES = (
    "Tålmodig och tydlig med deltagarna.",
    "Tog eget ansvar för en grupp.",
    "Alltid i tid och väl förberedd.",
    "Förklarade på flera språk när det behövdes.",
    "Skapade lugn och trygghet i gruppen.",
    "Tog initiativ till nya övningar.",
    "",
)

# Swedish school and Christmas holidays: sessions in these periods are cancelled.
HOLIDAY_NOTE = "Juluppehåll"


def is_holiday(day: dt.date) -> bool:
    """The Christmas break, 23 December to 6 January."""
    return (day.month == 12 and day.day >= 23) or (day.month == 1 and day.day <= 6)
