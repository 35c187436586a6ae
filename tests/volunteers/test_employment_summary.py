"""The one-page Swedish summary a volunteer shows their employment officer, read back from the PDF."""

from __future__ import annotations

import io
import re
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


def test_the_summary_gives_each_learning_goal_its_target_date_in_swedish(api: Any, world: Any, settings: Any) -> None:
    """Target dates read back from the PDF as Swedish dates; a passed one says so, a reached one says when."""
    work = standard_work(settings, world)
    anna_id = world.profiles["vol_anna"]
    anna, sisu = api("vol_anna"), api("leader_sisu")
    body = {
        "learning_goals": ["coach_young_people", "plan_events", "provide_first_aid"],
        "learning_goal_targets": [
            {"skill_code": "coach_young_people", "target_date": "2027-03-05"},
            {"skill_code": "plan_events", "target_date": "2026-01-20"},
        ],
    }
    r = anna.patch(f"/api/volunteers/{anna_id}", json=body)
    assert r.status_code == 200, r.text
    confirm(sisu, work, "f1", {"vol_anna": (True, 90), "vol_bo": (True, 90)})
    note = {"skill_code": "coach_young_people", "note": "Trygg i gruppen"}
    assert sisu.post(f"/api/volunteers/{anna_id}/endorsements", json=note).status_code == 201

    r = anna.get("/me/summary.pdf")
    assert r.status_code == 200, r.text
    pdf = PdfReader(io.BytesIO(r.content))
    assert len(pdf.pages) == 1
    words = " ".join(" ".join(p.extract_text().split()) for p in pdf.pages)
    assert "måldatum 5 mars 2027" in words  # Swedish month names, no ISO date
    assert "måldatum 20 januari 2026, passerat" in words  # not reached and its day is gone
    assert "2027-03-05" not in words and "2026-01-20" not in words
    months = "januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december"
    assert re.search(
        rf"Coacha unga \(måldatum 5 mars 2027\): nått \(intygat av en ledare \d{{1,2}} ({months}) \d{{4}}\)", words
    )
    assert words.count("måldatum") == 2  # the goal without a date has none
