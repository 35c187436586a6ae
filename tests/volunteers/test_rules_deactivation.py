"""Deactivating an account that volunteers: its held future places are listed (409), then released once confirmed."""

from __future__ import annotations

from sqlalchemy import insert

from rules_support import audit, held, outbox, session, sql, statuses
from volunteers.db.models import Membership, Role

ALL_DAY = {"rules": [{"weekday": d, "start_time": "06:00:00", "end_time": "23:59:00"} for d in range(7)]}


def _anna_also_leads(api, world):
    """Anna volunteers and also leads for ABF, so the roles page can deactivate her account."""
    leader = api("leader_abf")
    r = leader.post(f"/api/activities/{world.activities['circle']}/needs", json={"role": "ledare", "count": 1})
    assert r.status_code == 201, r.text
    assert (
        api("vol_anna").put(f"/api/volunteers/{world.profiles['vol_anna']}/availability", json=ALL_DAY).status_code
        == 200
    )
    s = session(leader, world.activities["circle"], "2026-12-01T17:00:00+01:00", "2026-12-01T18:30:00+01:00")
    aid = held(api, world, "vol_anna", s["id"])
    return aid


def _make_leader(settings, world):
    sql(
        settings,
        insert(Membership).values(
            user_id=world.users["vol_anna"],
            partnership_id=world.partnership_id,
            role=Role.LEADER,
            partner_id=world.partners["abf"],
        ),
    )


def test_deactivating_an_account_with_held_places_lists_them_then_releases_them_once_confirmed(api, world, settings):
    aid = _anna_also_leads(api, world)
    _make_leader(settings, world)
    coord, pid, uid = api("coordinator"), world.partnership_id, world.users["vol_anna"]
    r = coord.post(f"/api/partnerships/{pid}/staff/{uid}/deactivate")
    assert r.status_code == 409, r.text
    body = r.json()
    assert body["code"] == "would_release"
    assert [(x["assignment_id"], x["code"]) for x in body["affected"]] == [(aid, "volunteer_inactive")]
    assert body["affected"][0]["message"] == "the account was deactivated"
    # Nothing was applied: she still logs in and still holds the place.
    assert api("vol_anna").get("/api/auth/me").status_code == 200
    assert statuses(settings)[aid] == "accepted"

    r = coord.post(f"/api/partnerships/{pid}/staff/{uid}/deactivate", json={"confirm": True})
    assert r.status_code == 204, r.text
    assert statuses(settings)[aid] == "cancelled"
    assert audit(settings, world) == []
    told = [(to, body) for to, kind, body in outbox(settings) if kind == "released_leader"]
    assert [to for to, _ in told] == ["leader_abf"]
    assert "Anna Volunteer" in told[0][1] and "the account was deactivated" in told[0][1]


def test_deactivating_staff_who_hold_nothing_needs_no_confirmation(api, world):
    coord = api("coordinator")
    r = coord.post(f"/api/partnerships/{world.partnership_id}/staff/{world.users['leader_sisu']}/deactivate")
    assert r.status_code == 204, r.text
