"""References through the pages, in Swedish and English: ask, approve, see, leave out."""

from __future__ import annotations

import re

from service_support import run_db
from volunteers.settings import Settings
from web.test_work_pages import TODAY, add_verified_hours

INLINE = re.compile(r"<style|\sstyle=|<script(?![^>]*\ssrc=)", re.I)
WORDS = "Anna tog ansvar för uppvärmningen och var alltid väl förberedd."


def test_a_reference_through_the_pages(settings: Settings, visitor, world) -> None:
    run_db(settings, lambda db: add_verified_hours(db, world, "vol_anna", TODAY))
    anna = visitor("vol_anna", "sv")
    page = anna.get("/me/references")
    assert page.status_code == 200 and "Be om ett omdöme" in page.text and not INLINE.search(page.text)
    football = str(world.activities["football"])
    assert f'value="{football}"' in page.text
    asked = anna.post("/me/references", {"activity_id": football, "message": "Tack för våren!"})
    assert asked.status_code == 303, asked.text
    assert "Väntar på ledaren" in anna.get("/me/references").text

    # The leader of the football partner sees it (in English), a leader of another partner does not.
    assert visitor("leader_abf", "en").get("/leader/references").text.count("Approve the reference") == 0
    leo = visitor("leader_sisu", "en")
    inbox = leo.get("/leader/references")
    assert inbox.status_code == 200 and "Tack för våren!" in inbox.text and "Approve the reference" in inbox.text
    (ref_id,) = re.findall(r'action="/leader/references/([0-9a-f-]{36})"', inbox.text)
    missing_consent = leo.post(
        f"/leader/references/{ref_id}",
        {"decision": "approve", "text": WORDS, "role": "Tränare", "contact": "leo@sisu.example"},
    )
    assert missing_consent.status_code == 422 and "contact" in missing_consent.text
    done = leo.post(
        f"/leader/references/{ref_id}",
        {
            "decision": "approve",
            "text": WORDS,
            "role": "Tränare",
            "contact": "leo@sisu.example",
            "contact_consent": "yes",
        },
    )
    assert done.status_code == 303, done.text

    mine = anna.get("/me/references").text
    assert WORDS in mine and "Med i ditt nästa intyg" in mine and "leo@sisu.example" in mine
    assert anna.post(f"/me/references/{ref_id}/include", {"included": "no"}).status_code == 303
    assert "Bortvalt" in anna.get("/me/references").text
    # A volunteer's page is hers alone; a leader page needs led activities.
    assert visitor("vol_bo").post(f"/me/references/{ref_id}/include", {"included": "yes"}).status_code == 404
    assert anna.get("/leader/references").status_code == 404
