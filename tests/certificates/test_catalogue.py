from __future__ import annotations

import csv
from pathlib import Path

import pytest

from certificates import CatalogueError, load_catalogue

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"


def test_catalogue_has_fifty_skills_each_with_a_swedish_project_label() -> None:
    skills = load_catalogue().skills
    assert len(skills) == 50
    assert all(skill.label_sv_project.strip() for skill in skills.values())
    # Our wording, not a copy of ESCO's English label.
    assert all(s.label_sv_project != s.label_en for s in skills.values())


def test_every_skill_maps_to_one_of_the_eight_key_competences() -> None:
    catalogue = load_catalogue()
    assert len(catalogue.key_competences) == 8
    for skill in catalogue.skills.values():
        assert catalogue.key_competence(skill.key_competence).label_sv


def test_unknown_skill_code_is_an_error() -> None:
    with pytest.raises(CatalogueError):
        load_catalogue().skill("juggle_chainsaws")


def test_shipped_copy_keeps_esco_uris_and_labels_of_the_reference_data() -> None:
    reference = SHARED / "esco-skills.csv"
    if not reference.exists():
        pytest.skip("the shared reference data is not next to this checkout")
    with reference.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    skills = load_catalogue().skills
    assert [row["code"] for row in rows] == list(skills)
    for row in rows:
        skill = skills[row["code"]]
        assert (skill.esco_uri, skill.label_en, skill.key_competence) == (
            row["esco_uri"],
            row["label_en"],
            row["key_competence"],
        )
