"""The coordinator's volunteer page corrects a birth date, a check record and a guardian's consent, showing first
whom a correction releases and why (in Swedish here), and asking before it applies."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import update

from rules_support import audit, held, session, sql, statuses
from service_support import Api
from volunteers.db.models import VolunteerProfile

ALL_DAY = {"rules": [{"weekday": d, "start_time": "06:00:00", "end_time": "23:59:00"} for d in range(7)]}


@pytest.fixture
def api(test_client: Any) -> Any:
    def make(key: str | None = None) -> Api:
        caller = Api(test_client)
        return caller.login(key) if key else caller

    return make


def _held(api, world, key, activity="circle") -> str:
    leader = api("leader_abf" if activity == "circle" else "leader_sisu")
    r = leader.post(f"/api/activities/{world.activities[activity]}/needs", json={"role": "ledare", "count": 2})
    assert r.status_code == 201, r.text
    assert api(key).put(f"/api/volunteers/{world.profiles[key]}/availability", json=ALL_DAY).status_code == 200
    s = session(leader, world.activities[activity], "2026-12-01T20:30:00+01:00", "2026-12-01T22:00:00+01:00")
    return held(api, world, key, s["id"])


def test_a_birth_date_correction_on_the_page_shows_whom_it_releases_then_applies(api, visitor, world, settings):
    aid = _held(api, world, "vol_anna")
    coord = visitor("coordinator", language="sv")
    url = f"/volunteers/{world.profiles['vol_anna']}/birth-date"
    r = coord.post(url, {"correct_birth_date": "2012-06-01"})
    assert r.status_code == 409, r.text
    assert "Rättelsen släpper de här platserna, eftersom en regel inte längre skulle gälla:" in r.text
    assert 'id="release-preview"' in r.text and "Anna Volunteer" in r.text
    assert "inget samtycke från vårdnadshavare finns registrerat" in r.text
    assert f'action="{url}"' in r.text and 'name="confirm" value="yes"' in r.text
    assert 'name="correct_birth_date" value="2012-06-01"' in r.text
    assert statuses(settings)[aid] == "accepted"
    assert coord.post(url, {"correct_birth_date": "12/6"}).status_code == 422
    r = coord.post(url, {"correct_birth_date": "2012-06-01", "confirm": "yes"})
    assert r.status_code == 303, r.text
    assert statuses(settings)[aid] == "cancelled"
    assert audit(settings, world) == []
    # Leaders and volunteers have no such page.
    assert visitor("leader_abf").post(url, {"correct_birth_date": "1990-01-01"}).status_code in (403, 404)


def test_removing_a_check_and_withdrawing_consent_on_the_page_ask_first(api, visitor, world, settings):
    # Arranged through the API first (API calls share the visitors' cookie jar): Anna holds a place with children
    # on her check; Bo, 14 with his guardian's consent, holds a morning place.
    coord_api = api("coordinator")
    anna, bo = world.profiles["vol_anna"], world.profiles["vol_bo"]
    check = coord_api.post(f"/api/volunteers/{anna}/background-checks", json={"seen_on": "2026-11-02"}).json()["id"]
    anna_place = _held(api, world, "vol_anna", activity="football")
    sql(
        settings,
        update(VolunteerProfile)
        .where(VolunteerProfile.id == bo)
        .values(birth_date=dt.date(2012, 6, 1), guardian_consent_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)),
    )
    assert api("vol_bo").put(f"/api/volunteers/{bo}/availability", json=ALL_DAY).status_code == 200
    leader = api("leader_abf")
    assert (
        leader.post(f"/api/activities/{world.activities['circle']}/needs", json={"role": "ledare"}).status_code == 201
    )
    s = session(leader, world.activities["circle"], "2026-12-05T10:00:00+01:00", "2026-12-05T11:30:00+01:00")
    bo_place = held(api, world, "vol_bo", s["id"])

    coord = visitor("coordinator", language="en")
    remove = f"/volunteers/{anna}/background-checks/{check}/remove"
    assert remove in coord.get(f"/volunteers/{anna}").text
    r = coord.post(remove, {})
    assert r.status_code == 409 and "Football U12" in r.text, r.text
    assert statuses(settings)[anna_place] == "accepted"
    assert coord.post(remove, {"confirm": "yes"}).status_code == 303
    assert statuses(settings)[anna_place] == "cancelled"

    withdraw = f"/volunteers/{bo}/guardian-consent/withdraw"
    assert withdraw in coord.get(f"/volunteers/{bo}").text
    r = coord.post(withdraw, {})
    assert r.status_code == 409 and "Swedish circle" in r.text, r.text
    assert "no guardian&#39;s consent is on record" in r.text or "no guardian's consent is on record" in r.text
    assert statuses(settings)[bo_place] == "accepted"
    assert coord.post(withdraw, {"confirm": "yes"}).status_code == 303
    assert statuses(settings)[bo_place] == "cancelled"
    # Given again: the page offers to record it, with who gave it.
    page = coord.get(f"/volunteers/{bo}").text
    assert f'action="/volunteers/{bo}/guardian-consent"' in page
    assert coord.post(f"/volunteers/{bo}/guardian-consent", {"correct_given_by": ""}).status_code == 422
    r = coord.post(f"/volunteers/{bo}/guardian-consent", {"correct_given_by": "Karin Guardian"})
    assert r.status_code == 303, r.text
    assert "Karin Guardian · consent given" in coord.get(f"/volunteers/{bo}").text
    assert audit(settings, world) == []
