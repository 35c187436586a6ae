from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from certificates import CertificateData, CertificateDataError, Referee, Skill
from certificates.examples import sample_certificate
from certificates.i18n import format_hours


def test_sample_certificate_is_valid_and_has_eight_skills() -> None:
    data = sample_certificate("sv")
    assert len(data.skills) == 8
    assert str(data.verified_hours) == "85.5"


@pytest.mark.parametrize("count", [2, 9])
def test_certificate_needs_three_to_eight_skills(count: int) -> None:
    data = sample_certificate("sv")
    skills = (*data.skills, Skill.from_catalogue("manage_time", "self"))[:count]
    with pytest.raises(CertificateDataError) as error:
        replace(data, skills=skills)
    assert error.value.field == "skills"


def test_referee_is_shown_only_with_consent() -> None:
    with pytest.raises(CertificateDataError) as error:
        replace(sample_certificate("sv"), referee=Referee("Johan Berg", "021-12 34 56", False))
    assert error.value.field == "referee"


def test_period_must_not_end_before_it_starts() -> None:
    with pytest.raises(CertificateDataError) as error:
        replace(sample_certificate("en"), period_end=date(2024, 1, 1))
    assert error.value.field == "period_end"


def test_language_must_be_swedish_or_english() -> None:
    with pytest.raises(CertificateDataError):
        replace(sample_certificate("sv"), language="de")  # type: ignore[arg-type]


def test_certificate_id_is_safe_for_urls_and_file_names() -> None:
    with pytest.raises(CertificateDataError):
        replace(sample_certificate("sv"), id="../etc/passwd")


def test_json_form_round_trips() -> None:
    data = sample_certificate("en")
    assert CertificateData.from_dict(data.to_dict()) == data


def test_json_form_may_name_skills_by_code_only() -> None:
    raw = sample_certificate("sv").to_dict()
    raw["skills"] = [
        {"code": "provide_first_aid", "assessed_by": "leader", "endorsements": 2},
        {"code": "speak_arabic", "assessed_by": "self"},
        {"code": "work_in_teams", "assessed_by": "leader"},
    ]
    data = CertificateData.from_dict(raw)
    first_aid = data.skills[0]
    assert first_aid.label_en == "provide first aid"
    assert first_aid.esco_uri.startswith("http://data.europa.eu/esco/skill/1d21f6ad")
    assert first_aid.label_sv == "Ge första hjälpen"
    assert data.skills[1].assessed_by == "self"


def test_json_form_has_no_place_for_background_checks() -> None:
    raw = sample_certificate("sv").to_dict()
    raw["background_check"] = "2025-01-10"
    with pytest.raises(CertificateDataError) as error:
        CertificateData.from_dict(raw)
    assert "background_check" in str(error.value)


def test_missing_field_is_named() -> None:
    raw = sample_certificate("sv").to_dict()
    del raw["volunteer_name"]
    with pytest.raises(CertificateDataError) as error:
        CertificateData.from_dict(raw)
    assert error.value.field == "volunteer_name"


@pytest.mark.parametrize(
    ("minutes", "sv", "en"),
    [(5130, "85,5", "85.5"), (60, "1", "1"), (57, "1", "1"), (3, "0,1", "0.1"), (2, "0", "0")],
)
def test_hours_read_to_a_tenth_with_a_decimal_comma_in_swedish(minutes: int, sv: str, en: str) -> None:
    assert (format_hours(minutes, "sv"), format_hours(minutes, "en")) == (sv, en)


def test_skill_with_an_unknown_key_competence_is_rejected() -> None:
    data = sample_certificate("sv")
    odd = replace(data.skills[0], key_competence="juggling")
    with pytest.raises(CertificateDataError):
        replace(data, skills=(odd, *data.skills[1:]))
