"""What a certificate says is what this volunteer did, in the certificate's language,
and it names a person only where that person approved it."""

from __future__ import annotations

import io
import re

import pypdf
from sqlalchemy import update

from certificates import KeySet, verify_pdf
from experience_support import confirm, standard_work
from service_support import run_db
from volunteers.db.models import Activity, Partnership


def _text(pdf: bytes) -> str:
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages))


def _arrange(api, world, settings):
    work = standard_work(settings, world)
    sisu, abf = api("leader_sisu"), api("leader_abf")
    for session in ("f1", "f2"):
        assert confirm(sisu, work, session, {"vol_anna": (True, 90), "vol_bo": (True, 90)}).status_code == 200
    assert confirm(sisu, work, "f3", {"vol_anna": (True, 90)}).status_code == 200
    assert confirm(abf, work, "c1", {"vol_anna": (True, 120)}).status_code == 200
    anna = world.profiles["vol_anna"]
    codes = ["coach_young_people", "work_in_teams", "speak_swedish"]
    assert api("vol_anna").patch(f"/api/volunteers/{anna}", json={"skills": codes}).status_code == 200

    async def go(db):
        tasks = {"football": ["leda uppvärmning", "döma matcher"], "circle": ["leda samtal"]}
        for key, listed in tasks.items():
            await db.execute(update(Activity).where(Activity.id == world.activities[key]).values(tasks=listed))
        await db.execute(update(Partnership).values(certificate_threshold_minutes=60))

    run_db(settings, go)
    return anna


def test_tasks_are_those_of_the_work_done_in_past_tense_and_in_the_certificates_language(api, world, settings):
    anna = _arrange(api, world, settings)
    coord = api("coordinator")
    issued = coord.post(f"/api/volunteers/{anna}/certificates", json={"language": "en"})
    assert issued.status_code == 201, issued.text
    text = _text(coord.get(f"/api/certificates/{issued.json()['public_id']}.pdf").content)
    # Football three times: its tasks, in English and the past tense. The circle once: none of its tasks.
    assert "• Led warm-ups" in text and "• Refereed matches" in text
    assert "Led conversations" not in text and "leda" not in text
    assert "Coach – 4.5 hours" in text and "Study circle leader – 2 hours" in text
    # The coordinator who issued it approved it, so she is named, with an English title.
    assert "Issued by IOP Pettersberg Cora Coordinator Coordinator" in text


def test_a_volunteers_own_certificate_names_no_coordinator(api, world, settings):
    anna = _arrange(api, world, settings)
    issued = api("vol_anna").post(f"/api/volunteers/{anna}/certificates", json={"language": "sv"})
    assert issued.status_code == 201, issued.text
    pdf = api("vol_anna").get(f"/api/certificates/{issued.json()['public_id']}.pdf")
    assert pdf.headers["content-disposition"].endswith(f'filename="intyg-{issued.json()["public_id"]}.pdf"')
    text = _text(pdf.content)
    assert "Cora Coordinator" not in text and "Samordnare" not in text
    assert "Utfärdat av IOP Pettersberg" in text
    assert "• Ledde uppvärmning" in text and "• Dömde matcher" in text
    keys = KeySet.loads(api().get("/.well-known/samverka-keys.json").content)
    assert verify_pdf(pdf.content, keys).ok
