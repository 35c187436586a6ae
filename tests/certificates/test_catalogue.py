from __future__ import annotations

import csv
import hashlib
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


# SHA-256 of "code,esco_uri,label_en,key_competence" lines of ../shared/data/esco-skills.csv,
# so the check still runs where the reference data is not laid beside the checkout.
REFERENCE_ESCO_COLUMNS_SHA256 = "1127c4646829ebe4151abc424476790bf41e5c3a672f01f89202f0c9ed9ffb29"


def _esco_columns(rows: list[tuple[str, str, str, str]]) -> str:
    return hashlib.sha256("\n".join(",".join(row) for row in rows).encode()).hexdigest()


def test_shipped_copy_keeps_esco_uris_and_labels_of_the_reference_data() -> None:
    skills = load_catalogue().skills
    shipped = [(s.code, s.esco_uri, s.label_en, s.key_competence) for s in skills.values()]
    assert _esco_columns(shipped) == REFERENCE_ESCO_COLUMNS_SHA256
    reference = SHARED / "esco-skills.csv"
    if reference.exists():  # beside a checkout: compare row by row too
        with reference.open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        assert [(r["code"], r["esco_uri"], r["label_en"], r["key_competence"]) for r in rows] == shipped
