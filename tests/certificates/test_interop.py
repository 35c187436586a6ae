"""The signing code against the W3C eddsa-jcs-2022 test vector, and proofs in both shapes."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from certificates import KeySet, SigningKey, check_proof, sign_credential
from certificates.credential import _hash_data
from certificates.signing import multibase_decode, multibase_encode

VECTORS = Path(__file__).parent / "fixtures" / "vc-di-eddsa"  # source and licence: SOURCE.md there


def _vector(name: str) -> dict:
    return json.loads((VECTORS / name).read_text("utf-8"))


def _vector_key() -> SigningKey:
    raw = multibase_decode(_vector("keyPair.json")["privateKeyMultibase"])
    assert raw[:2] == b"\x80\x26"  # multicodec ed25519-priv
    return SigningKey("vector", Ed25519PrivateKey.from_private_bytes(raw[2:]))


def test_signing_code_reproduces_the_w3c_eddsa_jcs_2022_vector() -> None:
    unsigned = _vector("unsigned.json")
    options = _vector("proofConfigJCS.json")
    key = _vector_key()
    # The public key is the vector's, in our Multikey encoding.
    public = key.public_entry("https://vc.example/issuers/5678").public_key_multibase
    assert public == _vector("keyPair.json")["publicKeyMultibase"]
    # Our hashing of proof options and document: the vector's combined hash, byte for byte.
    options_without_context = {k: v for k, v in options.items() if k != "@context"}
    message = _hash_data(options_without_context, unsigned)
    assert message.hex() == (VECTORS / "combinedHashJCS.txt").read_text().strip()
    # Ed25519 is deterministic: our signature and encoding are the vector's proofValue.
    assert multibase_encode(key.sign(message)) == _vector("signedJCS.json")["proof"]["proofValue"]


def test_a_signed_credential_carries_its_proof_as_an_array_and_old_single_proofs_still_verify() -> None:
    key = SigningKey.generate()
    keyset = KeySet.for_key(key, "https://samverka.example", not_before=datetime(2025, 1, 1, tzinfo=UTC))
    document = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential"],
        "issuer": {"id": "https://samverka.example"},
        "credentialSubject": {"name": "x"},
    }
    signed = sign_credential(document, key, datetime(2025, 6, 10, tzinfo=UTC))
    assert isinstance(signed["proof"], list) and len(signed["proof"]) == 1
    assert check_proof(signed, keyset) == key.key_id
    older = {**signed, "proof": signed["proof"][0]}  # as certificates were issued before
    assert check_proof(older, keyset) == key.key_id
    twice = {**signed, "proof": signed["proof"] * 2}
    try:
        check_proof(twice, keyset)
    except Exception as exc:
        assert "exactly one proof" in str(exc)
    else:
        raise AssertionError("two proofs were accepted")
