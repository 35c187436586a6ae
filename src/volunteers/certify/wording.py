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


# A starter vocabulary for roles and tasks, used only where the partnership has not given
# a role's or a task's certificate wording itself (StaffingNeed.role_sv/role_en and
# Activity.tasks_done, edited with the activity's needs and tasks). Activities and needs
# are written by leaders in Swedish, tasks in the infinitive ("hjälpa med läxor"); a
# certificate says what the volunteer did: a role capitalised, a task in the past tense,
# both in the certificate's language. The order of preference is in `role_wording` and
# `task_wording`.
ROLES: dict[str, str] = {
    "aktivitetsledare": "Activity leader",
    "assistent": "Assistant",
    "cirkelledare": "Study circle leader",
    "cykelmekaniker": "Bicycle mechanic",
    "dansledare": "Dance leader",
    "digital fadder": "Digital mentor",
    "fikavärd": "Coffee host",
    "fritidsvärd": "Youth centre host",
    "hallvärd": "Sports hall host",
    "hjälpledare": "Assistant leader",
    "hjälptränare": "Assistant coach",
    "kioskvärd": "Kiosk host",
    "kock": "Cook",
    "ledare": "Leader",
    "läxhjälpare": "Homework helper",
    "nattvandrare": "Night walker",
    "sagoläsare": "Storyteller",
    "sagoläsare arabiska": "Storyteller in Arabic",
    "sagoläsare somaliska": "Storyteller in Somali",
    "samtalsledare": "Conversation leader",
    "samtalsstöd": "Conversation partner",
    "språkstöd arabiska": "Language support in Arabic",
    "språkstöd dari": "Language support in Dari",
    "språkstöd somaliska": "Language support in Somali",
    "språkstöd tigrinja": "Language support in Tigrinya",
    "studioledare": "Studio leader",
    "teaterledare": "Theatre leader",
    "tränare": "Coach",
    "verkstadsledare": "Workshop leader",
    "värd": "Host",
}
TASKS: dict[str, tuple[str, str]] = {
    "baka och duka": ("Bakade och dukade", "Baked and laid the tables"),
    "bjuda in gäster": ("Bjöd in gäster", "Invited guests"),
    "coacha studieteknik": ("Coachade i studieteknik", "Coached study skills"),
    "dela ut klubbor": ("Delade ut klubbor", "Handed out sticks"),
    "diska": ("Diskade", "Washed up"),
    "döma matcher": ("Dömde matcher", "Refereed matches"),
    "finnas som vuxen": ("Fanns till hands som vuxen", "Was there as a trusted adult"),
    "förbereda material": ("Förberedde material", "Prepared materials"),
    "förklara på flera språk": ("Förklarade på flera språk", "Explained things in several languages"),
    "gå i par": ("Gick i par", "Walked in pairs"),
    "ha koll på första hjälpen-väskan": ("Hade ansvar för första hjälpen-väskan", "Looked after the first-aid kit"),
    "handla": ("Handlade", "Did the shopping"),
    "hjälpa med BankID": ("Hjälpte till med BankID", "Helped people with BankID"),
    "hjälpa med inspelning": ("Hjälpte till med inspelning", "Helped with recording"),
    "hjälpa med kulisser": ("Hjälpte till med kulisser", "Helped with the scenery"),
    "hjälpa med läxor": ("Hjälpte till med läxor", "Helped with homework"),
    "hjälpa med matte och NO": ("Hjälpte till med matte och NO", "Helped with maths and science"),
    "hålla i turneringar": ("Höll i turneringar", "Ran tournaments"),
    "hålla i övningar": ("Höll i övningar", "Ran drills"),
    "hålla ihop gruppen": ("Höll ihop gruppen", "Kept the group together"),
    "hålla ordning": ("Höll ordning", "Kept order"),
    "hålla ordning i hallen": ("Höll ordning i hallen", "Kept order in the sports hall"),
    "hålla ordning på verktygen": ("Höll ordning på verktygen", "Kept track of the tools"),
    "justera bromsar": ("Justerade bromsar", "Adjusted brakes"),
    "koka kaffe": ("Kokade kaffe", "Made coffee"),
    "laga mat": ("Lagade mat", "Cooked"),
    "leda dansen": ("Ledde dansen", "Led the dancing"),
    "leda lekar": ("Ledde lekar", "Led games"),
    "leda passet": ("Ledde passet", "Led the session"),
    "leda promenaden": ("Ledde promenaden", "Led the walk"),
    "leda pysslet": ("Ledde pysslet", "Led the crafts"),
    "leda samtal": ("Ledde samtal", "Led conversations"),
    "leda samtal vid borden": ("Ledde samtal vid borden", "Led conversations at the tables"),
    "leda träning": ("Ledde träning", "Led training"),
    "leda uppvärmning": ("Ledde uppvärmning", "Led warm-ups"),
    "leda övningar": ("Ledde övningar", "Led exercises"),
    "läsa högt": ("Läste högt", "Read aloud"),
    "läsa tillsammans": ("Läste tillsammans med deltagarna", "Read together with the participants"),
    "låna ut utrustning": ("Lånade ut utrustning", "Lent out equipment"),
    "låsa upp och stänga": ("Låste upp och stängde", "Opened and closed the premises"),
    "peppa och lyssna": ("Peppade och lyssnade", "Encouraged and listened"),
    "planera matcher": ("Planerade matcher", "Planned matches"),
    "planera menyn": ("Planerade menyn", "Planned the menu"),
    "plocka fram och undan material": ("Plockade fram och undan material", "Set out and put away equipment"),
    "plugga inför prov": ("Pluggade inför prov med eleverna", "Helped pupils revise for tests"),
    "prata med föräldrar": ("Pratade med föräldrar", "Talked with parents"),
    "prata med gästerna": ("Pratade med gästerna", "Talked with the guests"),
    "prata med unga": ("Pratade med unga", "Talked with young people"),
    "rapportera till samordnaren": ("Rapporterade till samordnaren", "Reported to the coordinator"),
    "servera": ("Serverade", "Served food"),
    "skriva manus tillsammans": ("Skrev manus tillsammans med deltagarna", "Wrote scripts with the participants"),
    "sköta kiosken": ("Skötte kiosken", "Ran the kiosk"),
    "starta spel": ("Startade spel", "Started games"),
    "städa undan": ("Städade undan", "Tidied up"),
    "svara på frågor med tålamod": ("Svarade på frågor med tålamod", "Answered questions patiently"),
    "ta emot föräldrar": ("Tog emot föräldrar", "Welcomed parents"),
    "ta emot nya": ("Tog emot nya deltagare", "Welcomed newcomers"),
    "tolka vid behov": ("Tolkade vid behov", "Interpreted when needed"),
    "visa appar": ("Visade appar", "Showed people how to use apps"),
    "visa hur man lagar punktering": ("Visade hur man lagar punktering", "Showed how to mend a puncture"),
    "visa tekniker": ("Visade tekniker", "Demonstrated techniques"),
    "visa utrustningen": ("Visade utrustningen", "Showed how to use the equipment"),
    "visa övningar": ("Visade övningar", "Demonstrated exercises"),
    "välja böcker": ("Valde böcker", "Chose books"),
    "välja musik": ("Valde musik", "Chose music"),
    "välkomna nya": ("Välkomnade nya", "Welcomed newcomers"),
    "öva uttal": ("Övade uttal med deltagarna", "Practised pronunciation with the participants"),
}


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _plain(text: str) -> str:
    return " ".join(text.split())


def name_wording(given: str, language: Language, sv: str = "", en: str = "") -> str:
    """An activity's or a training's name in `language` where one is given, else as written."""
    named = _plain(sv if language == "sv" else en)
    return named or _plain(given)


def role_wording(role: str, language: Language, sv: str = "", en: str = "") -> str:
    """A role as a certificate states it, in the certificate's language.

    The partnership's own wording in that language (`sv`, `en`) first; then the starter
    vocabulary; then the role as written, capitalised.
    """
    named = _plain(sv if language == "sv" else en)
    if named:
        return _capitalised(named)
    key = _plain(role).casefold()
    if language == "en" and key in ROLES:
        return ROLES[key]
    return _capitalised(_plain(role))


def task_wording(task: str, language: Language, done: dict[str, str] | None = None) -> str:
    """A task as something the volunteer did, in the past tense and the certificate's language.

    The activity's own past-tense wording in that language (`done`, from
    Activity.tasks_done) first; then the starter vocabulary; on an English page, then the
    Swedish past tense given (a deed is better than an instruction); last the task as
    written, capitalised.
    """
    done = done or {}
    key = _plain(task)
    known = TASKS.get(key) or TASKS.get(key.casefold())
    choices = [done.get(language, "")]
    if known is not None:
        choices.append(known[0] if language == "sv" else known[1])
    if language == "en":
        choices.append(done.get("sv", ""))
    for choice in choices:
        if _plain(choice):
            return _capitalised(_plain(choice))
    return _capitalised(key)


def tasks_done_by_task(tasks_done: list[dict[str, str]] | None) -> dict[str, dict[str, str]]:
    """Activity.tasks_done as {task: {"sv": ..., "en": ...}}, keyed by the task as written."""
    out: dict[str, dict[str, str]] = {}
    for entry in tasks_done or []:
        if isinstance(entry, dict) and entry.get("task"):
            out[_plain(str(entry["task"]))] = {k: str(entry.get(k, "")) for k in ("sv", "en")}
    return out
