"""Sign-up settings are per partnership: a coordinator of two edits each, and nobody edits a partnership not theirs.

The page and the API both; what is stored is read back with SQL of the test's own.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select

from service_support import Api, run_db
from volunteers.db.models import Activity, ActivityKind, Membership, Partnership, Role, TargetGroup


def _second_partnership_for_the_coordinator(settings, world):
    """The world's coordinator also coordinates "other", which has an activity of its own."""

    async def arrange(db):
        db.add(
            Membership(
                user_id=world.users["coordinator"], partnership_id=world.other_partnership_id, role=Role.COORDINATOR
            )
        )
        act = Activity(
            partnership_id=world.other_partnership_id,
            partner_id=world.partners["elsewhere"],
            name="Chess club",
            kind=ActivityKind.STUDY_CIRCLE,
            target_group=TargetGroup.ADULTS,
            place="Library",
        )
        db.add(act)
        await db.flush()
        return act.id

    return run_db(settings, arrange)


def _stored(settings):
    async def q(db):
        parts = {
            p.id: (p.signup_leader_confirms, p.offer_hours) for p in (await db.execute(select(Partnership))).scalars()
        }
        open_ = {a.id for a in (await db.execute(select(Activity).where(Activity.open_for_signup.is_(True)))).scalars()}
        return parts, open_

    return run_db(settings, q)


def test_a_coordinator_of_two_partnerships_edits_each_one_apart(visitor, world, settings):
    chess = _second_partnership_for_the_coordinator(settings, world)
    coord = visitor("coordinator", language="en")
    page = coord.get("/signup-settings").text
    assert "IOP Elsewhere" in page and "Pettersberg" in page  # she may choose either
    page = coord.get(f"/signup-settings?partnership={world.other_partnership_id}").text
    assert "Chess club" in page and "Swedish circle" not in page
    assert f'action="/signup-settings/{world.other_partnership_id}"' in page
    r = coord.post(
        f"/signup-settings/{world.other_partnership_id}",
        {"open": [str(chess)], "leader_confirms": "yes", "offer_hours": "6"},
    )
    assert r.status_code == 303, r.text
    parts, open_ = _stored(settings)
    assert parts[world.other_partnership_id] == (True, 6)
    assert parts[world.partnership_id] == (False, 24)  # the first partnership is untouched
    assert open_ == {chess}
    # The first one's page still shows its own settings and saves only its own.
    r = coord.post(f"/signup-settings/{world.partnership_id}", {"open": [str(world.activities["circle"])]})
    assert r.status_code == 303
    parts, open_ = _stored(settings)
    assert parts[world.other_partnership_id] == (True, 6) and open_ == {chess, world.activities["circle"]}
    # A bad time to answer is refused, naming the field, and nothing changes.
    r = coord.post(f"/signup-settings/{world.partnership_id}", {"open": [], "offer_hours": "0"})
    assert r.status_code == 422 and "from 1 to 336" in r.text
    assert _stored(settings)[1] == {chess, world.activities["circle"]}


def test_a_coordinator_cannot_edit_another_partnerships_settings(visitor, test_client, world, settings):
    def api(key):
        return Api(test_client).login(key)

    before = _stored(settings)
    coord = visitor("coordinator", language="en")  # coordinates Pettersberg only
    other = world.other_partnership_id
    assert coord.get(f"/signup-settings?partnership={other}").status_code == 404
    # Her own activity's id in the other partnership's form opens nothing there, nor here.
    r = coord.post(f"/signup-settings/{other}", {"open": [str(world.activities["circle"])], "leader_confirms": "yes"})
    assert r.status_code == 404
    r = coord.post(f"/signup-settings/{uuid.uuid4()}", {"leader_confirms": "yes"})
    assert r.status_code == 404
    r = api("coordinator").put(
        f"/api/partnerships/{other}/signup-settings",
        json={"leader_confirms": True, "open_activity_ids": [], "offer_hours": 1},
    )
    assert r.status_code == 404, r.text
    # Nor may a leader or a volunteer edit any.
    for key in ("leader_abf", "vol_anna"):
        assert visitor(key).post(
            f"/signup-settings/{world.partnership_id}", {"leader_confirms": "yes"}
        ).status_code in (403, 404)
        r = api(key).put(
            f"/api/partnerships/{world.partnership_id}/signup-settings",
            json={"leader_confirms": True, "open_activity_ids": []},
        )
        assert r.status_code in (403, 404), r.text
    assert _stored(settings) == before
