"""A control character in a name never fails a certificate, alone or in a bulk issue (issue 15, #3)."""

from __future__ import annotations

import io

import pypdf
from sqlalchemy import update

from certificates import KeySet, verify_pdf
from experience_support import confirm, standard_work
from service_support import run_db
from volunteers.db.models import VolunteerProfile


def _qualify(api, world, settings):
    work = standard_work(settings, world)
    sisu = api("leader_sisu")
    for session in ("f1", "f2"):
        assert confirm(sisu, work, session, {"vol_anna": (True, 90), "vol_bo": (True, 90)}).status_code == 200
    for key in ("vol_anna", "vol_bo"):
        codes = ["coach_young_people", "work_in_teams", "listen_actively"]
        assert api(key).patch(f"/api/volunteers/{world.profiles[key]}", json={"skills": codes}).status_code == 200


def _name(settings, profile_id, first, last):
    # Written straight to the table, as data stored before names were cleaned at input.
    async def go(db):
        await db.execute(
            update(VolunteerProfile).where(VolunteerProfile.id == profile_id).values(first_name=first, last_name=last)
        )

    run_db(settings, go)


def test_control_characters_in_names_neither_fail_a_certificate_nor_stop_a_bulk_issue(api, world, settings):
    _qualify(api, world, settings)
    anna, bo = world.profiles["vol_anna"], world.profiles["vol_bo"]
    _name(settings, anna, "Warsame\u0001", "Ali\u001b[31m")
    _name(settings, bo, "Bo\u0007\u007f", "Berg\u0085")
    keys = KeySet.loads(api().get("/.well-known/samverka-keys.json").content)

    own = api("coordinator").post(f"/api/volunteers/{anna}/certificates", json={"language": "en"})
    assert own.status_code == 201, own.text
    coord = api("coordinator")
    r = coord.post("/api/certificates/bulk", json={"volunteer_ids": [str(anna), str(bo)], "language": "sv"})
    assert r.status_code == 202, r.text
    job = coord.get(f"/api/certificates/bulk/{r.json()['id']}?wait=120").json()
    assert job["status"] == "done", job
    assert sorted(item["volunteer_id"] for item in job["issued"]) == sorted([str(anna), str(bo)]), job
    for item in job["issued"]:
        pdf = coord.get(f"/api/certificates/{item['public_id']}.pdf").content
        result = verify_pdf(pdf, keys)
        assert result.ok, result.reason
        text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
        assert "\u0001" not in text and "\u0007" not in text
        assert "Warsame" in text or "Bo" in text
