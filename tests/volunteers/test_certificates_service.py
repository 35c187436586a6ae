"""Certificates through the API: issuing, downloading, verifying, revoking, keys and bulk issue."""

from __future__ import annotations

import dataclasses
import io
import os

import pypdf
from click.testing import CliRunner
from litestar.testing import TestClient
from sqlalchemy import select, update

from certificates import KeySet, SigningKey, verify_pdf
from certificates.verify import extract_credential
from experience_support import confirm, standard_work
from service_support import run_db
from volunteers.app import create_app
from volunteers.certify.keys import KEY_FILE, KEYSET_FILE, ensure_keys, key_dir
from volunteers.cli import main as cli
from volunteers.db.models import AuditEntry, Certificate, Partnership
from volunteers.settings import Settings

JSON = {"Accept": "application/json"}


def qualify(api, world, settings):
    """Anna: 390 verified minutes in 4 sessions, 4 skills; Bo: 180 minutes, 3 skills."""
    work = standard_work(settings, world)
    sisu, abf, coord = api("leader_sisu"), api("leader_abf"), api("coordinator")
    assert confirm(sisu, work, "f1", {"vol_anna": (True, 90), "vol_bo": (True, 90)}).status_code == 200
    assert confirm(sisu, work, "f2", {"vol_anna": (True, 90), "vol_bo": (True, 90)}).status_code == 200
    assert confirm(sisu, work, "f3", {"vol_anna": (True, 90)}).status_code == 200
    assert confirm(abf, work, "c1", {"vol_anna": (True, 120)}).status_code == 200
    skills = {
        "vol_anna": ["coach_young_people", "work_in_teams", "speak_swedish"],
        "vol_bo": ["coach_young_people", "work_in_teams", "listen_actively"],
    }
    for key, codes in skills.items():
        assert api(key).patch(f"/api/volunteers/{world.profiles[key]}", json={"skills": codes}).status_code == 200
    anna = world.profiles["vol_anna"]
    for body in (
        {"skill_code": "instruct_in_sport", "session_id": str(work.sessions["f1"])},
        {"skill_code": "instruct_in_sport"},
    ):
        assert sisu.post(f"/api/volunteers/{anna}/endorsements", json=body).status_code == 201
    course = {"name": "SISU ledarutbildning", "issuer": "RF-SISU Västmanland", "completed_on": "2026-09-20"}
    assert coord.post(f"/api/volunteers/{anna}/trainings", json=course).status_code == 201
    return work


def issue(caller, world, key="vol_anna", **body):
    return caller.post(f"/api/volunteers/{world.profiles[key]}/certificates", json=body)


def keyset(api):
    r = api().get("/.well-known/samverka-keys.json")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    return KeySet.loads(r.content)


def page_text(pdf):
    return " ".join(" ".join(p.extract_text().split()) for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def set_threshold(settings, minutes):
    async def go(db):
        await db.execute(update(Partnership).values(certificate_threshold_minutes=minutes))

    run_db(settings, go)


def test_a_volunteer_issues_their_own_only_past_the_threshold(api, world, settings):
    anna = api("vol_anna")
    r = issue(anna, world)
    assert r.status_code == 409 and r.json()["code"] == "no_verified_hours"
    qualify(api, world, settings)
    r = issue(anna, world)  # 390 verified minutes, threshold 600
    assert r.status_code == 409 and r.json()["code"] == "below_threshold"
    assert anna.get(f"/api/volunteers/{world.profiles['vol_anna']}/experience").json()["may_issue_certificate"] is False
    set_threshold(settings, 390)
    r = issue(anna, world, language="en")
    assert r.status_code == 201, r.text
    cert = r.json()
    assert (cert["verified_minutes"], cert["verified_hours"], cert["status"]) == (390, 6.5, "valid")
    assert cert["verify_url"] == f"{settings.base_url}/verify/{cert['public_id']}"
    # The same hours again: nothing new to certify.
    r = issue(anna, world, language="en")
    assert r.status_code == 409 and r.json()["code"] == "certificate_up_to_date"
    # Someone else's certificate is not theirs to issue; Bo's skills are three, so a coordinator can.
    assert issue(api("vol_bo"), world).status_code == 404
    assert issue(api("leader_sisu"), world, key="vol_bo").status_code == 404
    assert issue(api("coordinator_other"), world, key="vol_bo").status_code == 404
    assert issue(api("coordinator"), world, key="vol_bo").status_code == 201


def test_too_few_catalogue_skills_refuse_a_certificate(api, world, settings):
    qualify(api, world, settings)
    bo = world.profiles["vol_bo"]
    assert api("vol_bo").patch(f"/api/volunteers/{bo}", json={"skills": ["work_in_teams"]}).status_code == 200
    r = issue(api("coordinator"), world, key="vol_bo")
    assert r.status_code == 409 and r.json()["code"] == "too_few_skills"


def test_issued_certificate_states_verified_work_and_verifies_against_the_published_keys(api, world, settings):
    qualify(api, world, settings)
    r = issue(api("coordinator"), world)
    assert r.status_code == 201, r.text
    public_id = r.json()["public_id"]
    assert len(public_id) == 20 and public_id.isalnum()
    anna = api("vol_anna")
    first = anna.get(f"/api/certificates/{public_id}.pdf")
    assert first.status_code == 200 and first.headers["content-type"] == "application/pdf"
    again = anna.get(f"/api/certificates/{public_id}.pdf")
    assert again.content == first.content  # the stored document, byte for byte
    result = verify_pdf(first.content, keyset(api))
    assert result.ok, result.reason
    assert result.certificate_id == public_id

    async def stored(db):
        cert = (await db.execute(select(Certificate))).scalar_one()
        audits = (await db.execute(select(AuditEntry.action).where(AuditEntry.subject_id == public_id))).scalars()
        return cert.snapshot, cert.credential, cert.key_id, list(audits)

    snapshot, credential, key_id, audits = run_db(settings, stored)
    assert audits == ["certificate.issued"] and result.key_id == key_id
    assert extract_credential(first.content)[0] == credential
    assert snapshot["verified_minutes"] == 390 and snapshot["sessions"] == 4
    assert snapshot["partner"] == "RF-SISU Västmanland"  # where most hours were worked
    assert snapshot["partnership"] == "IOP Pettersberg"
    assert (snapshot["signatory_name"], snapshot["signatory_role"]) == ("Cora Coordinator", "Coordinator")
    assert (snapshot["period_start"], snapshot["period_end"]) == ("2026-10-27", "2026-11-24")
    # Roles in the certificate's language, capitalised, with the minutes of each.
    assert snapshot["roles"] == ["Coach", "Study circle leader"] and snapshot["language"] == "en"
    assert snapshot["role_minutes"] == [270, 120]
    assert first.headers["content-disposition"] == f'attachment; filename="certificate-{public_id}.pdf"'
    assert [(a["name"], a["target_group"]) for a in snapshot["activities"]] == [
        ("Football U12", "Children"),
        ("Swedish circle", "Adults"),
    ]
    assert [(s["code"], s["assessed_by"], s["endorsements"]) for s in snapshot["skills"]] == [
        ("instruct_in_sport", "leader", 2),
        ("coach_young_people", "self", 0),
        ("speak_swedish", "self", 0),
        ("work_in_teams", "self", 0),
    ]
    assert [t["name"] for t in snapshot["trainings"]] == ["SISU ledarutbildning"]
    text = page_text(first.content).lower()
    assert "anna volunteer" in text and "6.5 hours" in text and "coach – 4.5 hours" in text
    for word in ("background", "belastningsregister"):
        assert word not in text and word.encode() not in first.content.lower()
        assert word not in str(credential).lower()


def test_a_volunteer_can_download_only_their_own_certificates(api, world, settings):
    qualify(api, world, settings)
    public_id = issue(api("coordinator"), world).json()["public_id"]
    path = f"/api/certificates/{public_id}.pdf"
    assert api("vol_anna").get(path).status_code == 200
    assert api("coordinator").get(path).status_code == 200
    for other in ("vol_bo", "leader_sisu", "coordinator_other"):
        assert api(other).get(path).status_code == 404, other
    assert api().get(path).status_code == 401
    assert api("vol_anna").get("/api/certificates/AAAAAAAAAAAAAAAAAAAA.pdf").status_code == 404
    assert api("vol_anna").get(f"/api/certificates/{public_id}").status_code == 404
    listing = api("vol_anna").get(f"/api/volunteers/{world.profiles['vol_anna']}/certificates").json()
    assert [c["public_id"] for c in listing] == [public_id]
    assert api("vol_bo").get(f"/api/volunteers/{world.profiles['vol_anna']}/certificates").status_code == 404


def test_verify_needs_no_account_and_shows_a_revoked_certificate_as_revoked(api, world, settings):
    qualify(api, world, settings)
    public_id = issue(api("coordinator"), world).json()["public_id"]
    anonymous = api()
    r = anonymous.get(f"/verify/{public_id}", headers=JSON)
    assert r.status_code == 200, r.text
    facts = r.json()
    assert facts["status"] == "valid" and facts["name"] == "Anna Volunteer"
    assert (facts["verified_hours"], facts["sessions"], facts["partner"]) == (6.5, 4, "RF-SISU Västmanland")
    assert (facts["period_start"], facts["period_end"]) == ("2026-10-27", "2026-11-24")
    assert len(facts["skills"]) == 4 and "revoked_reason" not in facts
    assert "1995-05-17" not in r.text  # the birth date is on the PDF only
    html = anonymous.get(f"/verify/{public_id}", headers={"Accept": "text/html", "Accept-Language": "en"})
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    assert "Valid" in html.text and "Anna Volunteer" in html.text and "1995" not in html.text

    body = {"reason": "Hours were recorded on the wrong volunteer"}
    path = f"/api/certificates/{public_id}/revoke"
    assert api("leader_sisu").post(path, json=body).status_code == 403
    assert api("vol_anna").post(path, json=body).status_code == 403
    assert api("coordinator_other").post(path, json=body).status_code == 404
    assert api("coordinator").post(path, json={"reason": ""}).status_code == 400
    r = api("coordinator").post(path, json=body)
    assert r.status_code == 200 and r.json()["status"] == "revoked"
    assert api("coordinator").post(path, json=body).status_code == 409

    facts = anonymous.get(f"/verify/{public_id}", headers=JSON).json()
    assert facts["status"] == "revoked" and facts["revoked_reason"] == body["reason"]
    assert facts["revoked_on"] == "2026-11-26"
    html = anonymous.get(f"/verify/{public_id}", headers={"Accept-Language": "sv"})
    assert "Återkallat" in html.text and body["reason"] in html.text
    # The holder cannot hand out a revoked certificate any more; coordinators keep the record.
    assert api("vol_anna").get(f"/api/certificates/{public_id}.pdf").status_code == 409
    assert api("coordinator").get(f"/api/certificates/{public_id}.pdf").status_code == 200


def test_an_unknown_id_is_the_same_404_as_any_other(api, world):
    anonymous = api()
    for bad in ("AAAAAAAAAAAAAAAAAAAA", "not-an-id", "x" * 300):
        r = anonymous.get(f"/verify/{bad}", headers=JSON)
        assert r.status_code == 404 and r.json()["code"] == "not_found"
        html = anonymous.get(f"/verify/{bad}")
        assert html.status_code == 404 and "No such certificate" not in html.text  # Swedish by default
        assert "Intyget finns inte" in html.text


def test_a_withdrawn_certificate_shows_its_status_only(api, world, settings):
    qualify(api, world, settings)
    public_id = issue(api("coordinator"), world).json()["public_id"]
    assert api("vol_bo").post(f"/api/certificates/{public_id}/withdraw").status_code == 404
    assert api("vol_anna").post(f"/api/certificates/{public_id}/withdraw").json()["status"] == "withdrawn"
    facts = api().get(f"/verify/{public_id}", headers=JSON).json()
    assert facts == {"id": public_id, "status": "withdrawn", "issued_on": "2026-11-26"}


def test_verify_lookups_are_rate_limited(settings, clock):
    app = create_app(dataclasses.replace(settings, rate_limit_per_minute=3), clock=clock)
    with TestClient(app) as client:
        codes = [client.get(f"/verify/{'A' * 20}", headers=JSON).status_code for _ in range(4)]
        assert codes == [404, 404, 404, 429]
        assert "retry-after" in {k.lower() for k in client.get(f"/verify/{'B' * 20}").headers}
        clock.advance(minutes=1)
        assert client.get(f"/verify/{'A' * 20}", headers=JSON).status_code == 404


def test_after_keys_rotate_old_certificates_verify_and_new_ones_use_the_new_key(api, world, settings, clock):
    qualify(api, world, settings)
    old = issue(api("coordinator"), world).json()
    key_file = key_dir(settings) / KEY_FILE
    assert key_file.stat().st_mode & 0o777 == 0o600
    env = {"SAMVERKA_DATA_DIR": str(settings.data_dir), "SAMVERKA_BASE_URL": settings.base_url}
    out = CliRunner().invoke(cli, ["keys", "rotate", "--at", "2026-11-26T12:01:00Z"], env=env)
    assert out.exit_code == 0, out.output
    assert old["key_id"] in out.output
    assert key_file.stat().st_mode & 0o777 == 0o600
    clock.advance(minutes=5)
    new = issue(api("coordinator"), world, key="vol_bo").json()
    assert new["key_id"] != old["key_id"]
    keys = keyset(api)
    assert [k.key_id for k in keys.keys] == [old["key_id"], new["key_id"]]
    for cert, owner in ((old, "vol_anna"), (new, "vol_bo")):
        pdf = api(owner).get(f"/api/certificates/{cert['public_id']}.pdf").content
        result = verify_pdf(pdf, keys)
        assert result.ok and result.key_id == cert["key_id"], result.reason


def test_a_signing_key_from_the_environment_is_published_and_rotated_in(tmp_path):
    first, second = SigningKey.generate(), SigningKey.generate()
    settings = Settings(data_dir=tmp_path, signing_key_pem=first.to_pem().decode())
    assert ensure_keys(settings).key_id == first.key_id
    assert not (key_dir(settings) / KEY_FILE).exists()  # nothing secret written when given
    changed = dataclasses.replace(settings, signing_key_pem=second.to_pem().decode())
    assert ensure_keys(changed).key_id == second.key_id
    keys = KeySet.load(key_dir(settings) / KEYSET_FILE)
    assert [k.key_id for k in keys.keys] == [first.key_id, second.key_id]
    assert keys.keys[0].not_after is not None and keys.keys[1].not_after is None
    out = CliRunner().invoke(
        cli,
        ["keys", "rotate"],
        env={"SAMVERKA_DATA_DIR": str(tmp_path), "SAMVERKA_SIGNING_KEY": first.to_pem().decode()},
    )
    assert out.exit_code != 0 and "SAMVERKA_SIGNING_KEY" in out.output
    assert os.listdir(key_dir(settings)) == [KEYSET_FILE]


def test_bulk_issue_renders_in_worker_processes_and_skips_the_refused(api, world, settings):
    qualify(api, world, settings)
    coord = api("coordinator")
    nobody = "00000000-0000-7000-8000-000000000000"
    ids = [str(world.profiles["vol_anna"]), str(world.profiles["vol_bo"]), nobody]
    assert api("leader_sisu").post("/api/certificates/bulk", json={"volunteer_ids": ids}).status_code == 403
    r = coord.post("/api/certificates/bulk", json={"volunteer_ids": ids, "language": "sv"})
    assert r.status_code == 202, r.text
    job = coord.get(f"/api/certificates/bulk/{r.json()['id']}?wait=120").json()
    assert job["status"] == "done", job
    assert sorted(i["volunteer_id"] for i in job["issued"]) == sorted(ids[:2])
    assert [(s["volunteer_id"], s["code"]) for s in job["skipped"]] == [(nobody, "not_found")]
    assert api("coordinator_other").get(f"/api/certificates/bulk/{job['id']}").status_code == 404
    keys = keyset(api)
    for item in job["issued"]:
        owner = "vol_anna" if item["volunteer_id"] == ids[0] else "vol_bo"
        pdf = api(owner).get(f"/api/certificates/{item['public_id']}.pdf").content
        assert verify_pdf(pdf, keys).ok
        assert " timmar · " in page_text(pdf).lower()
