"""Certificate wording through the pages: a role's names on certificates, a reference's language."""

from __future__ import annotations

import re

from service_support import run_db
from volunteers.settings import Settings
from web.test_work_pages import TODAY, add_verified_hours


def test_a_leader_names_a_role_for_certificates_in_both_languages(settings: Settings, visitor, world) -> None:
    leader = visitor("leader_sisu", "sv")
    football = world.activities["football"]
    page = leader.get(f"/activities/{football}")
    assert page.status_code == 200 and "Rollen på intyg" in page.text and 'name="role_en"' in page.text
    too_long = leader.post(
        f"/activities/{football}/needs", {"role": "domare", "count": "1", "priority": "1", "role_en": "x" * 81}
    )
    assert too_long.status_code == 422 and "role_en" in too_long.text
    added = leader.post(
        f"/activities/{football}/needs",
        {"role": "domare", "count": "1", "priority": "1", "role_sv": "Matchdomare", "role_en": "Referee"},
    )
    assert added.status_code == 303, added.text
    (need,) = [n for n in leader.get(f"/api/activities/{football}/needs").json() if n["role"] == "domare"]
    assert (need["role_sv"], need["role_en"]) == ("Matchdomare", "Referee")
    edit = leader.get(f"/activities/{football}/needs/{need['id']}/edit")
    assert 'value="Referee"' in edit.text
    saved = leader.post(
        f"/activities/{football}/needs/{need['id']}/edit",
        {"count": "2", "priority": "1", "role_sv": "Matchdomare", "role_en": "Match referee"},
    )
    assert saved.status_code == 303, saved.text
    (need,) = [n for n in leader.get(f"/api/activities/{football}/needs").json() if n["role"] == "domare"]
    assert need["role_en"] == "Match referee" and need["count"] == 2


def test_a_leader_says_which_language_a_reference_is_written_in(settings: Settings, visitor, world) -> None:
    run_db(settings, lambda db: add_verified_hours(db, world, "vol_anna", TODAY))
    anna = visitor("vol_anna", "sv")
    assert anna.post("/me/references", {"activity_id": str(world.activities["football"])}).status_code == 303
    leo = visitor("leader_sisu", "en")
    inbox = leo.get("/leader/references").text
    # An English-speaking leader's form offers English first; she wrote in Swedish.
    assert '<option value="en" selected>' in inbox and "Written in" in inbox
    (ref_id,) = re.findall(r'action="/leader/references/([0-9a-f-]{36})"', inbox)
    done = leo.post(
        f"/leader/references/{ref_id}",
        {"decision": "approve", "text": "Anna var alltid förberedd.", "role": "Tränare", "language": "sv"},
    )
    assert done.status_code == 303, done.text
    (mine,) = anna.get(f"/api/volunteers/{world.profiles['vol_anna']}/references").json()
    assert mine["language"] == "sv"


def test_a_new_activity_gets_its_names_for_certificates(settings: Settings, visitor, world) -> None:
    leader = visitor("leader_sisu", "sv")
    assert "Namnet på intyg" in leader.get("/activities/new").text
    too_long = leader.post(
        "/activities/new", {"name": "Basket U15", "kind": "sport", "target_group": "youth", "name_en": "x" * 201}
    )
    assert too_long.status_code == 422
    r = leader.post(
        "/activities/new",
        {"name": "Basket U15", "kind": "sport", "target_group": "youth", "name_en": "Basketball, under 15"},
    )
    assert r.status_code == 303, r.text
    activity = leader.get(f"/api/activities/{r.headers['location'].split('/')[2]}").json()
    assert (activity["name"], activity["name_sv"], activity["name_en"]) == ("Basket U15", "", "Basketball, under 15")
