"""The ELM 3 (Europass) export: the certificate's facts and ESCO skills, only for a genuine PDF."""

from __future__ import annotations

import json

from certificates import KeySet
from certificates.__main__ import main
from certificates.elm import to_elm


def test_elm_export_carries_the_person_the_work_and_every_esco_skill(pdf_en: bytes, embedded_credential) -> None:
    credential = embedded_credential(pdf_en)
    facts = credential["credentialSubject"]["samverka"]
    elm = to_elm(credential, pdf_en)
    assert "EuropeanDigitalCredential" in elm["type"] and elm["@context"][1].startswith("http://data.europa.eu/snb/")
    subject = elm["credentialSubject"]
    assert subject["type"] == "Person" and subject["fullName"] == {"en": facts["volunteer"]["name"]}
    assert subject["dateOfBirth"].startswith(facts["volunteer"]["birthDate"])
    activity, achievement = subject["hasClaim"]
    assert activity["type"] == "LearningActivity" and activity["workload"] == "PT85H30M"  # 5130 minutes
    assert activity["temporal"][0]["startDate"].startswith(facts["periodStart"])
    assert achievement["influencedBy"][0]["id"] == activity["id"]
    uris = [o["relatedESCOSkill"][0]["id"] for o in achievement["specifiedBy"]["learningOutcome"]]
    assert uris == [skill["escoUri"] for skill in facts["skills"]] and len(uris) == 8
    assert elm["issuer"]["legalName"] == {"en": facts["partnership"]}


def test_elm_command_exports_only_a_genuine_certificate(
    pdf_sv: bytes, keyset: KeySet, tmp_path, capsys, replace_attachment
) -> None:
    keys = tmp_path / "keys.json"
    keys.write_text(keyset.dumps())
    genuine = tmp_path / "intyg.pdf"
    genuine.write_bytes(pdf_sv)
    assert main(["elm", str(genuine), "--keys", str(keys)]) == 0
    exported = json.loads(capsys.readouterr().out)
    assert exported["credentialSubject"]["fullName"] == {"sv": "Amira Haddad Öberg"}
    forged = tmp_path / "forged.pdf"
    forged.write_bytes(replace_attachment(pdf_sv, lambda data: data.replace(b"5130", b"9130", 1)))
    assert main(["elm", str(forged), "--keys", str(keys)]) == 1
    assert "NOT VERIFIED" in capsys.readouterr().err
