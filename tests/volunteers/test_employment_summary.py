"""The one-page Swedish summary a volunteer shows their employment officer, read back from the PDF."""

from __future__ import annotations

import io
from typing import Any

from pypdf import PdfReader

from experience_support import confirm, standard_work


def test_the_summary_shows_verified_hours_endorsed_goals_and_references_on_one_page(
    api: Any, world: Any, settings: Any
) -> None:
    work = standard_work(settings, world)
    anna_id = world.profiles["vol_anna"]
    anna, sisu = api("vol_anna"), api("leader_sisu")
    goals = {"learning_goals": ["coach_young_people", "plan_events"]}
    assert anna.patch(f"/api/volunteers/{anna_id}", json=goals).status_code == 200
    confirm(sisu, work, "f1", {"vol_anna": (True, 90), "vol_bo": (True, 90)})
    note = {"skill_code": "coach_young_people", "note": "Lugn med barnen"}
    assert sisu.post(f"/api/volunteers/{anna_id}/endorsements", json=note).status_code == 201
    assert (
        anna.post(
            "/api/me/follow-ups",
            json={"situation": "looking_for_work", "consent": True, "wording_version": "1", "comment": "privat"},
        ).status_code
        == 201
    )

    r = anna.get("/me/summary.pdf")
    assert r.status_code == 200, r.text
    pdf = PdfReader(io.BytesIO(r.content))
    assert len(pdf.pages) == 1
    words = " ".join(p.extract_text() or "" for p in pdf.pages).replace("\n", " ")
    assert "Sammanfattning av volontärarbete" in words and "Anna Volunteer" in words
    assert "1,5 bekräftade timmar" in words  # 90 minutes, in Swedish
    assert "Leo Leader" in words and "Lugn med barnen" in words  # the reference and what they saw
    # One definition of a reached goal: endorsed by a leader. The other goal is not reached.
    exp = anna.get(f"/api/volunteers/{anna_id}/experience").json()
    reached = {g["skill"]["code"]: g["developed"] for g in exp["learning_goals"]}
    assert reached == {"coach_young_people": True, "plan_events": False}
    assert words.count("nått") == 1
    assert "privat" not in words  # follow-up answers are the volunteer's own and stay out of it
    assert api("coordinator").get("/me/summary.pdf").status_code in (403, 404)
