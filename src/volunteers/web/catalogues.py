"""Keep the page catalogues in step with the templates and code.

    python -m volunteers.web.catalogues          # add new messages, drop unused ones

English messages get their id as a first translation; Swedish ones are left empty for a
person to translate, and the translation test fails until they are.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from volunteers.web.i18n import DOMAIN, LANGUAGES, po_path

WEB_DIR = Path(__file__).parent
METHOD_MAP = [("**.py", "python"), ("templates/**.html", "jinja2")]
OPTIONS = {
    "templates/**.html": {"extensions": "jinja2.ext.i18n", "trimmed": "true", "newstyle_gettext": "true"},
}
KEYWORDS = {
    "_": None,
    "N_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
}


def extract_messages() -> Catalog:
    """Every message the templates and the web code use."""
    catalogue = Catalog(domain=DOMAIN, project="Samverka")
    for filename, lineno, message, comments, context in extract_from_dir(
        WEB_DIR, METHOD_MAP, OPTIONS, keywords=KEYWORDS, comment_tags=("Translators:",), strip_comment_tags=True
    ):
        if filename.startswith("catalogues.py"):
            continue
        catalogue.add(message, locations=[(filename, lineno)], auto_comments=comments, context=context)
    return catalogue


def _translated(string: str | tuple[str, ...] | list[str] | None) -> bool:
    return bool(string) and (not isinstance(string, tuple) or all(string))


def update(language: str, template: Catalog) -> tuple[int, int]:
    """Merge the extracted messages into a language's catalogue; (added, untranslated)."""
    path = po_path(language)
    with path.open("rb") as f:
        catalogue = read_po(f, locale=language, domain=DOMAIN)
    before = {m.id for m in catalogue if m.id}
    created = catalogue.creation_date
    catalogue.update(template, no_fuzzy_matching=True)
    catalogue.creation_date = created  # so an unchanged catalogue stays byte for byte the same
    catalogue.fuzzy = False
    catalogue.project, catalogue.version = "Samverka", "0.1"
    catalogue.copyright_holder = "the Samverka contributors"
    catalogue.msgid_bugs_address = catalogue.last_translator = "Samverka <samverka@localhost>"
    catalogue.language_team = f"{language} <samverka@localhost>"
    catalogue.obsolete.clear()
    added = 0
    untranslated = 0
    for message in catalogue:
        if not message.id:
            continue
        if message.id not in before:
            added += 1
        if language == "en" and not _translated(message.string):
            message.string = message.id
        if not _translated(message.string):
            untranslated += 1
    with path.open("wb") as f:
        write_po(f, catalogue, width=100, omit_header=False, sort_output=True, include_lineno=False)
    return added, untranslated


def main() -> int:
    template = extract_messages()
    for language in LANGUAGES:
        added, untranslated = update(language, template)
        print(f"{language}: {added} new, {untranslated} untranslated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
