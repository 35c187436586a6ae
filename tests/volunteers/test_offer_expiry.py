"""Offers of freed places expire: unanswered in the partnership's time (never past the start), they pass on.

Expiry runs from the periodic jobs (`jobs.run_tick`, as the running service does), at a
moment the test chooses; the offers are read back with SQL of the test's own.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import select

from choose_support import (
    add_need,
    add_session,
    free_evenings,
    hold,
    holders,
    more_volunteers,
    nothing_held_breaks_a_rule,
    open_for_signup,
    outbox,
)
from service_support import NOW, run_db
from volunteers.db.models import PlaceOffer
from volunteers.jobs import run_tick

HOUR = dt.timedelta(hours=1)


def offers(settings, session_id):
    """(volunteer, kind, status, expires_at, group) of every offer of the session, oldest first."""

    async def q(db):
        rows = (
            await db.execute(
                select(PlaceOffer)
                .where(PlaceOffer.session_id == uuid.UUID(session_id))
                .order_by(PlaceOffer.created_at, PlaceOffer.id)
            )
        ).scalars()
        return [(o.volunteer_id, o.kind, o.status, o.expires_at, o.group_id, o.id) for o in rows]

    return run_db(settings, q)


def _session(api, world, start="2026-12-02T18:00:00+01:00", end="2026-12-02T19:30:00+01:00"):
    circle = world.activities["circle"]
    sid = add_session(api, "leader_abf", circle, start, end)
    add_need(api, "leader_abf", circle, role="värd", count=1)
    open_for_signup(api, world, "circle")
    return sid


def _decline(api, volunteer, sid):
    aid = api(volunteer).post(f"/api/open-places/{sid}/take", json={"role": "värd"}).json()["id"]
    r = api(volunteer).post(f"/api/assignments/{aid}/decline", json={"reason": "ill"})
    assert r.status_code == 200, r.text


def test_an_offer_past_its_time_cannot_be_taken_even_before_the_jobs_run(api, world, settings, clock):
    more_volunteers(settings, world, "cleo", "dan")
    sid = _session(api, world)
    free_evenings(api, world, "vol_anna", "cleo", "dan")
    _decline(api, "vol_anna", sid)
    made = offers(settings, sid)
    who = {world.profiles[k]: k for k in ("cleo", "dan")}
    clock.advance(hours=24)  # the offers' time is up; no round of the jobs has run
    taker = who[made[0][0]]
    assert api(taker).get("/api/offers/mine").json() == []
    r = api(taker).post(f"/api/offers/{made[0][5]}/take")
    assert r.status_code == 409 and "expired" in r.text, r.text
    assert holders(settings, sid) == []
    nothing_held_breaks_a_rule(settings, world, clock())


def test_unanswered_offers_expire_and_pass_to_the_next_eligible(api, world, settings):
    crowd = ("cleo", "dan", "eve", "finn", "gus", "hugo", "ida")
    more_volunteers(settings, world, *crowd)
    sid = _session(api, world)
    free_evenings(api, world, "vol_anna", *crowd)  # vol_bo is never free
    _decline(api, "vol_anna", sid)
    first = offers(settings, sid)
    assert len(first) == 3 and {o[2] for o in first} == {"open"}
    assert {o[3] for o in first} == {NOW + 24 * HOUR}  # the default: a day to answer
    shown = [api(k).get("/api/offers/mine").json() for k in crowd]
    assert [o["expires_at"] for mine in shown for o in mine] == ["2026-11-27T13:00:00+01:00"] * 3
    group = first[0][4]

    run_tick(settings, NOW + 23 * HOUR, False)  # not yet
    assert [o[2] for o in offers(settings, sid)] == ["open"] * 3

    run_tick(settings, NOW + 24 * HOUR, False)
    now = offers(settings, sid)
    assert [o[2] for o in now[:3]] == ["expired"] * 3
    second = now[3:]
    asked_first = {o[0] for o in first}
    # Three new offers, to people not asked before, in the same group (the first to take withdraws the rest).
    assert len(second) == 3 and {o[2] for o in second} == {"open"} and {o[4] for o in second} == {group}
    assert not asked_first & {o[0] for o in second}
    assert world.profiles["vol_anna"] not in {o[0] for o in now} and world.profiles["vol_bo"] not in {o[0] for o in now}
    assert {o[3] for o in second} == {NOW + 48 * HOUR}
    assert len(outbox(settings, "place_offer")) == 6

    # An expired offer cannot be taken, and is no longer shown.
    late = next(k for k in crowd if world.profiles[k] == first[0][0])
    assert api(late).get("/api/offers/mine").json() == []
    r = api(late).post(f"/api/offers/{first[0][5]}/take")
    assert r.status_code == 409 and "expired" in r.text, r.text
    # One of the new ones takes it; the others are withdrawn.
    taker = next(k for k in crowd if world.profiles[k] == second[0][0])
    r = api(taker).post(f"/api/offers/{second[0][5]}/take")
    assert r.status_code == 200, r.text
    assert holders(settings, sid) == [(world.profiles[taker], "värd", "accepted")]
    assert sorted(o[2] for o in offers(settings, sid)) == ["expired"] * 3 + ["taken"] + ["withdrawn"] * 2
    # Later rounds change nothing: the place is taken.
    run_tick(settings, NOW + 72 * HOUR, False)
    assert len(offers(settings, sid)) == 6
    nothing_held_breaks_a_rule(settings, world, NOW)


def test_an_offer_never_outlives_the_session_start_and_nothing_passes_on_after(api, world, settings):
    more_volunteers(settings, world, "cleo", "dan")
    # Starts in five hours: the offer's day is cut to the start.
    starts = NOW + 5 * HOUR
    sid = _session(api, world, starts.isoformat(), (starts + HOUR).isoformat())
    free_evenings(api, world, "vol_anna", "cleo", "dan")
    # Too late to cancel an accepted place; a proposal may still be declined.
    aid = hold(settings, world, "vol_anna", sid, "värd", status="proposed")
    r = api("vol_anna").post(f"/api/assignments/{aid}/decline", json={"reason": ""})
    assert r.status_code == 200, r.text
    made = offers(settings, sid)
    assert made and {o[3] for o in made} == {starts}
    run_tick(settings, starts, False)
    after = offers(settings, sid)
    assert [o[2] for o in after] == ["expired"] * len(made)  # and none new: the session has begun
    nothing_held_breaks_a_rule(settings, world, NOW)


def test_the_partnership_sets_the_time_and_a_swap_offer_just_ends(api, world, settings):
    more_volunteers(settings, world, "cleo")
    sid = _session(api, world)
    free_evenings(api, world, "vol_anna", "vol_bo", "cleo")
    r = api("coordinator").put(
        f"/api/partnerships/{world.partnership_id}/signup-settings",
        json={"leader_confirms": False, "open_activity_ids": [str(world.activities["circle"])], "offer_hours": 2},
    )
    assert r.status_code == 200 and r.json()["offer_hours"] == 2, r.text
    for bad in (0, 337, "x"):
        r = api("coordinator").put(
            f"/api/partnerships/{world.partnership_id}/signup-settings",
            json={"leader_confirms": False, "open_activity_ids": [], "offer_hours": bad},
        )
        assert r.status_code == 400 and "offer_hours" in r.text, r.text
    aid = api("vol_anna").post(f"/api/open-places/{sid}/take", json={"role": "värd"}).json()["id"]
    r = api("vol_anna").post(f"/api/assignments/{aid}/swap", json={"to": "vol_bo@test.samverka.se"})
    assert r.status_code == 200, r.text
    [swap] = offers(settings, sid)
    assert swap[3] == NOW + 2 * HOUR
    run_tick(settings, NOW + 2 * HOUR, False)
    [swap] = offers(settings, sid)
    assert swap[2] == "expired"  # no one else is offered Anna's place: she still holds it
    assert holders(settings, sid) == [(world.profiles["vol_anna"], "värd", "accepted")]
    # She may offer it again.
    r = api("vol_anna").post(f"/api/assignments/{aid}/swap", json={"to": "cleo@test.samverka.se"})
    assert r.status_code == 200, r.text
    nothing_held_breaks_a_rule(settings, world, NOW)
