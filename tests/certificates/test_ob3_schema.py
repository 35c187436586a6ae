"""The embedded credential validates against 1EdTech's OB 3.0 AchievementCredential JSON Schema."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

SCHEMA = Path(__file__).parent / "fixtures" / "1edtech" / "achievementcredential.json"  # source: SOURCE.md there


def _validator() -> jsonschema.Draft201909Validator:
    schema = json.loads(SCHEMA.read_text("utf-8"))
    jsonschema.Draft201909Validator.check_schema(schema)
    return jsonschema.Draft201909Validator(schema)


def test_issued_credentials_validate_against_1edtechs_schema(pdf_sv: bytes, pdf_en: bytes, embedded_credential) -> None:
    validator = _validator()
    for pdf in (pdf_sv, pdf_en):
        credential = embedded_credential(pdf)
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(credential)]
        assert errors == []


def test_the_schema_refuses_what_it_refused_before(pdf_sv: bytes, embedded_credential) -> None:
    # Guards the test above: the proof as a single object (as issued before) fails.
    credential = embedded_credential(pdf_sv)
    credential["proof"] = credential["proof"][0]
    messages = [e.message for e in _validator().iter_errors(credential)]
    assert any("is not of type 'array'" in m for m in messages), messages
