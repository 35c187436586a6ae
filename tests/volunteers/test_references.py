"""References on request: the volunteer asks, a leader of the activity writes and approves,
the volunteer sees it and may leave it out, and the next certificate carries it signed."""

from __future__ import annotations

import io
import re

import pypdf
from sqlalchemy import update

from certificates import KeySet, verify_pdf
from certificates.verify import extract_credential
from experience_support import confirm, standard_work
from service_support import run_db
from volunteers.db.models import Partnership

WORDS = "Anna kom alltid i tid och var väl förberedd. Barnen frågade efter henne."


def _text(pdf: bytes) -> str:
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages))


def _arrange(api, world, settings):
    work = standard_work(settings, world)
    sisu = api("leader_sisu")
    for session in ("f1", "f2"):
        assert confirm(sisu, work, session, {"vol_anna": (True, 90), "vol_bo": (True, 90)}).status_code == 200
    anna = world.profiles["vol_anna"]
    codes = ["coach_young_people", "work_in_teams", "speak_swedish"]
    assert api("vol_anna").patch(f"/api/volunteers/{anna}", json={"skills": codes}).status_code == 200

    async def go(db):
        await db.execute(update(Partnership).values(certificate_threshold_minutes=60))

    run_db(settings, go)
    return anna


def test_a_reference_is_asked_for_approved_by_the_leader_signed_in_and_can_be_left_out(api, world, settings):
    anna = _arrange(api, world, settings)
    football, circle = str(world.activities["football"]), str(world.activities["circle"])
    volunteer, sisu, abf = api("vol_anna"), api("leader_sisu"), api("leader_abf")

    # Only about an activity she has verified work on (the circle session is not confirmed).
    refused = volunteer.post(f"/api/volunteers/{anna}/references", json={"activity_id": circle})
    assert refused.status_code == 422 and "activity_id" in refused.text
    # Only for herself.
    assert api("vol_bo").post(f"/api/volunteers/{anna}/references", json={"activity_id": football}).status_code == 404
    asked = volunteer.post(f"/api/volunteers/{anna}/references", json={"activity_id": football, "message": "Tack!"})
    assert asked.status_code == 201, asked.text
    ref = asked.json()
    assert ref["status"] == "requested" and ref["activity_name"]
    again = volunteer.post(f"/api/volunteers/{anna}/references", json={"activity_id": football})
    assert again.status_code == 409

    # Only a leader of the activity's partner sees and answers it.
    assert [r["id"] for r in sisu.get("/api/references").json()] == [ref["id"]]
    assert abf.get("/api/references").json() == []
    approve = {"decision": "approve", "text": WORDS, "role": "Tränare", "contact": "leo@sisu.example"}
    assert abf.put(f"/api/references/{ref['id']}", json=approve).status_code == 404
    assert volunteer.put(f"/api/references/{ref['id']}", json=approve).status_code == 404
    no_consent = sisu.put(f"/api/references/{ref['id']}", json=approve)
    assert no_consent.status_code == 422 and "contact_consent" in no_consent.text
    control = sisu.put(f"/api/references/{ref['id']}", json={**approve, "text": "Bra\u0001", "contact_consent": True})
    assert control.status_code == 422 and "text" in control.text
    approved = sisu.put(f"/api/references/{ref['id']}", json={**approve, "contact_consent": True})
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "approved" and approved.json()["leader_name"] == "Leo Leader"
    assert sisu.put(f"/api/references/{ref['id']}", json=approve).status_code == 409

    # She sees it before it is used.
    (mine,) = volunteer.get(f"/api/volunteers/{anna}/references").json()
    assert mine["text"] == WORDS and mine["included"] is True and mine["contact"] == "leo@sisu.example"

    keys = KeySet.loads(api().get("/.well-known/samverka-keys.json").content)
    issued = volunteer.post(f"/api/volunteers/{anna}/certificates", json={"language": "sv"})
    assert issued.status_code == 201, issued.text
    pdf = volunteer.get(f"/api/certificates/{issued.json()['public_id']}.pdf").content
    assert verify_pdf(pdf, keys).ok
    text = _text(pdf)
    assert WORDS in text and "– Leo Leader, Tränare, RF-SISU Västmanland" in text
    assert "Kontakt: leo@sisu.example" in text
    signed = extract_credential(pdf)[0]["credentialSubject"]["samverka"]["reference"]
    assert signed["text"] == WORDS and signed["name"] == "Leo Leader"

    # Left out: the next certificate does not carry it.
    out = volunteer.patch(f"/api/references/{ref['id']}", json={"included": False})
    assert out.status_code == 200 and out.json()["included"] is False
    assert api("vol_bo").patch(f"/api/references/{ref['id']}", json={"included": True}).status_code == 404
    english = volunteer.post(f"/api/volunteers/{anna}/certificates", json={"language": "en"})
    assert english.status_code == 201, english.text
    text = _text(volunteer.get(f"/api/certificates/{english.json()['public_id']}.pdf").content)
    assert "Leo Leader" not in text and WORDS not in text
