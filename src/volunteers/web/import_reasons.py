"""The CSV import's reasons, marked for the catalogues, and said in the page's language.

The English sentences are the service's (imports/reasons.py); a test checks the two lists agree.
"""

from __future__ import annotations

from volunteers.imports.common import Problem
from volunteers.web.i18n import N_, gettext

REASONS: dict[str, str] = {
    "file_too_large": N_("larger than %(limit)s bytes"),
    "not_csv": N_("not CSV: %(error)s"),
    "missing_column": N_("missing column"),
    "unknown_column": N_("unknown column; the columns are %(columns)s"),
    "too_many_rows": N_("more than %(limit)s rows; split the file"),
    "too_many_values": N_("more values than columns"),
    "required": N_("required"),
    "too_long": N_("at most %(limit)s characters"),
    "not_email": N_("'%(value)s' is not an e-mail address"),
    "same_email": N_("the same address as line %(other)s"),
    "account_exists": N_("an account with this address exists; invite them instead"),
    "bad_phone": N_("digits, spaces, +, - and () only, 5 to 40 characters"),
    "not_date": N_("'%(value)s' is not a date (YYYY-MM-DD)"),
    "impossible_birth_date": N_("not a possible birth date"),
    "under_16": N_("under 16: a guardian must consent, so they register through the form"),
    "unknown_language": N_("'%(value)s' is not a language code the service knows (%(known)s)"),
    "unknown_skill": N_("'%(value)s' is not in the skills catalogue (ESCO URI, Swedish or English name)"),
    "unknown_partner": N_("'%(value)s' is not a partner of the partnership (its name or slug)"),
    "name_length": N_("1 to 200 characters"),
    "one_of": N_("one of %(choices)s"),
    "bad_weekday": N_("1-7 (Monday = 1) or mon..sun / mån..sön"),
    "not_time": N_("'%(value)s' is not a time (HH:MM)"),
    "end_before_start": N_("must be after start_time"),
    "last_before_first": N_("must not be before first_date"),
    "too_many_sessions": N_("a series has at most %(limit)s sessions"),
    "no_such_weekday": N_("no date in the range falls on that weekday"),
    "count_range": N_("a whole number from 1 to 50"),
    "min_age_range": N_("a whole number from 13 to 100"),
    "role_required": N_("required when count, skills, languages or min_age is given"),
    "activity_exists": N_("the partner already has an activity of this name"),
    "differs_from_line": N_("differs from line %(other)s for the same activity"),
    "role_twice": N_("'%(value)s' is given twice for this activity with different needs"),
}


def translated(language: str, problem: Problem) -> str:
    """The problem's reason in the page's language; the service's English if its code is unknown here."""
    template = REASONS.get(problem.code)
    if template is None:
        return problem.reason
    return gettext(language, template, **problem.params) if problem.params else gettext(language, template)
