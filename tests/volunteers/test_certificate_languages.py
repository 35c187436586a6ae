"""A certificate reads in its own language: names, roles and tasks as the partnership worded them.

Activities, trainings and roles get their Swedish and English names where the activity
and its needs are edited; tasks their past tense in both languages. A leader's reference
is printed as written, and a page in the other language says which language it is in.
"""

from __future__ import annotations

import io
import re

import pypdf

from certificates import KeySet, verify_pdf
from certificates.verify import extract_credential
from experience_support import confirm, standard_work


def _text(pdf: bytes) -> str:
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages))


def _arrange(api, world, settings) -> str:
    work = standard_work(settings, world)
    sisu, abf, coord = api("leader_sisu"), api("leader_abf"), api("coordinator")
    for session in ("f1", "f2", "f3"):
        entries = {"vol_anna": (True, 90)} | ({"vol_bo": (True, 90)} if session != "f3" else {})
        assert confirm(sisu, work, session, entries).status_code == 200
    assert confirm(abf, work, "c1", {"vol_anna": (True, 120)}).status_code == 200
    anna = world.profiles["vol_anna"]
    football, circle = world.activities["football"], world.activities["circle"]
    codes = ["coach_young_people", "work_in_teams", "speak_swedish"]
    assert api("vol_anna").patch(f"/api/volunteers/{anna}", json={"skills": codes}).status_code == 200
    # The partnership's own phrases, none of them in the service's starter vocabulary.
    changed = sisu.patch(
        f"/api/activities/{football}",
        json={
            "name_sv": "Fotboll för 10–12-åringar",
            "name_en": "Football for 10–12-year-olds",
            "tasks": ["sköta matchprotokollet", "lära ut fotbollsfinter", "vattna gräsplanen"],
            "tasks_done": [
                {"task": "sköta matchprotokollet", "sv": "Skötte matchprotokollet", "en": "Kept the match records"},
                {"task": "lära ut fotbollsfinter", "sv": "Lärde ut fotbollsfinter"},
            ],
        },
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["tasks_done"][0] == {
        "task": "sköta matchprotokollet",
        "sv": "Skötte matchprotokollet",
        "en": "Kept the match records",
    }
    (need,) = sisu.get(f"/api/activities/{football}/needs").json()
    renamed = sisu.patch(f"/api/needs/{need['id']}", json={"role_sv": "Fotbollstränare", "role_en": "Football coach"})
    assert renamed.status_code == 200 and renamed.json()["role_en"] == "Football coach"
    assert abf.patch(f"/api/activities/{circle}", json={"name_en": "Swedish conversation circle"}).status_code == 200
    training = coord.post(
        f"/api/volunteers/{anna}/trainings",
        json={
            "name": "Ledarskap i idrott",
            "name_en": "Leadership in sport",
            "issuer": "RF-SISU Västmanland",
            "completed_on": "2026-10-01",
        },
    )
    assert training.status_code == 201, training.text
    asked = api("vol_anna").post(f"/api/volunteers/{anna}/references", json={"activity_id": str(football)})
    answer = {
        "decision": "approve",
        "text": "Anna kom alltid förberedd och tog ansvar för uppvärmningen.",
        "role": "Tränare",
        "language": "sv",
    }
    assert sisu.put(f"/api/references/{asked.json()['id']}", json=answer).status_code == 200
    return str(anna)


def _issue(api, anna: str, language: str) -> tuple[str, dict]:
    coord = api("coordinator")
    issued = coord.post(f"/api/volunteers/{anna}/certificates", json={"language": language})
    assert issued.status_code == 201, issued.text
    pdf = coord.get(f"/api/certificates/{issued.json()['public_id']}.pdf").content
    keys = KeySet.loads(api().get("/.well-known/samverka-keys.json").content)
    assert verify_pdf(pdf, keys).ok
    return _text(pdf), extract_credential(pdf)[0]["credentialSubject"]["samverka"]


def test_an_english_certificate_prints_the_partnerships_english_wording(api, world, settings):
    anna = _arrange(api, world, settings)
    text, facts = _issue(api, anna, "en")
    assert [a["name"] for a in facts["activities"]] == ["Football for 10–12-year-olds", "Swedish conversation circle"]
    assert "Fotboll" not in text and "Ledarskap" not in text
    assert "• Football coach – 4.5 hours" in text
    # The circle's role has no English name given: the starter vocabulary's, then as written.
    assert "• Study circle leader – 2 hours" in text
    assert "• Leadership in sport – RF-SISU Västmanland, 1 October 2026" in text
    # A task's own English past tense; a Swedish past tense before an instruction; else as written.
    assert facts["tasks"] == ["Kept the match records", "Lärde ut fotbollsfinter", "Vattna gräsplanen"]
    # The leader's words as written, and the reader told which language they are in.
    assert "”Anna kom alltid förberedd och tog ansvar för uppvärmningen.”" in text
    assert "(written in Swedish)" in text
    assert facts["reference"]["language"] == "sv"


def test_a_swedish_certificate_prints_the_swedish_wording_and_no_language_note(api, world, settings):
    anna = _arrange(api, world, settings)
    text, facts = _issue(api, anna, "sv")
    assert [a["name"] for a in facts["activities"]] == ["Fotboll för 10–12-åringar", "Swedish circle"]
    assert "• Fotbollstränare – 4,5 timmar" in text and "• Cirkelledare – 2 timmar" in text
    assert "• Ledarskap i idrott – RF-SISU Västmanland, 2026-10-01" in text
    assert facts["tasks"] == ["Skötte matchprotokollet", "Lärde ut fotbollsfinter", "Vattna gräsplanen"]
    assert "”Anna kom alltid förberedd" in text and "skrivet på" not in text


def test_task_wording_for_a_task_the_activity_lacks_is_refused_and_goes_with_its_task(api, world, settings):
    standard_work(settings, world)
    sisu, football = api("leader_sisu"), world.activities["football"]
    bad = sisu.patch(
        f"/api/activities/{football}",
        json={"tasks": ["a"], "tasks_done": [{"task": "b", "en": "Did b"}]},
    )
    assert bad.status_code == 422 and "tasks_done[0].task" in bad.text
    assert sisu.get(f"/api/activities/{football}").json()["tasks"] != ["a"]  # nothing half-written
    ok = sisu.patch(
        f"/api/activities/{football}", json={"tasks": ["a", "b"], "tasks_done": [{"task": "b", "en": "Did b"}]}
    )
    assert ok.json()["tasks_done"] == [{"task": "b", "sv": "", "en": "Did b"}]
    # The wording stays while its task stays, and goes when the task goes.
    assert (
        sisu.patch(f"/api/activities/{football}", json={"tasks": ["b", "c"]}).json()["tasks_done"][0]["en"] == "Did b"
    )
    assert sisu.patch(f"/api/activities/{football}", json={"tasks": ["c"]}).json()["tasks_done"] == []
