"""A name stored before names were checked cannot break a certificate or a bulk issue (issue 15, finding 3).

New names with control characters are refused at input (test_limits); these are
names already in the database, cleaned where they are read.
"""

from __future__ import annotations

from sqlalchemy import update

from experience_support import confirm, standard_work
from service_support import run_db
from volunteers.db.models import VolunteerProfile

JSON = {"Accept": "application/json"}


def qualify(api, world, settings):
    """Anna: 390 verified minutes, three skills of her own and one endorsed."""
    work = standard_work(settings, world)
    sisu, abf = api("leader_sisu"), api("leader_abf")
    assert confirm(sisu, work, "f1", {"vol_anna": (True, 90), "vol_bo": (True, 90)}).status_code == 200
    assert confirm(sisu, work, "f2", {"vol_anna": (True, 90), "vol_bo": (True, 90)}).status_code == 200
    assert confirm(sisu, work, "f3", {"vol_anna": (True, 90)}).status_code == 200
    assert confirm(abf, work, "c1", {"vol_anna": (True, 120)}).status_code == 200
    skills = {"skills": ["coach_young_people", "work_in_teams", "speak_swedish"]}
    assert api("vol_anna").patch(f"/api/volunteers/{world.profiles['vol_anna']}", json=skills).status_code == 200
    endorse = {"skill_code": "instruct_in_sport"}
    assert sisu.post(f"/api/volunteers/{world.profiles['vol_anna']}/endorsements", json=endorse).status_code == 201


def issue(caller, world, key="vol_anna", **body):
    return caller.post(f"/api/volunteers/{world.profiles[key]}/certificates", json=body)


def _store_name(settings, world, key, last_name):
    async def go(db):
        await db.execute(
            update(VolunteerProfile).where(VolunteerProfile.id == world.profiles[key]).values(last_name=last_name)
        )

    run_db(settings, go)


def test_a_stored_control_character_in_a_name_is_cleaned_on_the_certificate(api, world, settings):
    qualify(api, world, settings)
    _store_name(settings, world, "vol_anna", "War\u0001same\u000b")
    r = issue(api("coordinator"), world)
    assert r.status_code == 201, r.text
    facts = api().get(f"/verify/{r.json()['public_id']}", headers=JSON).json()
    assert facts["name"] == "Anna War same"
    pdf = api("vol_anna").get(f"/api/certificates/{r.json()['public_id']}.pdf")
    assert pdf.status_code == 200
