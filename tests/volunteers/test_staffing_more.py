"""Hand assignment, staff requests, calendar feed, cancellations and notifications by SMTP."""

from __future__ import annotations

import asyncio
import datetime as dt
import multiprocessing
import os
import signal
import uuid
from concurrent.futures import ProcessPoolExecutor
from types import SimpleNamespace

import pytest
from aiosmtpd.controller import Controller
from icalendar import Calendar
from litestar.testing import TestClient
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import async_sessionmaker

from mail_support import Inbox, free_port
from service_support import Api, run_db
from volunteers.app import create_app
from volunteers.clock import FixedClock
from volunteers.db.engine import create_engine
from volunteers.db.models import Assignment, AssignmentEvent, MatchRun, OutboxMessage, Partnership
from volunteers.jobs import Jobs, queue_reminders
from volunteers.notify import send_pending
from volunteers.staffing.solver import Solver

TUESDAYS = {"rules": [{"weekday": 1, "start_time": "16:00:00", "end_time": "21:00:00"}]}


def arrange(api, world, activity="football", need=None):
    leader = api("leader_sisu" if activity == "football" else "leader_abf")
    series = {
        "recurrence": {
            "weekday": 1,
            "start_time": "17:00:00",
            "end_time": "18:30:00",
            "first_date": "2026-12-01",
            "last_date": "2026-12-08",
        }
    }
    sessions = leader.post(f"/api/activities/{world.activities[activity]}/sessions", json=series).json()
    need = need or {"role": "ledare", "count": 1}
    assert leader.post(f"/api/activities/{world.activities[activity]}/needs", json=need).status_code == 201
    for key in ("vol_anna", "vol_bo"):
        caller = api(key)
        assert caller.put(f"/api/volunteers/{world.profiles[key]}/availability", json=TUESDAYS).status_code == 200
    return leader, sessions


def test_hand_assignment_breaking_a_rule_is_refused_with_the_rule_named(api, world, settings):
    _, sessions = arrange(api, world)
    coord = api("coordinator")
    body = {"volunteer_id": str(world.profiles["vol_bo"]), "role": "ledare"}
    r = coord.post(f"/api/sessions/{sessions[0]['id']}/assignments", json=body)
    assert r.status_code == 409
    assert r.json()["code"] == "no_valid_check"
    assert "background check" in r.json()["detail"]

    async def count(db):
        return len((await db.execute(select(Assignment))).all())

    assert run_db(settings, count) == 0
    coord.post(f"/api/volunteers/{world.profiles['vol_bo']}/background-checks", json={"seen_on": "2026-11-02"})
    r = coord.post(f"/api/sessions/{sessions[0]['id']}/assignments", json=body)
    assert r.status_code == 201, r.text
    assert r.json()["status"] == "proposed"
    # A role the session does not need is named as the bad field.
    r = coord.post(f"/api/sessions/{sessions[1]['id']}/assignments", json={**body, "role": "kock"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "role"


def test_hand_assignment_outside_availability_is_refused(api, world):
    _, sessions = arrange(api, world, activity="circle")
    anna = api("vol_anna")
    anna.put(f"/api/volunteers/{world.profiles['vol_anna']}/availability", json={"rules": []})
    r = api("coordinator").post(
        f"/api/sessions/{sessions[0]['id']}/assignments",
        json={"volunteer_id": str(world.profiles["vol_anna"]), "role": "ledare"},
    )
    assert r.status_code == 409
    assert r.json()["code"] == "not_available"


def test_leader_request_publishes_directly_when_the_partnership_says_so(api, world, settings):
    async def policy(db):
        await db.execute(update(Partnership).values(leader_requests_publish_directly=True))

    run_db(settings, policy)
    leader, sessions = arrange(api, world, activity="circle")
    r = leader.post("/api/staff-requests", json={"session_id": sessions[0]["id"]})
    assert r.status_code == 202, r.text
    review = leader.get(f"/api/match-runs/{r.json()['id']}?wait=30").json()
    assert review["run"]["status"] == "published", review["run"]
    assert [s["session_id"] for s in review["sessions"]] == [sessions[0]["id"]]
    staffing = leader.get(f"/api/sessions/{sessions[0]['id']}/staffing").json()
    assert staffing["roles"][0]["filled"] == 1
    # Another partner's leader neither asks for nor sees this session's staff.
    other = api("leader_sisu")
    assert other.post("/api/staff-requests", json={"session_id": sessions[0]["id"]}).status_code == 403
    assert other.get(f"/api/sessions/{sessions[0]['id']}/staffing").status_code == 404


def test_leader_request_waits_for_review_by_default(api, world):
    leader, _ = arrange(api, world, activity="circle")
    r = leader.post(
        "/api/staff-requests",
        json={"activity_id": str(world.activities["circle"]), "start": "2026-12-01", "end": "2026-12-08"},
    )
    review = leader.get(f"/api/match-runs/{r.json()['id']}?wait=30").json()
    assert review["run"]["status"] == "done"
    assert review["run"]["filled"] == 2
    assert api("vol_anna").get("/api/assignments/mine").json() == []
    assert leader.post(f"/api/match-runs/{r.json()['id']}/publish").status_code == 403


def publish_period(api, world):
    coord = api("coordinator")
    r = coord.post(
        "/api/match-runs",
        json={"partnership_id": str(world.partnership_id), "start": "2026-11-30", "end": "2026-12-13"},
    )
    review = coord.get(f"/api/match-runs/{r.json()['id']}?wait=30").json()
    assert review["run"]["status"] == "done", review
    assert coord.post(f"/api/match-runs/{r.json()['id']}/publish").status_code == 201
    return coord


def test_replanning_withdraws_proposals_it_no_longer_makes_and_tells_the_volunteer(api, world, settings, clock):
    arrange(api, world, activity="circle", need={"role": "ledare", "count": 2})
    coord = publish_period(api, world)

    async def state(db):
        rows = (await db.execute(select(Assignment))).scalars().all()
        events = (await db.execute(select(AssignmentEvent))).scalars().all()
        outbox = (await db.execute(select(OutboxMessage))).scalars().all()
        return rows, events, outbox

    first, events, outbox = run_db(settings, state)
    assert len(first) == 4 and {a.status.value for a in first} == {"proposed"}
    # Every new proposal has its history and its notice, linked to the volunteer's page.
    assert sorted((e.assignment_id, e.from_status, e.to_status) for e in events) == sorted(
        (a.id, None, "proposed") for a in first
    )
    notified = sorted(m.dedupe_key.split(":")[1] for m in outbox if m.kind == "proposal")
    assert notified == sorted(str(a.id) for a in first)
    assert all("/me/sessions" in m.body for m in outbox)

    # Bo can no longer come on Tuesdays: he is shown the proposals this gives up (409) and confirms;
    # they are released with the rule as the reason (not his no), and he is told. The rerun keeps Anna.
    bo = api("vol_bo")
    r = bo.put(f"/api/volunteers/{world.profiles['vol_bo']}/availability", json={"rules": []})
    assert r.status_code == 409 and {x["code"] for x in r.json()["affected"]} == {"not_available"}
    assert len(r.json()["affected"]) == 2
    r = bo.put(f"/api/volunteers/{world.profiles['vol_bo']}/availability", json={"rules": [], "confirm": True})
    assert r.status_code == 200, r.text
    r = coord.post(
        "/api/match-runs",
        json={"partnership_id": str(world.partnership_id), "start": "2026-11-30", "end": "2026-12-13"},
    )
    review = coord.get(f"/api/match-runs/{r.json()['id']}?wait=30").json()
    assert review["run"]["status"] == "done", review
    assert review["changes"]["kept"] == 2 and review["changes"]["removed"] == []
    assert coord.post(f"/api/match-runs/{r.json()['id']}/publish").status_code == 201

    after, events, outbox = run_db(settings, state)
    by_id = {a.id: a for a in after}
    bos = [a for a in first if a.volunteer_id == world.profiles["vol_bo"]]
    assert len(bos) == 2
    for a in bos:
        assert by_id[a.id].status.value == "cancelled" and "not available" in by_id[a.id].reason
        assert not by_id[a.id].excludes  # released by a rule, not Bo's no
    annas = [a for a in first if a.volunteer_id == world.profiles["vol_anna"]]
    assert all(by_id[a.id].status.value == "proposed" for a in annas)
    withdrawn = [e for e in events if e.to_status == "cancelled"]
    assert sorted((e.assignment_id, e.from_status) for e in withdrawn) == sorted((a.id, "proposed") for a in bos)
    assert all(e.reason.startswith("released (not_available)") for e in withdrawn)
    released = [m for m in outbox if m.kind == "released"]
    assert sorted(m.to_address for m in released) == ["vol_bo@test.samverka.se"] * 2
    assert len([m for m in outbox if m.kind == "proposal"]) == 4  # nothing new to propose

    # A withdrawn proposal was not a no: when Bo can come again (an hour later), he is proposed again.
    clock.now += dt.timedelta(hours=1)
    assert bo.put(f"/api/volunteers/{world.profiles['vol_bo']}/availability", json=TUESDAYS).status_code == 200
    r = coord.post(
        "/api/match-runs",
        json={"partnership_id": str(world.partnership_id), "start": "2026-11-30", "end": "2026-12-13"},
    )
    review = coord.get(f"/api/match-runs/{r.json()['id']}?wait=30").json()
    assert len(review["changes"]["added"]) == 2, review["changes"]
    assert coord.post(f"/api/match-runs/{r.json()['id']}/publish").status_code == 201
    again, events, outbox = run_db(settings, state)
    assert len(again) == 4  # the same rows, proposed again
    assert all(a.status.value == "proposed" for a in again)
    back = [e for e in events if e.from_status == "cancelled" and e.to_status == "proposed"]
    assert sorted(e.assignment_id for e in back) == sorted(a.id for a in bos)
    assert len([m for m in outbox if m.kind == "proposal" and m.to_address == "vol_bo@test.samverka.se"]) == 4


def test_calendar_feed_lists_accepted_sessions_only(api, world, settings):
    arrange(api, world, activity="circle", need={"role": "ledare", "count": 2})
    publish_period(api, world)
    anna = api("vol_anna")
    first, _ = anna.get("/api/assignments/mine").json()
    anna.post(f"/api/assignments/{first['id']}/accept")
    from volunteers.db.models import VolunteerProfile

    async def token(db):
        return (
            await db.execute(
                select(VolunteerProfile.calendar_token).where(VolunteerProfile.id == world.profiles["vol_anna"])
            )
        ).scalar_one()

    r = api().get(f"/calendar/{run_db(settings, token)}.ics")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/calendar")
    events = [c for c in Calendar.from_ical(r.content).walk("VEVENT")]
    assert len(events) == 1
    assert events[0]["summary"] == "Swedish circle (ledare)"
    assert events[0].decoded("dtstart") == dt.datetime(2026, 12, 1, 16, 0, tzinfo=dt.UTC)
    assert api().get("/calendar/not-a-real-token.ics").status_code == 404


def test_volunteer_cannot_cancel_after_the_deadline(api, world, clock):
    arrange(api, world, activity="circle", need={"role": "ledare", "count": 2})
    publish_period(api, world)
    anna = api("vol_anna")
    first = anna.get("/api/assignments/mine").json()[0]
    anna.post(f"/api/assignments/{first['id']}/accept")
    clock.now = dt.datetime(2026, 12, 1, 6, 0, tzinfo=dt.UTC)  # 10 h before the session
    r = anna.post(f"/api/assignments/{first['id']}/decline", json={"reason": "sick"})
    assert r.status_code == 409 and r.json()["code"] == "cancel_deadline_passed"


def test_cancelled_session_frees_and_tells_everyone(api, world, settings):
    leader, sessions = arrange(api, world, activity="circle", need={"role": "ledare", "count": 2})
    publish_period(api, world)
    r = leader.patch(f"/api/sessions/{sessions[0]['id']}", json={"status": "cancelled"})
    assert r.status_code == 200, r.text

    async def state(db):
        holds = [a for a in (await db.execute(select(Assignment))).scalars() if str(a.session_id) == sessions[0]["id"]]
        kinds = sorted((await db.execute(select(OutboxMessage.kind))).scalars())
        return [a.status.value for a in holds], kinds

    statuses, kinds = run_db(settings, state)
    assert statuses == ["cancelled", "cancelled"]
    assert kinds.count("session_cancelled") == 2


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


def test_proposals_and_reminders_arrive_by_smtp(api, world, settings, clock, smtp):
    controller, inbox = smtp
    arrange(api, world, activity="circle", need={"role": "ledare", "count": 2})
    publish_period(api, world)
    mailer = settings.__class__(**{**settings.__dict__, "smtp_host": "127.0.0.1", "smtp_port": controller.port})

    async def deliver(now):
        engine = create_engine(mailer)
        try:
            maker = async_sessionmaker(engine, expire_on_commit=False)
            async with maker() as db:
                await queue_reminders(db, now, "http://x")
                await db.commit()
            return await send_pending(maker, mailer, now)
        finally:
            await engine.dispose()

    assert asyncio.run(deliver(clock.now)) == 4  # two proposals each for Anna and Bo
    recipients = sorted(r[0] for r, _ in inbox.messages)
    assert recipients == ["vol_anna@test.samverka.se"] * 2 + ["vol_bo@test.samverka.se"] * 2
    assert all("Swedish circle" in body for _, body in inbox.messages)
    anna = api("vol_anna")
    first = anna.get("/api/assignments/mine").json()[0]
    anna.post(f"/api/assignments/{first['id']}/accept")
    day_before = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)
    assert asyncio.run(deliver(day_before)) == 1
    assert asyncio.run(deliver(day_before + dt.timedelta(minutes=5))) == 0  # once only
    assert "Reminder" in inbox.messages[-1][1] or "Påminnelse" in inbox.messages[-1][1]


def test_periodic_jobs_remind_and_send_from_their_worker_process_once(api, world, settings, smtp):
    controller, inbox = smtp
    arrange(api, world, activity="circle", need={"role": "ledare", "count": 2})
    publish_period(api, world)
    anna = api("vol_anna")
    first = anna.get("/api/assignments/mine").json()[0]
    assert anna.post(f"/api/assignments/{first['id']}/accept").status_code == 200
    mailer = settings.__class__(**{**settings.__dict__, "smtp_host": "127.0.0.1", "smtp_port": controller.port})
    day_before = FixedClock(dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC))
    jobs = Jobs(SimpleNamespace(settings=mailer, clock=day_before))

    async def two_rounds():
        try:
            await jobs.tick()
            day_before.advance(minutes=5)
            await jobs.tick()
        finally:
            await jobs.stop()

    asyncio.run(two_rounds())
    reminders = [r for r, body in inbox.messages if "Reminder" in body or "Påminnelse" in body]
    assert reminders and [r[0] for r in reminders] == ["vol_anna@test.samverka.se"]  # once only
    assert len(inbox.messages) == 5  # and the four proposals still in the outbox


def test_accepted_slot_that_now_breaks_a_rule_is_not_pinned_and_the_run_warns(api, world, settings):
    from volunteers.db.models import BackgroundCheck

    _, sessions = arrange(api, world)  # football: children, so the check matters
    coord = api("coordinator")
    coord.post(f"/api/volunteers/{world.profiles['vol_anna']}/background-checks", json={"seen_on": "2026-11-02"})
    r = coord.post(
        f"/api/sessions/{sessions[0]['id']}/assignments",
        json={"volunteer_id": str(world.profiles["vol_anna"]), "role": "ledare"},
    )
    anna = api("vol_anna")
    assert anna.post(f"/api/assignments/{r.json()['id']}/accept").status_code == 200

    async def backdate(db):  # the check on record turns out to be older than thought
        await db.execute(update(BackgroundCheck).values(seen_on=dt.date(2025, 6, 1)))

    run_db(settings, backdate)
    r = coord.post(
        "/api/match-runs",
        json={"partnership_id": str(world.partnership_id), "start": "2026-11-30", "end": "2026-12-13"},
    )
    review = coord.get(f"/api/match-runs/{r.json()['id']}?wait=30").json()
    assert review["run"]["status"] == "done", review["run"]
    assert [(w["volunteer"], w["code"]) for w in review["run"]["warnings"]] == [
        (str(world.profiles["vol_anna"]), "no_valid_check")
    ]
    assert all("Anna Volunteer" not in slot["proposed"] for s in review["sessions"] for slot in s["slots"])


def stored_run(settings, run_id):
    async def q(db):
        run = await db.get(MatchRun, uuid.UUID(run_id))
        return run.status.value, run.error, run.problem, run.plan, run.finished_at

    return run_db(settings, q)


def test_run_that_fails_in_its_worker_is_failed_with_the_reason(api, world, settings):
    async def break_policy(db):
        # Past the API's validation: the matcher refuses the problem built from this policy.
        await db.execute(update(Partnership).values(background_check_valid_days=-1))

    arrange(api, world)
    run_db(settings, break_policy)
    coord = api("coordinator")
    period = {"partnership_id": str(world.partnership_id), "start": "2026-12-01", "end": "2026-12-08"}
    r = coord.post("/api/match-runs", json=period)
    assert r.status_code == 202, r.text
    run = coord.get(f"/api/match-runs/{r.json()['id']}?wait=30").json()["run"]
    assert run["status"] == "failed"
    assert run["error"] == "ProblemError: policy.background_check_valid_days: must be at least 0"
    status, _, problem, plan, finished = stored_run(settings, r.json()["id"])
    assert (status, problem, plan) == ("failed", None, None) and finished is not None


def test_run_whose_solver_worker_died_is_failed_and_keeps_nothing(world, settings, clock):
    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
    os.kill(pool.submit(os.getpid).result(), signal.SIGKILL)  # the worker dies (OOM killer, a crash)
    try:
        app = create_app(settings, clock=clock, solver=Solver(pool))
        with TestClient(app, base_url="http://testserver.local") as c:
            coord = Api(c).login("coordinator")
            r = coord.post(
                "/api/match-runs",
                json={"partnership_id": str(world.partnership_id), "start": "2026-12-01", "end": "2026-12-08"},
            )
            assert r.status_code == 202, r.text
            run = coord.get(f"/api/match-runs/{r.json()['id']}?wait=30").json()["run"]
    finally:
        pool.shutdown()
    assert run["status"] == "failed" and run["error"].startswith("BrokenProcessPool")
    status, _, problem, plan, _ = stored_run(settings, r.json()["id"])
    assert (status, problem, plan) == ("failed", None, None)
