from __future__ import annotations

import copy
import hashlib
from datetime import UTC, datetime, timedelta

import pytest
import rfc8785

from certificates import (
    Failure,
    KeySet,
    ProofError,
    SigningKey,
    build_credential,
    check_proof,
    sign_credential,
)
from certificates.examples import sample_certificate
from certificates.signing import multibase_decode

SIGNED_AT = datetime(2025, 6, 10, 9, 30, tzinfo=UTC)


@pytest.fixture
def signed(key: SigningKey) -> dict:
    return sign_credential(build_credential(sample_certificate("sv"), SIGNED_AT), key, SIGNED_AT)


def test_credential_is_an_open_badges_3_credential(signed: dict) -> None:
    assert signed["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert signed["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    assert "ob/v3p0" in signed["@context"][1]
    assert signed["issuer"]["id"] == "https://samverka.example"
    assert signed["validFrom"] == "2025-06-10T09:30:00Z"
    subject = signed["credentialSubject"]
    assert subject["achievement"]["achievementType"] == "CommunityService"
    assert subject["identifier"][0]["identityHash"] == "Amira Haddad Öberg"


def test_credential_states_hours_and_esco_skills(signed: dict) -> None:
    subject = signed["credentialSubject"]
    facts = subject["samverka"]
    assert facts["verifiedMinutes"] == 5130
    assert facts["sessions"] == 46
    assert facts["unpaid"] is True
    alignment = subject["achievement"]["alignment"]
    assert len(alignment) == 8
    assert all(a["targetUrl"].startswith("http://data.europa.eu/esco/skill/") for a in alignment)
    assert {s["assessedBy"] for s in facts["skills"]} == {"leader", "self"}


def test_credential_says_nothing_about_background_checks(signed: dict) -> None:
    text = str(signed).casefold()
    assert "background" not in text and "belastning" not in text


def test_proof_is_eddsa_jcs_2022_computed_independently(signed: dict, key: SigningKey) -> None:
    (proof,) = signed["proof"]
    assert proof["type"] == "DataIntegrityProof"
    assert proof["cryptosuite"] == "eddsa-jcs-2022"
    assert proof["verificationMethod"] == f"https://samverka.example#{key.key_id}"
    assert proof["proofValue"].startswith("z")
    # Recompute per the cryptosuite: SHA-256(JCS(proof options + @context)) ||
    # SHA-256(JCS(document without proof)), verified with the raw public key.
    options = {k: v for k, v in proof.items() if k != "proofValue"}
    options["@context"] = signed["@context"]
    document = {k: v for k, v in signed.items() if k != "proof"}
    message = hashlib.sha256(rfc8785.dumps(options)).digest() + hashlib.sha256(rfc8785.dumps(document)).digest()
    signature = multibase_decode(proof["proofValue"])
    assert len(signature) == 64
    key.private_key.public_key().verify(signature, message)  # raises if wrong


def test_signed_credential_verifies(signed: dict, keyset: KeySet, key: SigningKey) -> None:
    assert check_proof(signed, keyset) == key.key_id


def test_changed_hours_break_the_signature(signed: dict, keyset: KeySet) -> None:
    forged = copy.deepcopy(signed)
    forged["credentialSubject"]["samverka"]["verifiedMinutes"] = 6130
    with pytest.raises(ProofError) as error:
        check_proof(forged, keyset)
    assert error.value.failure is Failure.BAD_SIGNATURE


def test_one_changed_character_anywhere_breaks_the_signature(signed: dict, keyset: KeySet) -> None:
    forged = copy.deepcopy(signed)
    forged["credentialSubject"]["samverka"]["volunteer"]["name"] = "Amira Haddad Oberg"
    with pytest.raises(ProofError) as error:
        check_proof(forged, keyset)
    assert error.value.failure is Failure.BAD_SIGNATURE


def test_key_missing_from_keyset_is_unknown(signed: dict) -> None:
    stranger = KeySet.for_key(SigningKey.generate(), "https://samverka.example")
    with pytest.raises(ProofError) as error:
        check_proof(signed, stranger)
    assert error.value.failure is Failure.UNKNOWN_KEY


def test_keyset_of_another_issuer_does_not_vouch(signed: dict, key: SigningKey) -> None:
    other = KeySet.for_key(key, "https://elsewhere.example")
    with pytest.raises(ProofError) as error:
        check_proof(signed, other)
    assert error.value.failure is Failure.UNKNOWN_KEY


def test_signature_after_the_key_was_retired_is_rejected(signed: dict, key: SigningKey) -> None:
    retired = KeySet.for_key(key, "https://samverka.example").rotate(
        SigningKey.generate(), SIGNED_AT - timedelta(days=1)
    )
    with pytest.raises(ProofError) as error:
        check_proof(signed, retired)
    assert error.value.failure is Failure.KEY_NOT_VALID


def test_signature_before_rotation_still_verifies(signed: dict, key: SigningKey) -> None:
    rotated = KeySet.for_key(key, "https://samverka.example").rotate(
        SigningKey.generate(), SIGNED_AT + timedelta(days=1)
    )
    assert check_proof(signed, rotated) == key.key_id


def test_revoked_key_verifies_nothing(signed: dict, key: SigningKey) -> None:
    revoked = KeySet.for_key(key, "https://samverka.example").revoke(key.key_id)
    with pytest.raises(ProofError) as error:
        check_proof(signed, revoked)
    assert error.value.failure is Failure.KEY_NOT_VALID


def test_credential_without_proof_is_malformed(signed: dict, keyset: KeySet) -> None:
    unsigned = {k: v for k, v in signed.items() if k != "proof"}
    with pytest.raises(ProofError) as error:
        check_proof(unsigned, keyset)
    assert error.value.failure is Failure.MALFORMED_CREDENTIAL
