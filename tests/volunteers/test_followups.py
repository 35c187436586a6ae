"""Follow-up answers: given with consent, read only by the volunteer, reminded once per period."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select, update

from service_support import NOW, run_db
from volunteers.db.models import Consent, FollowUp, OutboxMessage, User, VolunteerProfile
from volunteers.followup import queue_followup_reminders

ANSWER = {
    "situation": "working",
    "helped": ["reference", "skills"],
    "comment": "Got the job at the library.",
    "consent": True,
    "wording_version": "followup-2026-1",
}


def _count(settings: Any, model: Any, *where: Any) -> int:
    async def q(db: Any) -> int:
        return int(await db.scalar(select(func.count()).select_from(model).where(*where)))

    return run_db(settings, q)


def test_volunteer_answers_with_consent_and_reads_their_own_history(api: Any, world: Any, settings: Any) -> None:
    anna = api("vol_anna")
    r = anna.post("/api/me/follow-ups", json=ANSWER)
    assert r.status_code == 201, r.text
    assert r.json()["answered_on"] == "2026-11-26" and r.json()["helped"] == ["reference", "skills"]
    again = anna.post("/api/me/follow-ups", json=ANSWER | {"situation": "studying"})  # same day: replaces
    assert again.status_code == 201
    mine = anna.get("/api/me/follow-ups").json()
    assert [a["situation"] for a in mine["answers"]] == ["studying"]
    assert mine["consent_given"] is True and mine["next_due"] == "2027-05-26"
    assert anna.get(f"/api/volunteers/{world.profiles['vol_anna']}/follow-ups").status_code == 200
    consents = _count(settings, Consent, Consent.kind == "followup", Consent.wording_version == "followup-2026-1")
    assert consents == 1


def test_an_answer_without_consent_is_refused_and_nothing_is_kept(api: Any, world: Any, settings: Any) -> None:
    r = api("vol_anna").post("/api/me/follow-ups", json=ANSWER | {"consent": False})
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "consent"
    assert _count(settings, FollowUp) == 0 and _count(settings, Consent, Consent.kind == "followup") == 0
    bad = api("vol_anna").post("/api/me/follow-ups", json=ANSWER | {"situation": "retired"})
    assert bad.status_code == 400


def test_nobody_else_reads_a_volunteers_answers(api: Any, world: Any) -> None:
    assert api("vol_anna").post("/api/me/follow-ups", json=ANSWER).status_code == 201
    path = f"/api/volunteers/{world.profiles['vol_anna']}/follow-ups"
    assert api("vol_bo").get(path).status_code == 404
    assert api("leader_sisu").get(path).status_code == 404
    assert api("coordinator_other").get(path).status_code == 404
    coordinator = api("coordinator")
    assert coordinator.get(path).status_code == 403
    bo = api("vol_bo").get("/api/me/follow-ups").json()
    assert bo["answers"] == []
    # The coordinator sees the answer only counted, and one person is too few to show.
    report = coordinator.get("/api/reports/impact?start=2026-11-01&end=2026-11-30")
    assert report.status_code == 200
    assert "library" not in report.text
    assert report.json()["follow_ups"]["respondents"] == {"value": None, "suppressed": True}
    assert api("leader_sisu").get("/api/me/follow-ups").status_code == 404  # no volunteer profile


def test_withdrawing_consent_deletes_the_answers(api: Any, world: Any, settings: Any) -> None:
    anna = api("vol_anna")
    assert anna.post("/api/me/follow-ups", json=ANSWER).status_code == 201
    assert anna.delete("/api/me/follow-ups").status_code == 204
    assert _count(settings, FollowUp) == 0
    assert anna.get("/api/me/follow-ups").json()["consent_given"] is False


def test_reminder_goes_once_per_period_to_those_due(settings: Any, world: Any) -> None:
    anna, bo = world.profiles["vol_anna"], world.profiles["vol_bo"]

    async def arrange(db: Any) -> None:
        # Both registered 7 months ago; Bo answered 2 months ago, so only Anna is due.
        await db.execute(update(VolunteerProfile).values(created_at=NOW - dt.timedelta(days=213)))
        db.add(FollowUp(volunteer_id=bo, answered_on=dt.date(2026, 9, 26), situation="working"))

    run_db(settings, arrange)

    def tick(now: dt.datetime = NOW) -> int:
        async def go(db: Any) -> int:
            return await queue_followup_reminders(db, now, "https://samverka.test")

        return run_db(settings, go)

    assert tick() == 1
    assert tick() == 0  # the same period: no second reminder
    assert _count(settings, OutboxMessage, OutboxMessage.kind == "followup_reminder") == 1
    assert tick(NOW + dt.timedelta(days=10)) == 0

    async def outbox(db: Any) -> tuple[str, str]:
        msg = (await db.execute(select(OutboxMessage))).scalar_one()
        email = await db.scalar(
            select(User.email)
            .join(VolunteerProfile, VolunteerProfile.user_id == User.id)
            .where(VolunteerProfile.id == anna)
        )
        return msg.to_address, email

    to, email = run_db(settings, outbox)
    assert to == email
    # Four months on, Bo's answer is 6 months old: his turn, once.
    assert tick(NOW + dt.timedelta(days=122)) == 1


def test_no_reminder_after_consent_is_withdrawn(api: Any, settings: Any, world: Any) -> None:
    async def arrange(db: Any) -> None:
        await db.execute(update(VolunteerProfile).values(created_at=NOW - dt.timedelta(days=400)))

    run_db(settings, arrange)
    assert api("vol_anna").delete("/api/me/follow-ups").status_code == 204

    async def go(db: Any) -> int:
        return await queue_followup_reminders(db, NOW, "https://samverka.test")

    assert run_db(settings, go) == 1  # Bo only
