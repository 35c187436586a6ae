"""The coordinators' set-up pages: import with a dry run, invitations handed over, roles, settings; guarded."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from service_support import World, run_db
from volunteers.db.models import User

GOOD = "first_name,last_name,email,birth_date,skills\nIda,Import,ida@import.example.se,1990-01-01,Ge första hjälpen\n"
BAD = GOOD + "Ung,Import,ung@import.example.se,2015-01-01,\nFel,Import,fel@import.example.se,1990-01-01,jonglera\n"


def upload(v, text: str, action: str, kind: str = "volunteers"):
    return v.post("/import", {"kind": kind, "action": action}, files={"file": ("v.csv", text.encode(), "text/csv")})


def users(settings) -> int:
    async def q(db):
        return (await db.execute(select(func.count()).select_from(User))).scalar_one()

    return run_db(settings, q)


def test_an_import_from_the_page_names_bad_rows_and_takes_nothing_until_all_are_right(visitor, world: World, settings):
    v = visitor("coordinator", language="sv")
    before = users(settings)
    r = upload(v, BAD, "import")
    assert r.status_code == 422
    assert "Filen har 2 problem. Ingenting importerades." in r.text
    assert re.search(r"<td>3</td><td>birth_date</td>", r.text) and re.search(r"<td>4</td><td>skills</td>", r.text)
    assert users(settings) == before
    r = upload(v, GOOD, "check")
    assert r.status_code == 200 and "Filen är rätt." in r.text and users(settings) == before
    r = upload(v, GOOD, "import")
    assert r.status_code == 200 and "Importerade: 1." in r.text
    assert "ida@import.example.se: <code" in r.text  # no mail server: the link to hand over
    assert users(settings) == before + 1


def test_a_coordinator_invites_from_the_page_and_settings_refuse_bad_values(visitor, world: World):
    v = visitor("coordinator", language="en")
    r = v.post(f"/people/{world.partnership_id}/invite", {"email": "new@test.samverka.se", "role": "leader"})
    assert r.status_code == 422 and "Choose the partner the leader works for." in r.text
    sisu = str(world.partners["sisu"])
    r = v.post(
        f"/people/{world.partnership_id}/invite",
        {"email": "new@test.samverka.se", "role": "leader", "partner_id": sisu},
    )
    assert r.status_code == 200 and "/invitation#" in r.text
    r = v.post(f"/partnership/{world.partnership_id}/settings", {"name": "X", "timezone": "Mars/Olympus"})
    assert r.status_code == 422 and "Choose a time zone from the list" in r.text
    r = v.post(f"/partnership/{world.partnership_id}/settings", {"name": "X", "followup_interval_months": "99"})
    assert r.status_code == 422 and 'id="followup_interval_months-error"' in r.text
    assert "IOP Pettersberg" in v.get("/partnership").text  # nothing was saved


def test_the_set_up_pages_are_for_coordinators(visitor, world: World):
    for path in ("/people", "/partnership", "/import"):
        assert visitor("leader_sisu").get(path).status_code == 403
        assert visitor("vol_anna").get(path).status_code == 403
        assert visitor().get(path).status_code == 303
    other = visitor("coordinator_other")
    # Another partnership's coordinator asking for this one gets their own.
    assert "IOP Elsewhere" in other.get(f"/partnership?partnership={world.partnership_id}").text
    assert (
        other.post(f"/people/{world.partnership_id}/invite", {"email": "x@y.se", "role": "coordinator"}).status_code
        == 404
    )
