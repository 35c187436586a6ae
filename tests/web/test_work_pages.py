"""Phase-2 pages: the volunteer's sessions, experience and certificates; a session for its leader; match runs."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from service_support import NOW, World, run_db
from volunteers.settings import Settings

ZONE = ZoneInfo("Europe/Stockholm")


@dataclass
class Work:
    coming: uuid.UUID  # a session after the clock's now, with a need and a proposal for Anna
    past: uuid.UUID  # a session before now that Bo accepted
    proposal: uuid.UUID
    accepted: uuid.UUID


def at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=ZONE).astimezone(dt.UTC)


async def add_session(db: Any, activity_id: uuid.UUID, day: dt.date, hours: int = 2) -> uuid.UUID:
    from volunteers.db.models import Session

    s = Session(activity_id=activity_id, starts_at=at(day, 17), ends_at=at(day, 17 + hours))
    db.add(s)
    await db.flush()
    return s.id


async def add_assignment(db: Any, session_id: uuid.UUID, volunteer_id: uuid.UUID, role: str, status: str) -> uuid.UUID:
    from volunteers.db.models import Assignment, AssignmentStatus, Session

    s = await db.get(Session, session_id)
    a = Assignment(
        id=uuid.uuid4(),
        session_id=session_id,
        volunteer_id=volunteer_id,
        role=role,
        status=AssignmentStatus(status),
        starts_at=s.starts_at,
        ends_at=s.ends_at,
    )
    db.add(a)
    await db.flush()
    return a.id


async def add_verified_hours(db: Any, world: World, key: str, today: dt.date, sessions: int = 6) -> None:
    """Past completed sessions with confirmed attendance (2 h each) and three catalogue skills."""
    from sqlalchemy import select

    from volunteers.db.models import Attendance, Skill, VolunteerSkill

    profile_id = world.profiles[key]
    for i in range(sessions):
        day = today - dt.timedelta(days=7 * (i + 1) + 1)
        sid = await add_session(db, world.activities["football"], day)
        aid = await add_assignment(db, sid, profile_id, "Assistant coach", "completed")
        db.add(Attendance(assignment_id=aid, attended=True, minutes=120, confirmed_at=at(day, 20)))
    codes = (await db.execute(select(Skill.code).order_by(Skill.code).limit(3))).scalars().all()
    for code in codes:
        db.add(VolunteerSkill(profile_id=profile_id, skill_code=code))
    await db.flush()


async def add_need(db: Any, activity_id: uuid.UUID, role: str = "Assistant coach", count: int = 2) -> None:
    from volunteers.db.models import StaffingNeed

    db.add(StaffingNeed(activity_id=activity_id, role=role, count=count))
    await db.flush()


async def build_work(db: Any, world: World, today: dt.date) -> Work:
    football = world.activities["football"]
    await add_need(db, football)
    coming = await add_session(db, football, today + dt.timedelta(days=2))
    past = await add_session(db, football, today - dt.timedelta(days=2))
    proposal = await add_assignment(db, coming, world.profiles["vol_anna"], "Assistant coach", "proposed")
    # Anna's proposal keeps the rules (accepting re-checks them all): she is free then and her check is seen.
    from volunteers.db.models import AvailabilityRule, BackgroundCheck

    for weekday in range(7):
        anna = world.profiles["vol_anna"]
        db.add(AvailabilityRule(profile_id=anna, weekday=weekday, start_time=dt.time(6), end_time=dt.time(23)))
    db.add(BackgroundCheck(profile_id=world.profiles["vol_anna"], partnership_id=world.partnership_id, seen_on=today))
    await db.flush()
    accepted = await add_assignment(db, past, world.profiles["vol_bo"], "Assistant coach", "accepted")
    return Work(coming, past, proposal, accepted)


TODAY = NOW.astimezone(ZONE).date()


@pytest.fixture
def work(settings: Settings, world: World) -> Work:
    return run_db(settings, lambda db: build_work(db, world, TODAY))


def test_volunteer_accepts_a_proposal_from_my_sessions(visitor, work: Work) -> None:
    v = visitor("vol_anna", "sv")
    r = v.get("/me/sessions")
    assert r.status_code == 200 and "Förslag till dig" in r.text and "Football U12" in r.text
    assert "/calendar/" in r.text
    r = v.post(f"/me/sessions/{work.proposal}/accept")
    assert r.status_code == 303, r.text
    r = v.get("/me/sessions?notice=accepted")
    assert "Tack! Passet finns nu i din kalender." in r.text
    assert "Inga förslag just nu." in r.text


def test_volunteer_cannot_answer_someone_elses_proposal(visitor, work: Work) -> None:
    r = visitor("vol_bo", "en").post(f"/me/sessions/{work.proposal}/accept")
    assert r.status_code == 404


def test_leader_confirms_attendance_and_the_hours_count(visitor, work: Work) -> None:
    leader = visitor("leader_sisu", "en")
    r = leader.get(f"/sessions/{work.past}")
    assert r.status_code == 200 and "Attendance and hours" in r.text and "Bo Volunteer" in r.text
    r = leader.post(
        f"/sessions/{work.past}/attendance", {f"attended-{work.accepted}": "yes", f"minutes-{work.accepted}": "90"}
    )
    assert r.status_code == 303, r.text
    r = visitor("vol_bo", "en").get("/me/experience")
    assert r.status_code == 200 and "1.5" in r.text
    chart = visitor("vol_bo", "en").get("/me/experience/hours.svg")
    assert chart.headers["content-type"].startswith("image/svg+xml") and b"<svg" in chart.content


def test_attendance_with_too_many_minutes_names_the_field(visitor, work: Work) -> None:
    r = visitor("leader_sisu", "en").post(
        f"/sessions/{work.past}/attendance", {f"attended-{work.accepted}": "yes", f"minutes-{work.accepted}": "900"}
    )
    assert r.status_code == 422 and f'id="minutes-{work.accepted}-error"' in r.text


def test_hand_assignment_refused_by_a_rule_explains_the_rule(visitor, world: World, work: Work) -> None:
    r = visitor("coordinator", "en").post(
        f"/sessions/{work.coming}/assign", {"volunteer_id": str(world.profiles["vol_bo"]), "role": "Assistant coach"}
    )
    assert r.status_code == 409
    assert "This assignment breaks a rule" in r.text
    assert "background check" in r.text or "not available" in r.text


def test_volunteer_issues_a_certificate_over_the_threshold(settings: Settings, visitor, world: World) -> None:
    run_db(settings, lambda db: add_verified_hours(db, world, "vol_anna", TODAY))
    v = visitor("vol_anna", "sv")
    r = v.get("/me/certificates")
    assert "Skapa mitt intyg" in r.text
    r = v.post("/me/certificates", {"language": "sv"})
    assert r.status_code == 303, r.text
    r = v.get("/me/certificates")
    assert "Ladda ner pdf:en" in r.text and "/verify/" in r.text


def test_volunteer_below_the_threshold_is_told_kindly(visitor, work: Work) -> None:
    v = visitor("vol_anna", "en")
    r = v.post("/me/certificates", {"language": "en"})
    assert r.status_code == 409 and "there are none yet" in r.text


@pytest.mark.parametrize("language", ["sv", "en"])
def test_phase_two_pages_render_for_their_roles(visitor, world: World, work: Work, language: str) -> None:
    pages = {
        "vol_anna": ["/me/sessions", "/me/experience", "/me/certificates"],
        "leader_sisu": [f"/sessions/{work.coming}", f"/sessions/{work.past}"],
        "coordinator": ["/runs", f"/sessions/{work.coming}"],
    }
    for key, paths in pages.items():
        v = visitor(key, language)
        for path in paths:
            r = v.get(path)
            assert r.status_code == 200, (key, path, r.text[:800])


def test_volunteer_cannot_open_runs_or_sessions(visitor, work: Work) -> None:
    v = visitor("vol_anna", "en")
    assert v.get("/runs").status_code == 403
    assert v.get(f"/sessions/{work.coming}").status_code == 403


def test_coordinator_starts_a_run_and_sees_its_progress(visitor, work: Work) -> None:
    v = visitor("coordinator", "en")
    start = TODAY.isoformat()
    end = (TODAY + dt.timedelta(days=6)).isoformat()
    r = v.post("/runs", {"start": start, "end": end})
    assert r.status_code == 303, r.text
    page = v.get(r.headers["location"])
    assert page.status_code == 200, page.text[:2000]
    assert '<html lang="en">' in page.text
    fragment = v.get(r.headers["location"] + "/progress", headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and 'id="run-progress"' in fragment.text


def test_a_run_with_a_bad_date_names_the_field_and_starts_nothing(visitor, work: Work) -> None:
    v = visitor("coordinator", "en")
    before = v.get("/runs").text.count('href="/runs/')
    r = v.post("/runs", {"start": "7 December", "end": TODAY.isoformat()})
    assert r.status_code == 422
    assert "Write the date as year-month-day" in r.text
    r = v.post("/runs", {"start": TODAY.isoformat(), "end": ""})
    assert r.status_code == 422
    assert "Fill in this field." in r.text and "Write the date as year-month-day" not in r.text
    assert v.get("/runs").text.count('href="/runs/') == before


def test_leader_counts_children_and_young_people_with_the_attendance(visitor, settings: Settings, work: Work) -> None:
    from sqlalchemy import select

    from volunteers.db.models import SessionParticipants

    leader = visitor("leader_sisu", "sv")
    page = leader.get(f"/sessions/{work.past}")
    assert 'id="participants-7-12"' in page.text and "Barn och unga som deltog" in page.text
    form = {f"attended-{work.accepted}": "yes", f"minutes-{work.accepted}": "90"}
    bad = leader.post(f"/sessions/{work.past}/attendance", {**form, "participants-7-12": "många"})
    assert bad.status_code == 422 and 'id="participants-7-12-error"' in bad.text
    r = leader.post(f"/sessions/{work.past}/attendance", {**form, "participants-7-12": "12", "participants-13-15": "5"})
    assert r.status_code == 303, r.text

    async def stored(db: Any) -> dict[str, int]:
        rows = await db.execute(select(SessionParticipants.age_group, SessionParticipants.count))
        return {g: n for g, n in rows}

    assert run_db(settings, stored) == {"7-12": 12, "13-15": 5}
    assert 'value="12"' in leader.get(f"/sessions/{work.past}").text  # shown again to correct
