"""Why a volunteer may not take a place, in their words, and what would change it.

The reasons come from the matcher (`why_not`) or the rules (`breaches_of_new_hold`) as a
code and its numbers; only the wording is decided here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from volunteers.web.i18n import N_, gettext, language_names_in_text

WORDS = {
    "missing_skill": N_("needs %(skills)s"),
    "missing_language": N_("needs someone who speaks %(languages)s"),
    "no_valid_check": N_("needs a background-check extract for work with children"),
    "minor_hours_16": N_("under 16 after 20:00"),
    "minor_hours_18": N_("under 18 after 22:00"),
    "too_young": N_("needs someone aged %(min_age)s or older"),
    "unknown_age": N_("needs your birth date on record (ask the coordinator)"),
    "under_min_volunteer_age": N_("volunteers must be 13 or older"),
    "not_available": N_("outside the times you said you are free"),
    "excluded": N_("the leader has asked for someone else"),
    "role_full": N_("all places are taken"),
    "already_in_shift": N_("you already have a place on this session"),
    "overlapping_shift": N_("you already have a session at the same time"),
    "weekly_cap": N_("more than your limit of hours a week"),
    "session_closed": N_("the session is cancelled or over"),
    "role_removed": N_("the session no longer needs this role"),
    "volunteer_inactive": N_("your account cannot take places now"),
    "guardian_consent": N_("under 16: your guardian's consent must be on record (ask the coordinator)"),
    "other": N_("a rule stands in the way"),
}
FIXES = {
    "no_valid_check": (N_("how to get one"), "/profile#background-check"),
    "missing_skill": (N_("add the skill to your profile if you have it"), "/profile"),
    "missing_language": (N_("add the language to your profile if you speak it"), "/profile"),
    "not_available": (N_("change when you are free"), "/availability"),
    "weekly_cap": (N_("raise your weekly limit"), "/profile"),
    "role_full": (N_("join the waiting list below"), ""),
    "guardian_consent": (N_("what your guardian does to give it"), "/profile#guardian-consent"),
}


@dataclass(frozen=True)
class Words:
    code: str
    text: str
    fix: str
    fix_url: str


def words(lang: str, code: str, params: Mapping[str, Any], skill_labels: Mapping[str, str]) -> Words:
    """One reason in the volunteer's language, with what would change it."""
    key = "role_full" if code == "role_overfilled" else code
    values: dict[str, Any] = {}
    if key == "minor_hours":
        key = "minor_hours_16" if int(params.get("age", 0) or 0) < 16 else "minor_hours_18"
    elif key == "missing_skill":
        codes = [c.strip() for c in str(params.get("skills", "")).split(",") if c.strip()]
        # Mid-sentence: "needs first aid", "kräver ge första hjälpen" (catalogue labels may start upper-case).
        labels = [skill_labels.get(c, c) for c in codes]
        values["skills"] = ", ".join(x[:1].lower() + x[1:] for x in labels) or gettext(lang, N_("a skill"))
    elif key == "missing_language":
        values["languages"] = language_names_in_text(lang, str(params.get("languages", "")))
    elif key == "too_young":
        values["min_age"] = params.get("min_age", "")
    if key not in WORDS:
        key = "other"
    text = gettext(lang, WORDS[key], **values)
    base = "role_full" if key == "role_full" else code
    fix, url = FIXES.get(base, ("", ""))
    return Words(code, text, gettext(lang, fix) if fix else "", url)
