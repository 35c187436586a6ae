"""The pages show who a change releases before it is applied: a volunteer's lower weekly cap, a deactivated account."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import insert

from rules_support import audit, held, session, sql, statuses
from service_support import PASSWORD, Api
from volunteers.db.models import Membership, Role

ALL_DAY = {"rules": [{"weekday": d, "start_time": "06:00:00", "end_time": "23:59:00"} for d in range(7)]}


@pytest.fixture
def api(test_client: Any) -> Any:
    def make(key: str | None = None) -> Api:
        caller = Api(test_client)
        return caller.login(key) if key else caller

    return make


def _anna_holds_a_place(api, world) -> str:
    leader = api("leader_abf")
    r = leader.post(f"/api/activities/{world.activities['circle']}/needs", json={"role": "ledare", "count": 1})
    assert r.status_code == 201, r.text
    r = api("vol_anna").put(f"/api/volunteers/{world.profiles['vol_anna']}/availability", json=ALL_DAY)
    assert r.status_code == 200, r.text
    s = session(leader, world.activities["circle"], "2026-12-01T17:00:00+01:00", "2026-12-01T18:30:00+01:00")
    return held(api, world, "vol_anna", s["id"])


def test_a_lower_weekly_cap_on_the_profile_page_shows_the_sessions_it_gives_up_and_asks(api, visitor, world, settings):
    aid = _anna_holds_a_place(api, world)
    v = visitor("vol_anna", language="sv")
    form = {"first_name": "Anna", "last_name": "Volunteer", "max_hours": "1"}
    r = v.post("/profile", form)
    assert r.status_code == 409, r.text
    assert 'id="release-preview"' in r.text and "Swedish circle" in r.text
    assert "Med de här ändringarna kan du inte längre komma på de här passen:" in r.text
    assert 'name="confirm" value="yes"' in r.text
    assert statuses(settings)[aid] == "accepted"  # nothing applied yet
    assert 'value="1"' in r.text  # the value they typed stays in the form

    r = v.post("/profile", {**form, "confirm": "yes"})
    assert r.status_code == 303, r.text
    assert statuses(settings)[aid] == "cancelled"
    assert api("vol_anna").get(f"/api/volunteers/{world.profiles['vol_anna']}").json()["max_minutes_per_week"] == 60
    assert audit(settings, world) == []


def test_deactivating_an_account_on_the_roles_page_shows_its_places_first_then_releases_them(
    api, visitor, world, settings
):
    aid = _anna_holds_a_place(api, world)
    sql(
        settings,
        insert(Membership).values(
            user_id=world.users["vol_anna"],
            partnership_id=world.partnership_id,
            role=Role.LEADER,
            partner_id=world.partners["abf"],
        ),
    )
    coord = visitor("coordinator", language="en")
    url = f"/people/{world.partnership_id}/staff/{world.users['vol_anna']}"
    r = coord.post(url, {"action": "deactivate"})
    assert r.status_code == 409, r.text
    assert "Deactivating the account of Anna Volunteer releases these places:" in r.text
    assert 'id="release-preview"' in r.text and "Swedish circle" in r.text
    assert f'action="{url}"' in r.text and 'name="confirm" value="yes"' in r.text
    assert statuses(settings)[aid] == "accepted"

    r = coord.post(url, {"action": "deactivate", "confirm": "yes"})
    assert r.status_code == 303, r.text
    assert statuses(settings)[aid] == "cancelled"
    assert audit(settings, world) == []
    # (API calls share the visitor's cookie jar, so only after the page steps.)
    r = api().post("/api/auth/login", json={"email": "vol_anna@test.samverka.se", "password": PASSWORD})
    assert r.status_code == 401
