"""Reports as published: kept byte for byte, whatever happens to the data; later views say what changed."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from sqlalchemy import select

from report_history import generate
from service_support import run_db
from volunteers.db.models import User, VolunteerProfile
from volunteers.privacy.services import anonymise
from volunteers.reports.published import changes

PERIOD = "start=2026-01-01&end=2026-06-30"


@pytest.fixture
def generated(settings: Any, world: Any) -> Any:
    return run_db(settings, generate(world, seed=11))


def _erase_and_withdraw(settings: Any, world: Any) -> None:
    """Anonymise five volunteers who worked, and withdraw the follow-up consent of five who answered."""

    async def change(db: Any) -> None:
        import datetime as dt

        from volunteers.db.models import Consent, FollowUp

        now = dt.datetime(2026, 11, 20, tzinfo=dt.UTC)
        rows = (
            await db.execute(
                select(VolunteerProfile, User)
                .join(User, User.id == VolunteerProfile.user_id)
                .where(VolunteerProfile.partnership_id == world.partnership_id, User.anonymised_at.is_(None))
                .order_by(VolunteerProfile.first_name)
            )
        ).all()
        for profile, user in rows[:5]:
            await anonymise(db, profile, user, now)
        answered = (await db.execute(select(FollowUp.volunteer_id).distinct())).scalars().all()
        for vid in answered[:5]:
            profile = await db.get(VolunteerProfile, vid)
            for c in (await db.execute(select(Consent).where(Consent.user_id == profile.user_id))).scalars():
                c.withdrawn_at = now
            for f in (await db.execute(select(FollowUp).where(FollowUp.volunteer_id == vid))).scalars():
                await db.delete(f)

    run_db(settings, change)


def test_a_published_report_stays_byte_for_byte_the_same(api: Any, settings: Any, world: Any, generated: Any) -> None:
    coordinator = api("coordinator")
    made = coordinator.post(f"/api/reports/published?{PERIOD}&lang=sv")
    assert made.status_code == 201, made.text
    rid = made.json()["id"]
    pdf = coordinator.get(f"/api/reports/published/{rid}/report.pdf")
    csv = coordinator.get(f"/api/reports/published/{rid}/report.csv")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert hashlib.sha256(pdf.content + csv.content).hexdigest() == made.json()["content_sha256"]
    first = coordinator.get(f"/api/reports/published/{rid}").json()
    assert first["changes"] == []  # nothing has changed yet

    _erase_and_withdraw(settings, world)

    again = coordinator.get(f"/api/reports/published/{rid}")
    assert again.status_code == 200
    view = again.json()
    assert view["published"]["report"] == first["published"]["report"]
    assert coordinator.get(f"/api/reports/published/{rid}/report.pdf").content == pdf.content
    assert coordinator.get(f"/api/reports/published/{rid}/report.csv").content == csv.content
    # Today's computation of the same period differs, and the view says where.
    changed = {c["figure"] for c in view["changes"]}
    assert changed, "erasures and withdrawn consents change today's figures"
    assert any(f.startswith(("follow_ups.", "job_seekers.", "volunteers.")) for f in changed)
    live = coordinator.get(f"/api/reports/impact?{PERIOD}&lang=sv").json()
    assert (
        live["follow_ups"] != view["published"]["report"]["follow_ups"]
        or live["volunteers"] != view["published"]["report"]["volunteers"]
    )


def test_a_period_is_published_once_and_only_by_its_coordinators(api: Any, world: Any, generated: Any) -> None:
    coordinator = api("coordinator")
    assert coordinator.post(f"/api/reports/published?{PERIOD}&lang=en").status_code == 201
    again = coordinator.post("/api/reports/published?start=2026-01-15&end=2026-06-02&lang=en")  # same months
    assert again.status_code == 409 and again.json()["errors"][0]["field"] == "start"
    listed = coordinator.get("/api/reports/published").json()
    assert [(r["start"], r["end"], r["lang"]) for r in listed] == [("2026-01-01", "2026-06-30", "en")]
    rid = listed[0]["id"]
    for who in ("vol_anna", "leader_sisu"):
        assert api(who).post(f"/api/reports/published?{PERIOD}").status_code == 403
        assert api(who).get(f"/api/reports/published/{rid}/report.pdf").status_code == 403
    assert api("coordinator_other").get(f"/api/reports/published/{rid}/report.pdf").status_code == 404


def test_changes_name_each_figure_that_moved() -> None:
    before = {"volunteers": {"active": {"value": 10}}, "hours": {"by_partner": [{"key": "abf", "people": 5}]}}
    after = {"volunteers": {"active": {"value": 9}}, "hours": {"by_partner": [{"key": "abf", "people": 5}]}}
    assert [(c.figure, c.published, c.now) for c in changes(before, after)] == [("volunteers.active.value", 10, 9)]
