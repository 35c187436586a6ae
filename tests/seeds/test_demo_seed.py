"""The demo seed: IOP Pettersberg with realistic, rule-abiding, reproducible data."""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
from collections import Counter, defaultdict
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session as DbSession

from seeds import demo as demo_seed
from seeds import pettersberg as P
from volunteers.accounts.security import verify_password
from volunteers.catalogue import load_catalogue
from volunteers.db import migrate
from volunteers.db.models import (
    Activity,
    Assignment,
    AssignmentEvent,
    Attendance,
    BackgroundCheck,
    Consent,
    Membership,
    Partner,
    Partnership,
    Session,
    User,
    VolunteerProfile,
    metadata,
)
from volunteers.settings import Settings

TODAY = dt.date(2026, 11, 26)
ZONE = ZoneInfo("Europe/Stockholm")


def _age(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _fresh(path: Path) -> Settings:
    settings = Settings(data_dir=path)
    migrate.upgrade(settings)
    asyncio.run(load_catalogue(settings))
    return settings


def _seeded(path: Path, seed: int = 2026) -> tuple[Settings, str]:
    settings = _fresh(path)
    return settings, asyncio.run(demo_seed.seed_demo(settings, seed=seed, today=TODAY))


def _db(settings: Settings) -> DbSession:
    return DbSession(create_engine(f"sqlite:///{settings.sqlite_path}"))


def _row_counts(settings: Settings) -> dict[str, int]:
    with _db(settings) as db:
        return {t.name: db.scalar(select(func.count()).select_from(t)) or 0 for t in metadata.sorted_tables}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, str]:
    return _seeded(tmp_path_factory.mktemp("demo"))


def test_demo_has_the_partnership_its_four_partners_and_the_log_ins(demo):
    settings, summary = demo
    with _db(settings) as db:
        partnership = db.scalars(select(Partnership).where(Partnership.slug == "pettersberg")).one()
        assert partnership.name == "IOP Pettersberg"
        assert partnership.timezone == "Europe/Stockholm"
        partners = db.scalars(select(Partner.name).where(Partner.partnership_id == partnership.id)).all()
        assert sorted(partners) == sorted(p.name for p in P.PARTNERS)
        roles = defaultdict(set)
        for email, role, partner_id, password_hash in db.execute(
            select(User.email, Membership.role, Membership.partner_id, User.password_hash)
            .join(Membership, Membership.user_id == User.id)
            .where(User.email.like("%@demo.samverka.se"))
        ):
            roles[email].add((role.value, partner_id is not None))
            assert verify_password(password_hash, P.DEMO_PASSWORD), email
    assert roles["volontar@demo.samverka.se"] == {("volunteer", False)}
    assert roles["samordnare@demo.samverka.se"] == {("coordinator", False)}
    for leader in ("stad", "sisu", "hgf", "abf"):
        assert roles[f"ledare.{leader}@demo.samverka.se"] == {("leader", True)}
    for account in P.ACCOUNTS:
        assert account.email in summary


def test_demo_has_about_150_volunteers_each_with_membership_profile_and_consent(demo):
    settings, _ = demo
    with _db(settings) as db:
        profiles = db.scalar(select(func.count()).select_from(VolunteerProfile))
        members = db.scalar(select(func.count()).select_from(Membership).where(Membership.role == "volunteer"))
        consents = db.scalar(select(func.count()).select_from(Consent).where(Consent.kind == "data_processing"))
        activities = db.scalar(select(func.count()).select_from(Activity))
    assert 140 <= profiles <= 160
    assert members == consents == profiles
    assert 20 <= activities <= 30


def test_volunteers_are_13_or_older_and_under_16s_have_a_guardians_consent(demo):
    settings, _ = demo
    with _db(settings) as db:
        guardian_consents = set(db.scalars(select(Consent.user_id).where(Consent.kind == "guardian")))
        ages = Counter()
        for p in db.scalars(select(VolunteerProfile)):
            age = _age(p.birth_date, TODAY)
            assert 13 <= age <= 90
            ages["under 16" if age < 16 else "teen" if age < 20 else "senior" if age >= 65 else "adult"] += 1
            if age < 16:
                assert p.guardian_name and p.guardian_consent_at is not None
                assert p.user_id in guardian_consents
            assert all(len(code) in (2, 3) and code.islower() for code in p.languages)
    assert ages["under 16"] >= 2 and ages["teen"] >= 10 and ages["adult"] >= 50 and ages["senior"] >= 10


def test_past_assignments_keep_the_child_safety_rule_and_never_overlap(demo):
    settings, _ = demo
    with _db(settings) as db:
        checks = defaultdict(list)
        for profile_id, seen_on in db.execute(select(BackgroundCheck.profile_id, BackgroundCheck.seen_on)):
            checks[profile_id].append(seen_on)
        rows = db.execute(
            select(Assignment, Session, Activity.target_group, VolunteerProfile.birth_date)
            .join(Session, Session.id == Assignment.session_id)
            .join(Activity, Activity.id == Session.activity_id)
            .join(VolunteerProfile, VolunteerProfile.id == Assignment.volunteer_id)
            .where(Session.starts_at < dt.datetime.combine(TODAY, dt.time(), ZONE))
        ).all()
        events = Counter(db.scalars(select(AssignmentEvent.assignment_id)))
    assert len(rows) > 300
    booked = defaultdict(list)
    on_children = 0
    for a, s, target, birth in rows:
        day = s.starts_at.astimezone(ZONE).date()
        assert (a.starts_at, a.ends_at) == (s.starts_at, s.ends_at)
        assert events[a.id] >= 2  # proposed, then at least an answer
        assert _age(birth, day) >= 13
        if target.involves_minors and _age(birth, day) >= 15:
            on_children += 1
            assert any(seen <= day <= seen + dt.timedelta(days=365) for seen in checks[a.volunteer_id]), a.id
        if a.status.value != "declined":
            booked[a.volunteer_id].append((a.starts_at, a.ends_at))
    assert on_children > 100
    for spans in booked.values():
        spans.sort()
        assert all(end <= nxt for (_, end), (nxt, _) in itertools.pairwise(spans))


def test_demo_volunteer_has_about_twenty_verified_hours(demo):
    settings, _ = demo
    with _db(settings) as db:
        minutes = db.scalar(
            select(func.sum(Attendance.minutes))
            .join(Assignment, Assignment.id == Attendance.assignment_id)
            .join(VolunteerProfile, VolunteerProfile.id == Assignment.volunteer_id)
            .join(User, User.id == VolunteerProfile.user_id)
            .where(User.email == "volontar@demo.samverka.se", Attendance.attended.is_(True))
        )
    assert 18 * 60 <= minutes <= 22 * 60


def test_seeding_twice_changes_no_row_count(demo):
    settings, _ = demo
    before = _row_counts(settings)
    summary = asyncio.run(demo_seed.seed_demo(settings, today=TODAY))
    assert "already exists" in summary
    assert _row_counts(settings) == before


def test_same_seed_gives_the_same_volunteers(demo, tmp_path):
    settings, _ = demo
    again, _ = _seeded(tmp_path / "again")

    def names(s: Settings) -> list[tuple[str, str, dt.date]]:
        with _db(s) as db:
            return sorted(
                db.execute(
                    select(VolunteerProfile.first_name, VolunteerProfile.last_name, VolunteerProfile.birth_date)
                ).tuples()
            )

    assert names(settings) == names(again)
    assert _row_counts(settings) == _row_counts(again)
