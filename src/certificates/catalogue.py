"""The shipped ESCO skill list and the EU key competences, read from data/.

ESCO labels and URIs are ESCO's own (v1.2.0). The Swedish skill labels in the column
`label_sv_project` are the project's own wording, not ESCO's, and are never presented
as ESCO labels.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache
from importlib import resources

from certificates.errors import CatalogueError

ESCO_CITATION = "ESCO v1.2.0, © European Union, https://esco.ec.europa.eu"


@dataclass(frozen=True, slots=True)
class EscoSkill:
    """One row of data/esco-skills.csv."""

    code: str
    esco_uri: str
    label_en: str
    key_competence: str
    verified_by: str
    label_sv_project: str


@dataclass(frozen=True, slots=True)
class KeyCompetence:
    """One of the eight EU key competences for lifelong learning (2018)."""

    code: str
    label_en: str
    label_sv: str

    def label(self, language: str) -> str:
        """The name in `language` ("sv" or "en")."""
        return self.label_sv if language == "sv" else self.label_en


@dataclass(frozen=True, slots=True)
class Catalogue:
    """Skills and key competences by code."""

    skills: dict[str, EscoSkill]
    key_competences: dict[str, KeyCompetence]

    def skill(self, code: str) -> EscoSkill:
        """The skill with this project code."""
        try:
            return self.skills[code]
        except KeyError:
            raise CatalogueError(f"unknown skill code {code!r}") from None

    def key_competence(self, code: str) -> KeyCompetence:
        """The key competence with this code."""
        try:
            return self.key_competences[code]
        except KeyError:
            raise CatalogueError(f"unknown key competence {code!r}") from None


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("certificates").joinpath("data", name).read_text("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


@cache
def load_catalogue() -> Catalogue:
    """Read the two CSV files shipped in the package (once per process)."""
    skills = {row["code"]: EscoSkill(**row) for row in _rows("esco-skills.csv")}
    competences = {row["code"]: KeyCompetence(**row) for row in _rows("key-competences.csv")}
    for skill in skills.values():
        if skill.key_competence not in competences:
            raise CatalogueError(f"{skill.code}: unknown key competence {skill.key_competence}")
    return Catalogue(skills=skills, key_competences=competences)
