"""Why a CSV cell is wrong: a stable code, its English sentence, and the values it names.

The API and the CLI give the English sentence as `reason`; the pages translate by `code`
(web/import_reasons.py marks the same sentences for the gettext catalogues, and a test
keeps the two lists the same). Placeholders are %(name)s, as the catalogues use.
"""

from __future__ import annotations

REASONS: dict[str, str] = {
    "file_too_large": "larger than %(limit)s bytes",
    "not_csv": "not CSV: %(error)s",
    "missing_column": "missing column",
    "unknown_column": "unknown column; the columns are %(columns)s",
    "too_many_rows": "more than %(limit)s rows; split the file",
    "too_many_values": "more values than columns",
    "required": "required",
    "too_long": "at most %(limit)s characters",
    "not_email": "'%(value)s' is not an e-mail address",
    "same_email": "the same address as line %(other)s",
    "account_exists": "an account with this address exists; invite them instead",
    "bad_phone": "digits, spaces, +, - and () only, 5 to 40 characters",
    "not_date": "'%(value)s' is not a date (YYYY-MM-DD)",
    "impossible_birth_date": "not a possible birth date",
    "under_16": "under 16: a guardian must consent, so they register through the form",
    "unknown_language": "'%(value)s' is not a language code the service knows (%(known)s)",
    "unknown_skill": "'%(value)s' is not in the skills catalogue (ESCO URI, Swedish or English name)",
    "unknown_partner": "'%(value)s' is not a partner of the partnership (its name or slug)",
    "name_length": "1 to 200 characters",
    "one_of": "one of %(choices)s",
    "bad_weekday": "1-7 (Monday = 1) or mon..sun / mån..sön",
    "not_time": "'%(value)s' is not a time (HH:MM)",
    "end_before_start": "must be after start_time",
    "last_before_first": "must not be before first_date",
    "too_many_sessions": "a series has at most %(limit)s sessions",
    "no_such_weekday": "no date in the range falls on that weekday",
    "count_range": "a whole number from 1 to 50",
    "min_age_range": "a whole number from 13 to 100",
    "role_required": "required when count, skills, languages or min_age is given",
    "activity_exists": "the partner already has an activity of this name",
    "differs_from_line": "differs from line %(other)s for the same activity",
    "role_twice": "'%(value)s' is given twice for this activity with different needs",
}


def sentence(template: str, params: dict[str, str]) -> str:
    """A reason's template with its values filled in."""
    return template % params if params else template
