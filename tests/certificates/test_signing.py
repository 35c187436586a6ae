from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from certificates import KeySet, KeySetError, SigningKey
from certificates.signing import b58decode, b58encode


@given(st.binary(max_size=80))
def test_base58_round_trips(data: bytes) -> None:
    assert b58decode(b58encode(data)) == data


def test_base58_matches_the_bitcoin_alphabet() -> None:
    assert b58encode(b"hello world") == "StV1DL6CwTryKyV"
    assert b58encode(b"\0\0\x01") == "112"


def test_key_id_is_stable_for_the_same_key() -> None:
    key = SigningKey.generate()
    assert SigningKey.from_pem(key.to_pem()).key_id == key.key_id
    assert SigningKey.generate().key_id != key.key_id


def test_keyset_round_trips_through_published_json() -> None:
    key = SigningKey.generate("2025-a")
    keyset = KeySet.for_key(key, "https://samverka.example")
    loaded = KeySet.loads(keyset.dumps())
    assert loaded.issuer == "https://samverka.example"
    entry = loaded.get("2025-a")
    assert entry is not None
    assert entry.public_key_multibase.startswith("z6Mk")  # an Ed25519 Multikey
    assert entry.verify(key.sign(b"message"), b"message")


def test_keyset_entry_can_be_read_from_jwk_alone() -> None:
    key = SigningKey.generate()
    raw = KeySet.for_key(key, "https://samverka.example").to_json()
    del raw["keys"][0]["publicKeyMultibase"]
    entry = KeySet.from_json(raw).keys[0]
    assert entry.verify(key.sign(b"m"), b"m")


def test_rotation_keeps_old_public_keys_and_retires_them() -> None:
    old, new = SigningKey.generate(), SigningKey.generate()
    at = datetime(2026, 1, 1, tzinfo=UTC)
    keyset = KeySet.for_key(old, "https://samverka.example").rotate(new, at)
    old_entry, new_entry = keyset.get(old.key_id), keyset.get(new.key_id)
    assert old_entry is not None and new_entry is not None
    assert old_entry.not_after == at
    assert old_entry.valid_at(at - timedelta(days=30))
    assert not old_entry.valid_at(at + timedelta(seconds=1))
    assert new_entry.valid_at(at + timedelta(days=400))
    assert KeySet.loads(keyset.dumps()).get(old.key_id) is not None


def test_revoked_key_is_valid_at_no_time() -> None:
    key = SigningKey.generate()
    keyset = KeySet.for_key(key, "https://samverka.example").revoke(key.key_id)
    entry = keyset.get(key.key_id)
    assert entry is not None and entry.revoked
    assert not entry.valid_at(datetime(2025, 1, 1, tzinfo=UTC))


def test_private_key_loads_from_env_as_pem_text_or_path(tmp_path) -> None:
    key = SigningKey.generate("chosen-id")
    path = tmp_path / "key.pem"
    path.write_bytes(key.to_pem())
    from_text = SigningKey.from_env({"SAMVERKA_SIGNING_KEY": key.to_pem().decode()})
    from_path = SigningKey.from_env({"SAMVERKA_SIGNING_KEY": str(path), "SAMVERKA_SIGNING_KEY_ID": "chosen-id"})
    assert from_text.to_pem() == key.to_pem()
    assert from_path.key_id == "chosen-id"


def test_missing_or_bad_private_key_is_a_keyset_error() -> None:
    with pytest.raises(KeySetError):
        SigningKey.from_env({})
    with pytest.raises(KeySetError):
        SigningKey.from_pem(b"-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----\n")


def test_keyset_of_another_format_is_rejected() -> None:
    with pytest.raises(KeySetError):
        KeySet.loads('{"keys": []}')
