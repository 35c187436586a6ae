"""Every read of a background check's status is audited: "seen by whom, when", the volunteer's own reads too.

The audit log is read back with SQL of the test's own; each page or call that shows a
status (the volunteer's profile, the coordinators' running-out list, their page of the
volunteer, the rules' watch) must leave one `background_check.viewed` entry per volunteer
shown, naming the reader, at the service clock's day, and never the check's date.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from choose_support import add_session, hold, record_check
from service_support import Api, run_db
from volunteers.db.models import AuditEntry


def _viewed(settings):
    async def q(db):
        rows = (
            await db.execute(
                select(AuditEntry).where(AuditEntry.action == "background_check.viewed").order_by(AuditEntry.created_at)
            )
        ).scalars()
        return [(e.actor_id, e.subject_id, e.partnership_id, e.detail, e.created_at) for e in rows]

    return run_db(settings, q)


def test_every_read_of_check_status_is_audited(visitor, test_client, world, settings):
    anna = world.profiles["vol_anna"]
    # Anna's extract runs out on 10 December; she holds a children's session after that.
    record_check(settings, world, "vol_anna", dt.date(2025, 12, 10))
    coord_api = Api(test_client).login("coordinator")
    sid = add_session(
        lambda key: Api(test_client).login(key),
        "leader_sisu",
        world.activities["football"],
        "2026-12-15T17:00:00+01:00",
        "2026-12-15T18:30:00+01:00",
    )
    hold(settings, world, "vol_anna", sid, "tränare")
    assert _viewed(settings) == []
    started = dt.datetime.now(dt.UTC)

    # Her own profile shows her status: audited as read by her, each time.
    page = visitor("vol_anna", language="en").get("/profile").text
    assert "valid until" in page.lower()
    visitor("vol_anna", language="en").get("/profile")
    own = _viewed(settings)
    assert [(a, s, p, d["view"]) for a, s, p, d, _ in own] == [
        (world.users["vol_anna"], str(anna), world.partnership_id, "own")
    ] * 2
    assert all("2025-12-10" not in str(d) and "seen_on" not in d for _, _, _, d, _ in own)
    assert all(started - dt.timedelta(seconds=5) <= t <= dt.datetime.now(dt.UTC) for *_, t in own)

    # The coordinators' list of checks running out names her and the end date.
    page = visitor("coordinator", language="en").get("/volunteers").text
    assert "Anna Volunteer" in page
    after_list = _viewed(settings)[2:]
    assert [(a, s, d["view"]) for a, s, _, d, _ in after_list] == [
        (world.users["coordinator"], str(anna), "running_out")
    ]

    # Their page of her (the records themselves) and the rules' watch warning of her check.
    visitor("coordinator", language="en").get(f"/volunteers/{anna}")
    r = coord_api.post(f"/api/partnerships/{world.partnership_id}/rules-watch", json={})
    assert r.status_code == 200 and [w["volunteer_id"] for w in r.json()["warnings"]] == [str(anna)], r.text
    later = _viewed(settings)[3:]
    assert [(a, s) for a, s, *_ in later] == [(world.users["coordinator"], str(anna))] * 2
    assert later[1][3]["view"] == "rules_watch"

    # Somebody with no check shows none and the read is still audited; a volunteer cannot read another's.
    before = len(_viewed(settings))
    visitor("vol_bo", language="sv").get("/profile")
    assert _viewed(settings)[before:][0][:2] == (world.users["vol_bo"], str(world.profiles["vol_bo"]))
    assert Api(test_client).login("vol_bo").get(f"/api/volunteers/{anna}/background-checks").status_code == 403
    assert len(_viewed(settings)) == before + 1
