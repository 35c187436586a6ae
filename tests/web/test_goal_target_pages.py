"""Learning-goal target dates on the pages: set on the profile page, shown alike to the volunteer
(experience page) and the coordinator (the volunteer's page), in Swedish and English."""

from __future__ import annotations

import re

from service_support import World

BASE = {"first_name": "Anna", "last_name": "Volunteer"}


def form(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    """A form with repeated fields (the goals) as the page would post it."""
    out: dict[str, list[str]] = {}
    for k, v in pairs:
        out.setdefault(k, []).append(v)
    return out


def goal_table(html: str) -> list[tuple[str, str, str]]:
    """(skill code, target date cell, status) per row of the learning-goal table."""
    rows = re.findall(
        r'<tr data-goal="([a-z0-9_]+)">\s*<td>.*?</td>\s*<td>(.*?)</td>\s*<td data-status="([a-z-]+)">', html, re.S
    )
    return [(c, d.strip(), s) for c, d, s in rows]


def test_targets_set_on_the_profile_show_alike_to_volunteer_and_coordinator(visitor, world: World) -> None:
    anna = visitor("vol_anna", "sv")
    goals = [("learning_goals", "coach_young_people"), ("learning_goals", "plan_events")]
    r = anna.post("/profile", form([*BASE.items(), *goals]))
    assert r.status_code == 303, r.text
    page = anna.get("/profile").text
    assert 'name="learning_goal_targets.plan_events"' in page and "Måldatum för" in page
    # A date that is no date is refused, naming the goal's field; nothing is saved.
    bad = [*BASE.items(), *goals, ("learning_goal_targets.plan_events", "30/11/2026")]
    r = anna.post("/profile", form(bad))
    assert r.status_code == 422
    assert "Ange ett datum" in r.text and 'id="learning_goal_targets.plan_events"' in r.text
    # One date has passed on the service clock (2026-11-26), the other not yet.
    dated = [
        *BASE.items(),
        *goals,
        ("learning_goal_targets.coach_young_people", "2026-12-31"),
        ("learning_goal_targets.plan_events", "2026-11-20"),
    ]
    assert anna.post("/profile", form(dated)).status_code == 303
    assert 'value="2026-11-20"' in anna.get("/profile").text
    mine = goal_table(anna.get("/me/experience").text)
    theirs = goal_table(visitor("coordinator", "sv").get(f"/volunteers/{world.profiles['vol_anna']}").text)
    assert [(c, s) for c, _, s in mine] == [("coach_young_people", "not-yet"), ("plan_events", "overdue")]
    assert mine == theirs
    assert all(re.search(r"\d", d) for _, d, _ in mine)  # the dates are printed
    assert "Försenat" in anna.get("/me/experience").text
    assert "Overdue" in visitor("coordinator", "en").get(f"/volunteers/{world.profiles['vol_anna']}").text
    # An emptied field clears the date.
    cleared = [*BASE.items(), *goals, ("learning_goal_targets.coach_young_people", "")]
    cleared.append(("learning_goal_targets.plan_events", "2026-11-20"))
    assert anna.post("/profile", form(cleared)).status_code == 303
    assert goal_table(anna.get("/me/experience").text)[0] == ("coach_young_people", "–", "not-yet")
