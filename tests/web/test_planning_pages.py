"""Leaders plan on the pages: a new activity, one session or a weekly series, cancelling a session."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import func, select

from service_support import World, run_db
from volunteers.settings import Settings
from web.test_work_pages import TODAY, Work, work  # noqa: F401 (the fixture)


def count_sessions(settings: Settings, activity_id: uuid.UUID, status: str | None = None) -> int:
    from volunteers.db.models import Session

    async def go(db):  # type: ignore[no-untyped-def]
        stmt = select(func.count()).select_from(Session).where(Session.activity_id == activity_id)
        if status:
            stmt = stmt.where(Session.status == status)
        return (await db.execute(stmt)).scalar_one()

    return int(run_db(settings, go))


def test_leader_creates_an_activity_and_a_weekly_series(settings: Settings, visitor, world: World) -> None:
    v = visitor("leader_sisu", "en")
    r = v.get("/activities/new")
    assert r.status_code == 200 and "New activity" in r.text and 'name="partner_id"' in r.text
    r = v.post("/activities/new", {"name": "", "kind": "sport", "target_group": "youth"})
    assert r.status_code == 422 and 'id="name-error"' in r.text
    r = v.post("/activities/new", {"name": "Basket U15", "kind": "sport", "target_group": "youth", "place": "Hallen"})
    assert r.status_code == 303, r.text
    location = r.headers["location"]
    assert location.startswith("/activities/") and "/sessions/new" in location
    activity_id = uuid.UUID(location.split("/")[2])
    assert "Lägg till tillfällen" in visitor("leader_sisu", "sv").get(location).text
    first = TODAY + dt.timedelta(days=1)
    form = {
        "mode": "weekly",
        "weekday": str(first.weekday()),
        "start_time": "17:00",
        "end_time": "18:30",
        "first_date": first.isoformat(),
        "last_date": (first + dt.timedelta(days=27)).isoformat(),
        "every_weeks": "1",
    }
    r = v.post(f"/activities/{activity_id}/sessions", form)
    assert r.status_code == 303, r.text
    assert count_sessions(settings, activity_id) == 4
    page = v.get(f"/activities/{activity_id}?notice=sessions_created").text
    assert "The sessions are added." in page and "17:00–18:30" in page


def test_a_single_session_that_ends_before_it_starts_names_the_end(settings: Settings, visitor, world: World) -> None:
    v = visitor("leader_sisu", "en")
    football = world.activities["football"]
    before = count_sessions(settings, football)
    day = (TODAY + dt.timedelta(days=3)).isoformat()
    path = f"/activities/{football}/sessions"
    r = v.post(path, {"mode": "one", "date": day, "start_time": "18:00", "end_time": "17:00"})
    assert r.status_code == 422 and 'id="end_time-error"' in r.text
    r = v.post(path, {"mode": "one", "date": day, "start_time": "17:00", "end_time": "19:00"})
    assert r.status_code == 303 and count_sessions(settings, football) == before + 1


def test_only_the_partners_leaders_plan_its_activities(visitor, world: World) -> None:
    assert visitor("vol_anna", "en").get("/activities/new").status_code == 403
    football = world.activities["football"]
    assert visitor("leader_abf", "en").get(f"/activities/{football}/sessions/new").status_code in (403, 404)
    r = visitor("leader_abf", "en").post(f"/activities/{football}/sessions", {"mode": "one"})
    assert r.status_code in (403, 404, 422)


def test_leader_cancels_a_session_and_it_shows_cancelled(settings: Settings, visitor, work: Work) -> None:  # noqa: F811
    v = visitor("leader_sisu", "en")
    assert "Cancel this session" in v.get(f"/sessions/{work.coming}").text
    assert visitor("vol_anna", "en").post(f"/sessions/{work.coming}/cancel").status_code == 403
    r = v.post(f"/sessions/{work.coming}/cancel", {"note": "The hall is closed"})
    assert r.status_code == 303, r.text
    page = v.get(r.headers["location"]).text
    assert "The session is cancelled. Everyone on it is told." in page and "Cancel this session" not in page
    sv = visitor("vol_anna", "sv").get("/me/sessions").text
    assert "Football U12" not in sv or "Inställt" in sv
