"""The import page says each problem in the page's language, by the problem's code, never the service's English."""

from __future__ import annotations

import html
import re

from service_support import World
from volunteers.imports.reasons import REASONS as SERVICE_REASONS
from volunteers.web.import_reasons import REASONS as PAGE_REASONS

BAD = (
    "first_name,last_name,email,birth_date,languages,skills\n"
    "Ida,Import,not-an-address,1990-01-01,sv,\n"
    "Bo,Import,bo@import.example.se,1990-02-30,,\n"
    "Cy,Import,cy@import.example.se,1990-01-01,,jonglera\n"
    "Di,Import,di@import.example.se,1990-01-01,xx,\n"
)


def problems(page: str) -> dict[tuple[str, str], str]:
    rows = re.findall(r"<tr><td>(\d+)</td><td>([a-z_]+)</td><td>(.*?)</td></tr>", page)
    return {(line, column): html.unescape(reason) for line, column, reason in rows}


def dry_run(visitor, language: str):
    v = visitor("coordinator", language=language)
    return v.post(
        "/import",
        {"kind": "volunteers", "action": "check"},
        files={"file": ("v.csv", BAD.encode(), "text/csv")},
    )


def test_a_dry_run_in_swedish_says_every_reason_in_swedish(visitor, world: World):
    r = dry_run(visitor, "sv")
    assert r.status_code == 422
    found = problems(r.text)
    assert found[("2", "email")] == "'not-an-address' är ingen e-postadress"
    assert found[("3", "birth_date")] == "'1990-02-30' är inget datum (ÅÅÅÅ-MM-DD)"
    assert (
        found[("4", "skills")] == "'jonglera' finns inte i kompetenskatalogen (ESCO-URI, svenskt eller engelskt namn)"
    )
    assert found[("5", "languages")].startswith("'xx' är ingen språkkod som tjänsten känner till (sv, en, ar")
    assert len(found) == 4
    for english in ("is not an e-mail address", "is not a date", "skills catalogue", "language code"):
        assert english not in html.unescape(r.text)


def test_the_same_dry_run_in_english_says_them_in_english(visitor, world: World):
    found = problems(dry_run(visitor, "en").text)
    assert found[("2", "email")] == "'not-an-address' is not an e-mail address"
    assert found[("5", "languages")].startswith("'xx' is not a language code the service knows")


def test_the_page_marks_every_reason_the_service_can_give():
    # A reason added to the service but not to the page would show in English on Swedish pages.
    assert PAGE_REASONS == SERVICE_REASONS
