"""The pages of volunteers' own choices: open places with reasons, taking, waiting, offers, own hours."""

from __future__ import annotations

import re

from choose_support import arrange_open_places, hold, holders, nothing_held_breaks_a_rule
from service_support import NOW


def test_open_places_page_says_why_in_swedish_and_takes_a_place(visitor, world, settings):
    ids = arrange_open_places(settings, world)
    bo = visitor("vol_bo", language="sv")
    page = bo.get("/me/open-places").text
    assert "Lediga platser" in page and "Swedish circle" in page
    assert "kräver utdrag ur belastningsregistret för arbete med barn" in page
    assert 'href="/profile#background-check">så får du ett</a>' in page
    assert "kräver ge första hjälpen" in page
    anna = visitor("vol_anna", language="en")
    page = anna.get("/me/open-places").text
    assert "under 16 after 20:00" in page
    r = bo.post(f"/me/open-places/{ids['circle']}/take", {"role": "samtalsledare"})
    assert r.status_code == 303 and r.headers["location"] == "/me/sessions?notice=signed_up"
    # Now full: Anna may only wait, and a take is refused in her words.
    page = anna.get("/me/open-places").text
    assert "all places are taken" in page and "Join the waiting list" in page
    r = anna.post(f"/me/open-places/{ids['circle']}/take", {"role": "samtalsledare"})
    assert r.status_code == 409 and "all places are taken" in r.text
    r = anna.post(f"/me/open-places/{ids['circle']}/wait", {"role": "samtalsledare"})
    assert r.status_code == 303
    assert "On the waiting list" in anna.get("/me/open-places").text
    # Bo cancels with a reason: Anna, waiting, is offered the place on her sessions page and takes it.
    sessions = bo.get("/me/sessions").text
    aid = re.search(r"/me/sessions/([0-9a-f-]{36})/decline", sessions).group(1)
    assert bo.post(f"/me/sessions/{aid}/decline", {"reason": "sjuk"}).status_code == 303
    page = anna.get("/me/sessions").text
    assert "Free places offered to you" in page and "Answer by" in page
    offer = re.search(r"/me/offers/([0-9a-f-]{36})/take", page).group(1)
    assert anna.post(f"/me/offers/{offer}/take").status_code == 303
    assert [h[0] for h in holders(settings, ids["circle"])] == [world.profiles["vol_anna"]]
    nothing_held_breaks_a_rule(settings, world, NOW)


def test_own_hours_pages_report_and_approve(visitor, world, settings):
    ids = arrange_open_places(settings, world)
    hold(settings, world, "vol_anna", ids["circle"], "samtalsledare")
    anna = visitor("vol_anna", language="en")
    page = anna.get("/me/hours").text
    assert "Swedish circle" in page
    r = anna.post(
        "/me/hours",
        {"activity_id": str(world.activities["circle"]), "worked_on": "2026-11-20", "minutes": "abc", "kind": "trip"},
    )
    assert r.status_code == 422 and "whole number" in r.text
    r = anna.post(
        "/me/hours",
        {
            "activity_id": str(world.activities["circle"]),
            "worked_on": "2026-11-20",
            "minutes": "45",
            "kind": "trip",
            "note": "museum",
        },
    )
    assert r.status_code == 303
    assert "Waiting for the leader" in anna.get("/me/hours").text
    leader = visitor("leader_abf", language="sv")
    page = leader.get("/own-hours").text
    assert "Anna Volunteer" in page and "museum" in page
    hid = re.search(r"/own-hours/([0-9a-f-]{36})/decide", page).group(1)
    assert leader.post(f"/own-hours/{hid}/decide", {"decision": "approve"}).status_code == 303
    assert "Approved" in anna.get("/me/hours").text
    # Approved time counts as verified, named in her language rather than by its code.
    experience = visitor("vol_anna", language="sv").get("/me/experience").text
    assert "Resa: 0,8" in experience and "trip:" not in experience
    assert visitor("vol_bo").get("/own-hours").status_code in (403, 404)


def test_coordinator_opens_activities_and_leader_confirms_signups(visitor, world, settings):
    ids = arrange_open_places(settings, world)
    coord = visitor("coordinator", language="en")
    page = coord.get("/signup-settings").text
    assert "Activities open for sign-up" in page
    # Only the circle stays open, and leaders confirm sign-ups.
    r = coord.post(
        f"/signup-settings/{world.partnership_id}",
        {"open": [str(world.activities["circle"])], "leader_confirms": "yes", "offer_hours": "12"},
    )
    assert r.status_code == 303
    assert visitor("leader_abf").get("/signup-settings").status_code in (403, 404)
    bo = visitor("vol_bo", language="en")
    assert ids["late"] not in bo.get("/me/open-places").text
    r = bo.post(f"/me/open-places/{ids['circle']}/take", {"role": "samtalsledare"})
    assert r.headers.get("location") == "/me/sessions?notice=signed_up_waiting"
    leader = visitor("leader_abf", language="sv")
    page = leader.get("/activities").text
    assert "Anmälningar som väntar på ditt ja" in page and "Bo Volunteer" in page
    aid = re.search(r"/signups/([0-9a-f-]{36})/answer", page).group(1)
    assert visitor("leader_sisu").post(f"/signups/{aid}/answer", {"answer": "yes"}).status_code == 404
    assert leader.post(f"/signups/{aid}/answer", {"answer": "yes"}).status_code == 303
    assert holders(settings, ids["circle"]) == [(world.profiles["vol_bo"], "samtalsledare", "accepted")]
    nothing_held_breaks_a_rule(settings, world, NOW)
