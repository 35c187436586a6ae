"""Certificate wording that was API-only, through the pages: an activity's tasks in the past tense,
a training's names on certificates (issue 16). Swedish and English, each form read back through the API."""

from __future__ import annotations

import re

from volunteers.settings import Settings


def test_a_leader_words_an_activitys_tasks_for_certificates(settings: Settings, visitor, world) -> None:
    leader = visitor("leader_sisu", "sv")
    football = world.activities["football"]
    assert f'href="/activities/{football}/wording"' in leader.get(f"/activities/{football}").text
    form = leader.get(f"/activities/{football}/wording")
    assert form.status_code == 200 and "Uppgifter på intyg" in form.text
    # First the tasks, one a line (blank lines and repeats dropped); then each task's past tense.
    saved = leader.post(
        f"/activities/{football}/wording", {"tasks": "leda uppvärmning\n\ndöma matcher\nleda uppvärmning"}
    )
    assert saved.status_code == 303, saved.text
    form = leader.get(f"/activities/{football}/wording").text
    rows = dict(re.findall(r'name="task_(\d+)" value="([^"]*)"', form))
    assert sorted(rows.values()) == ["döma matcher", "leda uppvärmning"]
    sent = {"tasks": "leda uppvärmning\ndöma matcher"}
    for i, task in rows.items():
        sent[f"task_{i}"] = task
        if task == "leda uppvärmning":
            sent[f"done_sv_{i}"], sent[f"done_en_{i}"] = "Ledde uppvärmning", "Led warm-ups"
    too_long = leader.post(f"/activities/{football}/wording", {**sent, "done_en_0": "x" * 201})
    assert too_long.status_code == 422 and 'id="done_en_0"' in too_long.text
    assert leader.post(f"/activities/{football}/wording", sent).status_code == 303
    activity = leader.get(f"/api/activities/{football}").json()
    assert activity["tasks"] == ["leda uppvärmning", "döma matcher"]
    assert activity["tasks_done"] == [{"task": "leda uppvärmning", "sv": "Ledde uppvärmning", "en": "Led warm-ups"}]
    assert 'value="Led warm-ups"' in leader.get(f"/activities/{football}/wording").text
    # A task taken off the list takes its wording with it.
    assert leader.post(f"/activities/{football}/wording", {**sent, "tasks": "döma matcher"}).status_code == 303
    activity = leader.get(f"/api/activities/{football}").json()
    assert activity["tasks"] == ["döma matcher"] and activity["tasks_done"] == []
    # In English too; and a volunteer cannot open the form.
    assert "Tasks on certificates" in visitor("leader_sisu", "en").get(f"/activities/{football}/wording").text
    assert visitor("vol_anna", "sv").get(f"/activities/{football}/wording").status_code in (403, 404)


def test_a_coordinator_records_a_training_with_its_names_on_certificates(settings: Settings, visitor, world) -> None:
    coord = visitor("coordinator", "sv")
    anna = world.profiles["vol_anna"]
    assert f'href="/volunteers/{anna}/trainings"' in coord.get(f"/volunteers/{anna}").text
    form = coord.get(f"/volunteers/{anna}/trainings")
    assert form.status_code == 200 and "Namnet på intyg" in form.text and 'name="name_en"' in form.text
    missing = coord.post(f"/volunteers/{anna}/trainings", {"name": "HLR", "completed_on": "2026-01-10"})
    assert missing.status_code == 422 and 'id="issuer"' in missing.text
    future = coord.post(
        f"/volunteers/{anna}/trainings", {"name": "HLR", "issuer": "Röda Korset", "completed_on": "2099-01-01"}
    )
    assert future.status_code == 422 and "completed_on-error" in future.text
    saved = coord.post(
        f"/volunteers/{anna}/trainings",
        {
            "name": "HLR-kurs",
            "issuer": "Svenska Röda Korset",
            "completed_on": "2025-10-05",
            "name_sv": "Första hjälpen och HLR",
            "name_en": "First aid and CPR",
        },
    )
    assert saved.status_code == 303, saved.text
    (training,) = coord.get(f"/api/volunteers/{anna}/experience").json()["trainings"]
    assert (training["name"], training["name_sv"], training["name_en"]) == (
        "HLR-kurs",
        "Första hjälpen och HLR",
        "First aid and CPR",
    )
    english = visitor("coordinator", "en").get(f"/volunteers/{anna}/trainings").text
    assert "First aid and CPR" in english and "Record a completed training" in english
    assert visitor("leader_sisu", "sv").get(f"/volunteers/{anna}/trainings").status_code in (403, 404)
