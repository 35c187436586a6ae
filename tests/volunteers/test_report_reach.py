"""Leaders count the children and young people who took part when they confirm attendance."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from experience_support import standard_work
from service_support import run_db
from volunteers.db.models import SessionParticipants


def _stored(settings: Any) -> dict[str, int]:
    async def q(db: Any) -> dict[str, int]:
        return {g: n for g, n in (await db.execute(select(SessionParticipants.age_group, SessionParticipants.count)))}

    return run_db(settings, q)


def test_participants_are_stored_per_session_corrected_and_checked(api: Any, world: Any, settings: Any) -> None:
    work = standard_work(settings, world)
    sisu = api("leader_sisu")
    entries = [
        {"assignment_id": str(work.assignments[("f1", v)]), "attended": True, "minutes": 90}
        for v in ("vol_anna", "vol_bo")
    ]
    url = f"/api/sessions/{work.sessions['f1']}/attendance"
    bad = sisu.post(url, json={"entries": entries, "participants": {"7-12": 4, "adults": 3}})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "participants.adults"
    negative = sisu.post(url, json={"entries": entries, "participants": {"7-12": -1}})
    assert negative.status_code == 400
    assert _stored(settings) == {}  # nothing half-written

    assert sisu.post(url, json={"entries": entries, "participants": {"7-12": 11, "13-15": 6}}).status_code == 200
    assert _stored(settings) == {"7-12": 11, "13-15": 6}
    # A correction replaces the counts; confirming again without them leaves them as they were.
    assert sisu.post(url, json={"entries": entries, "participants": {"7-12": 9, "13-15": 0}}).status_code == 200
    assert _stored(settings) == {"7-12": 9}
    assert sisu.post(url, json={"entries": entries}).status_code == 200
    assert _stored(settings) == {"7-12": 9}
