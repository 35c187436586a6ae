"""The demo's certificate wording in English: activity and training names, roles, tasks done.

A partnership gives these in its activities' and needs' forms (migration 0006_cert16);
the demo fills them so that an English certificate of the demo reads in English. Roles
and tasks come from the service's starter vocabulary (volunteers.certify.wording), which
the demo's phrases were written from; the Swedish task wording is its past tense.
"""

from __future__ import annotations

from volunteers.certify.wording import ROLES, TASKS

ACTIVITY_NAMES_EN: dict[str, str] = {
    "fotboll-u12": "Football, under 12",
    "fotboll-u9": "Football, under 9",
    "tjejfotboll": "Girls' football, 13–16",
    "basket": "Basketball",
    "innebandy": "Floorball for children",
    "stavgang": "Nordic walking for older people",
    "traning-kvinnor": "Exercise for women",
    "laxhjalp-mellan": "Homework help, years 4–6",
    "laxhjalp-hog": "Homework help, years 7–9",
    "svenska-nyanlanda": "Swedish for newcomers",
    "sprakcafe": "Language café",
    "datahjalp": "Computer help for older people",
    "teater": "Theatre for young people",
    "sagostund": "Story time in several languages",
    "stickcafe": "Knitting café",
    "fritidsgard": "Open youth centre",
    "dans": "Dance",
    "musikstudio": "Music studio",
    "kreativ-verkstad": "Creative workshop",
    "lordagshallen": "Saturday opening at Pettersbergshallen",
    "seniorfika": "Coffee afternoon for older people",
    "cykelverkstad": "Bicycle workshop",
    "nattvandring": "Night walking",
    "laga-mat": "Cooking together",
    "foraldracafe": "Parents' café",
}
TRAINING_NAMES_EN: dict[str, str] = {
    "ABF cirkelledarutbildning": "ABF study circle leader course",
    "Första hjälpen (HLR)": "First aid (CPR)",
    "SISU ledarutbildning": "SISU leader course",
}


def activity_name_en(key: str, name: str, spec_name: str) -> str:
    """The English name of a demo activity; extra groups ("…, grupp 2") are numbered as in Swedish."""
    english = ACTIVITY_NAMES_EN.get(key, "")
    if not english:
        return ""
    return english + name[len(spec_name) :].replace(", grupp ", ", group ")


def role_names(role: str) -> tuple[str, str]:
    """(Swedish, English) certificate names of a demo role."""
    key = " ".join(role.split()).casefold()
    return role[:1].upper() + role[1:], ROLES.get(key, "")


def tasks_done(tasks: tuple[str, ...]) -> list[dict[str, str]]:
    """The past-tense wording of a demo activity's tasks, as Activity.tasks_done stores it."""
    out = []
    for task in tasks:
        known = TASKS.get(task)
        if known is not None:
            out.append({"task": task, "sv": known[0], "en": known[1]})
    return out
