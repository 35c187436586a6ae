"""The coordinator's page of lists that lead to action."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import update

from service_support import NOW, World, run_db
from volunteers.db.models import VolunteerProfile


def test_job_seekers_without_hours_and_people_never_offered_each_come_with_an_action(
    visitor: Any, world: World, settings: Any
) -> None:
    async def arrange(db: Any) -> None:
        await db.execute(update(VolunteerProfile).values(created_at=NOW - dt.timedelta(days=90)))
        await db.execute(
            update(VolunteerProfile).where(VolunteerProfile.id == world.profiles["vol_anna"]).values(seeking_work=True)
        )

    run_db(settings, arrange)
    page = visitor("coordinator", "en").get("/reports/actions")
    assert page.status_code == 200, page.text
    text = page.text
    seekers = text[text.index("Looking for work, no verified hours yet") : text.index("Near the certificate threshold")]
    assert "Anna Volunteer" in seekers and "Bo Volunteer" not in seekers and "Offer a session" in seekers
    waiting = text[text.index("Not offered a session for 30 days or more") :]
    assert "Anna Volunteer" in waiting and "Bo Volunteer" in waiting and "never offered" in waiting
    sv = visitor("coordinator", "sv").get("/reports/actions").text
    assert "Erbjud ett pass" in sv and "aldrig erbjuden" in sv
    assert visitor("leader_sisu", "en").get("/reports/actions").status_code == 403
