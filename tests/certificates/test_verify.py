from __future__ import annotations

import json
from dataclasses import replace

from weasyprint import HTML

from certificates import (
    CertificateData,
    CertificateRenderer,
    Failure,
    KeySet,
    SigningKey,
    verify_pdf,
)


def test_genuine_certificate_verifies(pdf_sv: bytes, pdf_en: bytes, keyset: KeySet) -> None:
    for pdf, number in ((pdf_sv, "SV-2025-000123"), (pdf_en, "SV-2025-000124")):
        result = verify_pdf(pdf, keyset)
        assert result.ok, result.reason
        assert result.certificate_id == number
        assert result.failure is None


def test_one_changed_character_in_embedded_credential_fails(pdf_sv: bytes, keyset: KeySet, replace_attachment) -> None:
    forged = replace_attachment(pdf_sv, lambda data: data.replace(b"Amira", b"Amina", 1))
    result = verify_pdf(forged, keyset)
    assert not result.ok
    assert result.failure is Failure.BAD_SIGNATURE
    assert "changed" in result.reason


def test_changed_hours_in_embedded_credential_fail(pdf_sv: bytes, keyset: KeySet, replace_attachment) -> None:
    def more_hours(data: bytes) -> bytes:
        credential = json.loads(data)
        credential["credentialSubject"]["samverka"]["verifiedMinutes"] = 9130
        return json.dumps(credential, ensure_ascii=False).encode()

    result = verify_pdf(replace_attachment(pdf_sv, more_hours), keyset)
    assert result.failure is Failure.BAD_SIGNATURE


def test_broken_json_in_embedded_credential_fails(pdf_sv: bytes, keyset: KeySet, replace_attachment) -> None:
    result = verify_pdf(replace_attachment(pdf_sv, lambda data: data[:-2]), keyset)
    assert result.failure is Failure.MALFORMED_CREDENTIAL


def test_page_with_other_hours_around_a_genuine_credential_fails(
    renderer: CertificateRenderer, data_sv: CertificateData, pdf_sv: bytes, keyset: KeySet, embedded_credential
) -> None:
    genuine = embedded_credential(pdf_sv)
    forged = renderer.render_with_credential(replace(data_sv, verified_minutes=data_sv.verified_minutes + 600), genuine)
    result = verify_pdf(forged, keyset)
    assert result.failure is Failure.CHANGED_CONTENT
    assert "expected '85,5 timmar" in result.reason


def test_page_with_another_name_around_a_genuine_credential_fails(
    renderer: CertificateRenderer, data_en: CertificateData, pdf_en: bytes, keyset: KeySet, embedded_credential
) -> None:
    forged = renderer.render_with_credential(
        replace(data_en, volunteer_name="Someone Else"), embedded_credential(pdf_en)
    )
    result = verify_pdf(forged, keyset)
    assert result.failure is Failure.CHANGED_CONTENT
    assert "Amira Haddad Öberg" in result.reason and "SomeoneElse" in result.reason


def test_certificate_signed_by_an_unknown_key_fails(pdf_sv: bytes, issuer: str) -> None:
    strangers = KeySet.for_key(SigningKey.generate(), issuer)
    result = verify_pdf(pdf_sv, strangers)
    assert result.failure is Failure.UNKNOWN_KEY
    assert "not in the keyset" in result.reason


def test_certificate_by_a_revoked_key_fails(pdf_sv: bytes, keyset: KeySet, key: SigningKey) -> None:
    result = verify_pdf(pdf_sv, keyset.revoke(key.key_id))
    assert result.failure is Failure.KEY_NOT_VALID


def test_pdf_without_credential_fails(keyset: KeySet) -> None:
    plain = HTML(string="<p>Tjänstgöringsintyg</p>").write_pdf()
    result = verify_pdf(plain, keyset)
    assert result.failure is Failure.NO_CREDENTIAL


def test_bytes_that_are_not_a_pdf_fail(keyset: KeySet) -> None:
    result = verify_pdf(b"GIF89a not a pdf at all", keyset)
    assert result.failure is Failure.NOT_A_PDF
