"""A volunteer sees their background check; reminders 30 days ahead; what running-out checks cost."""

from __future__ import annotations

import datetime as dt

from choose_support import add_session, hold, outbox, record_check
from service_support import NOW, run_db
from volunteers.staffing.checks import queue_check_reminders

TODAY = NOW.date()  # 2026-11-26


def _queue(settings):
    return run_db(settings, lambda db: queue_check_reminders(db, NOW, "http://x"))


def test_volunteer_sees_status_and_end_date_and_how_to_get_one(api, world, settings):
    anna, bo = api("vol_anna"), api("vol_bo")
    page = bo.get("/profile").text
    assert "We have not seen an extract" in page and "polisen.se" in page
    record_check(settings, world, "vol_anna", TODAY - dt.timedelta(days=350))  # valid until 11 Dec 2026
    page = anna.get("/profile").text
    assert "valid until 11 December 2026" in page and "15 days left" in page and "polisen.se" in page
    record_check(settings, world, "vol_anna", TODAY - dt.timedelta(days=10))
    page = anna.get("/profile").text
    assert "valid until 16 November 2027" in page and "polisen.se" not in page


def test_reminder_once_to_volunteer_and_coordinators_30_days_ahead(world, settings):
    record_check(settings, world, "vol_anna", TODAY - dt.timedelta(days=340))  # 25 days left
    record_check(settings, world, "vol_bo", TODAY - dt.timedelta(days=300))  # 65 days left: not yet
    assert _queue(settings) == 2
    assert _queue(settings) == 2  # queued again, kept once (dedupe)
    sent = outbox(settings, "check_running_out")
    assert sorted(to for to, _, _ in sent) == ["coordinator@test.samverka.se", "vol_anna@test.samverka.se"]
    # The other partnership's coordinator hears nothing; Bo's turn comes later.
    assert not any("bo" in to or "other" in to for to, _, _ in sent)
    # A newer check seen: no reminder for it until it runs out in turn.
    record_check(settings, world, "vol_anna", TODAY)
    before = len(outbox(settings, "check_running_out"))
    _queue(settings)
    assert len(outbox(settings, "check_running_out")) == before


def test_coordinator_sees_places_running_out_checks_cost(api, world, settings):
    football, circle = world.activities["football"], world.activities["circle"]
    soon = add_session(api, "leader_sisu", football, "2026-12-08T17:00:00+01:00", "2026-12-08T18:00:00+01:00")
    later = add_session(api, "leader_sisu", football, "2026-12-15T17:00:00+01:00", "2026-12-15T18:00:00+01:00")
    adults = add_session(api, "leader_abf", circle, "2026-12-15T17:00:00+01:00", "2026-12-15T18:00:00+01:00")
    record_check(settings, world, "vol_anna", TODAY - dt.timedelta(days=355))  # valid until 6 Dec 2026
    for sid in (soon, later, adults):
        hold(settings, world, "vol_anna", sid, "ledare")
    page = api("coordinator").get("/volunteers").text
    assert "will cost 2 held places" in page and "Anna Volunteer" in page
    # Leaders do not get the page.
    assert api("leader_sisu").get("/volunteers").status_code in (403, 404)
