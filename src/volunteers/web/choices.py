"""Fixed choices the forms offer."""

from __future__ import annotations

from volunteers.languages import KNOWN_LANGUAGES
from volunteers.web.i18n import N_

# Languages offered on forms (ISO 639), the same list the CSV import accepts;
# their names come from CLDR in the UI language.
LANGUAGE_CHOICES = list(KNOWN_LANGUAGES)

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
ASSIGNMENT_STATUSES = {
    "proposed": N_("Proposed"),
    "accepted": N_("Accepted"),
    "declined": N_("Declined"),
    "confirmed": N_("Confirmed"),
    "completed": N_("Worked"),
    "no_show": N_("Did not come"),
    "cancelled": N_("Cancelled"),
}
RUN_STATUSES = {
    "queued": N_("Waiting to start"),
    "running": N_("Running"),
    "done": N_("Done – ready to review"),
    "failed": N_("Failed"),
    "published": N_("Published"),
}
CERTIFICATE_STATUSES = {
    "valid": N_("Valid"),
    "revoked": N_("Revoked"),
    "withdrawn": N_("Withdrawn"),
}
