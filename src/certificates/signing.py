"""Ed25519 signing keys and the published keyset that verifies them.

The keyset is the JSON the service publishes at /.well-known/samverka-keys.json:

    {
      "format": "samverka-keys/1",
      "issuer": "https://samverka.example",
      "keys": [
        {"id": "k-3f9c0d1e2a4b", "type": "Multikey",
         "controller": "https://samverka.example",
         "publicKeyMultibase": "z6Mk...",
         "publicKeyJwk": {"kty": "OKP", "crv": "Ed25519", "x": "..."},
         "not_before": "2025-01-01T00:00:00Z", "not_after": null, "revoked": false}
      ]
    }

A key signs certificates from `not_before` until `not_after`; after rotation its
public half stays in the keyset so that old certificates still verify. A key marked
`revoked` (it leaked) verifies nothing any more.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from certificates.errors import KeySetError

KEYSET_FORMAT = "samverka-keys/1"
KEYSET_PATH = "/.well-known/samverka-keys.json"
SIGNING_KEY_ENV = "SAMVERKA_SIGNING_KEY"
SIGNING_KEY_ID_ENV = "SAMVERKA_SIGNING_KEY_ID"
_ED25519_MULTICODEC = b"\xed\x01"
_B58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def b58encode(data: bytes) -> str:
    """Base58 (Bitcoin alphabet), as multibase 'z' uses it."""
    number = int.from_bytes(data, "big")
    out = ""
    while number:
        number, digit = divmod(number, 58)
        out = _B58_ALPHABET[digit] + out
    leading_zeros = len(data) - len(data.lstrip(b"\0"))
    return "1" * leading_zeros + out


def b58decode(text: str) -> bytes:
    """Inverse of `b58encode`; raises ValueError on a character outside the alphabet."""
    number = 0
    for char in text:
        digit = _B58_ALPHABET.find(char)
        if digit < 0:
            raise ValueError(f"not base58: {char!r}")
        number = number * 58 + digit
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    leading_ones = len(text) - len(text.lstrip("1"))
    return b"\0" * leading_ones + body


def multibase_encode(data: bytes) -> str:
    """Multibase base58btc: 'z' followed by base58."""
    return "z" + b58encode(data)


def multibase_decode(text: str) -> bytes:
    """Decode multibase base58btc; raises ValueError for any other base."""
    if not text.startswith("z"):
        raise ValueError("expected multibase base58btc (a leading 'z')")
    return b58decode(text[1:])


def _raw_public(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id_for(public_key: Ed25519PublicKey) -> str:
    """A short, stable key id derived from the public key itself."""
    return "k-" + hashlib.sha256(_raw_public(public_key)).hexdigest()[:12]


@dataclass(frozen=True, slots=True)
class SigningKey:
    """An Ed25519 private key and the id it is published under."""

    key_id: str
    private_key: Ed25519PrivateKey = field(repr=False)

    @classmethod
    def generate(cls, key_id: str | None = None) -> SigningKey:
        """A fresh key; its id is derived from the public key unless given."""
        private_key = Ed25519PrivateKey.generate()
        return cls(key_id or key_id_for(private_key.public_key()), private_key)

    @classmethod
    def from_pem(cls, pem: bytes | str, key_id: str | None = None) -> SigningKey:
        """Load an unencrypted PKCS#8 PEM private key."""
        data = pem.encode() if isinstance(pem, str) else pem
        try:
            private_key = serialization.load_pem_private_key(data, password=None)
        except (ValueError, TypeError) as exc:
            raise KeySetError(f"cannot read the private key: {exc}") from exc
        if not isinstance(private_key, Ed25519PrivateKey):
            raise KeySetError("the private key is not an Ed25519 key")
        return cls(key_id or key_id_for(private_key.public_key()), private_key)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> SigningKey:
        """Load from SAMVERKA_SIGNING_KEY: PEM text, or the path of a PEM file.

        SAMVERKA_SIGNING_KEY_ID names the key if it was published under a chosen id.
        """
        env = os.environ if environ is None else environ
        value = env.get(SIGNING_KEY_ENV, "").strip()
        if not value:
            raise KeySetError(f"{SIGNING_KEY_ENV} is not set")
        if "-----BEGIN" in value:
            pem = value.replace("\\n", "\n").encode()
        else:
            try:
                pem = Path(value).read_bytes()
            except OSError as exc:
                raise KeySetError(f"{SIGNING_KEY_ENV}: cannot read {value}: {exc}") from exc
        return cls.from_pem(pem, env.get(SIGNING_KEY_ID_ENV) or None)

    def to_pem(self) -> bytes:
        """The private key as unencrypted PKCS#8 PEM (keep it secret)."""
        return self.private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )

    def sign(self, message: bytes) -> bytes:
        """An Ed25519 signature of `message`."""
        return self.private_key.sign(message)

    def public_entry(self, issuer: str, not_before: datetime | None = None) -> PublicKeyEntry:
        """The keyset entry that publishes this key's public half."""
        return PublicKeyEntry(
            key_id=self.key_id,
            controller=issuer,
            public_key=self.private_key.public_key(),
            not_before=not_before,
        )


@dataclass(frozen=True, slots=True)
class PublicKeyEntry:
    """A public key in the keyset, with the period it may sign in."""

    key_id: str
    controller: str
    public_key: Ed25519PublicKey = field(repr=False)
    not_before: datetime | None = None
    not_after: datetime | None = None
    revoked: bool = False

    @property
    def public_key_multibase(self) -> str:
        """Multikey form: multibase(base58btc, 0xed01 + raw key)."""
        return multibase_encode(_ED25519_MULTICODEC + _raw_public(self.public_key))

    def valid_at(self, moment: datetime) -> bool:
        """Whether a signature made at `moment` is acceptable from this key."""
        if self.revoked:
            return False
        if self.not_before is not None and moment < self.not_before:
            return False
        return self.not_after is None or moment <= self.not_after

    def verify(self, signature: bytes, message: bytes) -> bool:
        """Whether `signature` is this key's Ed25519 signature of `message`."""
        try:
            self.public_key.verify(signature, message)
        except InvalidSignature:
            return False
        return True

    def to_json(self) -> dict[str, Any]:
        """The entry as published."""
        raw = _raw_public(self.public_key)
        return {
            "id": self.key_id,
            "type": "Multikey",
            "controller": self.controller,
            "publicKeyMultibase": self.public_key_multibase,
            "publicKeyJwk": {
                "kty": "OKP",
                "crv": "Ed25519",
                "x": base64.urlsafe_b64encode(raw).rstrip(b"=").decode(),
            },
            "not_before": _format_time(self.not_before),
            "not_after": _format_time(self.not_after),
            "revoked": self.revoked,
        }

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> PublicKeyEntry:
        """Read one published entry; a key given in both forms must be the same key in both."""
        try:
            forms: list[bytes] = []
            if "publicKeyMultibase" in raw:
                decoded = multibase_decode(str(raw["publicKeyMultibase"]))
                if not decoded.startswith(_ED25519_MULTICODEC):
                    raise ValueError("publicKeyMultibase is not an Ed25519 Multikey")
                forms.append(decoded[len(_ED25519_MULTICODEC) :])
            if "publicKeyJwk" in raw:
                jwk = raw["publicKeyJwk"]
                if jwk.get("kty") != "OKP" or jwk.get("crv") != "Ed25519":
                    raise ValueError("publicKeyJwk is not an Ed25519 OKP key")
                x = str(jwk["x"])
                forms.append(base64.urlsafe_b64decode(x + "=" * (-len(x) % 4)))
            if not forms:
                raise ValueError("neither publicKeyMultibase nor publicKeyJwk")
            # Verifiers that read the JWK and ones that read the Multikey must check
            # against one and the same key, or a keyset could say two things at once.
            if len(set(forms)) > 1:
                raise ValueError("publicKeyMultibase and publicKeyJwk are different keys")
            key_bytes = forms[0]
            return cls(
                key_id=str(raw["id"]),
                controller=str(raw["controller"]),
                public_key=Ed25519PublicKey.from_public_bytes(key_bytes),
                not_before=_parse_time(raw.get("not_before")),
                not_after=_parse_time(raw.get("not_after")),
                revoked=bool(raw.get("revoked", False)),
            )
        except (KeyError, ValueError, TypeError, AttributeError) as exc:
            raise KeySetError(f"bad key entry {raw.get('id')!r}: {exc}") from exc


@dataclass(frozen=True, slots=True)
class KeySet:
    """The issuer's public keys, current and retired."""

    issuer: str
    keys: tuple[PublicKeyEntry, ...] = ()

    @classmethod
    def for_key(cls, key: SigningKey, issuer: str, not_before: datetime | None = None) -> KeySet:
        """A keyset holding just `key`'s public half."""
        return cls(issuer, (key.public_entry(issuer, not_before),))

    def get(self, key_id: str) -> PublicKeyEntry | None:
        """The entry with this id, if published."""
        return next((entry for entry in self.keys if entry.key_id == key_id), None)

    def rotate(self, new_key: SigningKey, at: datetime | None = None) -> KeySet:
        """A keyset in which `new_key` signs from `at` and every older key stops then.

        Old public keys stay, so certificates they signed keep verifying.
        """
        moment = (at or datetime.now(UTC)).replace(microsecond=0)
        if self.get(new_key.key_id) is not None:
            raise KeySetError(f"key {new_key.key_id} is already in the keyset")
        retired = tuple(
            entry if entry.not_after is not None and entry.not_after <= moment else replace(entry, not_after=moment)
            for entry in self.keys
        )
        return KeySet(self.issuer, (*retired, new_key.public_entry(self.issuer, moment)))

    def revoke(self, key_id: str) -> KeySet:
        """A keyset in which `key_id` verifies nothing (use when a key leaked)."""
        if self.get(key_id) is None:
            raise KeySetError(f"no key {key_id} in the keyset")
        return KeySet(
            self.issuer,
            tuple(replace(e, revoked=True) if e.key_id == key_id else e for e in self.keys),
        )

    def to_json(self) -> dict[str, Any]:
        """The keyset as published at /.well-known/samverka-keys.json."""
        return {
            "format": KEYSET_FORMAT,
            "issuer": self.issuer,
            "keys": [entry.to_json() for entry in self.keys],
        }

    def dumps(self) -> str:
        """The published JSON text."""
        return json.dumps(self.to_json(), indent=2, ensure_ascii=False) + "\n"

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the keyset JSON to `path`."""
        Path(path).write_text(self.dumps(), encoding="utf-8")

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> KeySet:
        """Read a parsed keyset document."""
        if not isinstance(raw, Mapping) or raw.get("format") != KEYSET_FORMAT:
            raise KeySetError(f"not a {KEYSET_FORMAT} keyset")
        try:
            issuer = str(raw["issuer"])
            keys = tuple(PublicKeyEntry.from_json(item) for item in raw["keys"])
        except (KeyError, TypeError) as exc:
            raise KeySetError(f"bad keyset: {exc}") from exc
        ids = [entry.key_id for entry in keys]
        if len(set(ids)) != len(ids):
            raise KeySetError("bad keyset: a key id is listed twice")
        strangers = [entry.key_id for entry in keys if entry.controller != issuer]
        if strangers:
            raise KeySetError(f"bad keyset: key {strangers[0]!r} is controlled by another issuer than {issuer!r}")
        return cls(issuer=issuer, keys=keys)

    @classmethod
    def loads(cls, text: str | bytes) -> KeySet:
        """Parse keyset JSON text."""
        try:
            return cls.from_json(json.loads(text))
        except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as exc:
            raise KeySetError(f"keyset is not JSON text: {exc}") from exc

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> KeySet:
        """Read keyset JSON from a file."""
        try:
            return cls.loads(Path(path).read_bytes())
        except OSError as exc:
            raise KeySetError(f"cannot read keyset {path}: {exc}") from exc


def _format_time(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_time(value: object) -> datetime | None:
    if value is None:
        return None
    moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError(f"time without zone: {value}")
    return moment
