"""Fixed choices the forms offer."""

from __future__ import annotations

from volunteers.web.i18n import N_

# Languages offered on forms (ISO 639), their names come from CLDR in the UI language:
# the languages most spoken in the area first, then others common in Västerås.
LANGUAGE_CHOICES = [
    "sv",
    "en",
    "ar",
    "so",
    "ti",
    "fa",
    "ps",
    "ku",
    "fi",
    "bs",
    "sq",
    "pl",
    "es",
    "de",
    "fr",
    "tr",
    "uk",
    "ru",
    "am",
]

ACTIVITY_KINDS = {
    "sport": N_("Sport"),
    "study_circle": N_("Study circle"),
    "workshop": N_("Workshop"),
    "culture": N_("Culture"),
    "other": N_("Other"),
}
TARGET_GROUPS = {
    "children": N_("Children"),
    "youth": N_("Young people"),
    "adults": N_("Adults"),
    "seniors": N_("Seniors"),
    "mixed": N_("All ages"),
}
EXCEPTION_KINDS = {
    "away": N_("Away"),
    "available": N_("Extra time free"),
}
SESSION_STATUSES = {
    "scheduled": N_("Scheduled"),
    "cancelled": N_("Cancelled"),
}
