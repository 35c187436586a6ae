"""Password hashing, password policy and secret tokens."""

from __future__ import annotations

import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from volunteers.errors import InvalidInput

# Moderate argon2id cost: ~20 ms on this class of machine, so log-ins stay snappy under load.
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)

MIN_PASSWORD_LENGTH = 10
# The most common passwords (and Swedish favourites) that pass the length rule.
COMMON_PASSWORDS = frozenset(
    {
        "1234567890",
        "12345678910",
        "123456789a",
        "qwertyuiop",
        "password12",
        "password123",
        "passw0rd123",
        "iloveyou123",
        "abcdefghij",
        "0987654321",
        "1111111111",
        "aaaaaaaaaa",
        "sommar2024",
        "sommar2025",
        "sommar2026",
        "losenord123",
        "lösenord123",
        "hejhejhej1",
        "qwerty1234",
        "asdfghjkl1",
        "zaq12wsxcde",
        "football123",
        "fotboll123",
        "welcome123",
        "letmein123",
        "samverka123",
        "pettersberg",
        "vasteras123",
        "västerås123",
    }
)


def hash_password(password: str) -> str:
    """An argon2id hash of the password."""
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether the password matches the hash (constant-time in argon2)."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# A hash to verify against when the e-mail is unknown, so timing does not tell who exists.
DUMMY_HASH = hash_password(secrets.token_urlsafe(16))


def check_password_policy(password: str, *, email: str = "", field: str = "password") -> None:
    """Refuse short, common or e-mail-like passwords, naming the field."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(field, f"must be at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > 256:
        raise InvalidInput(field, "must be at most 256 characters")
    lowered = password.lower()
    if lowered in COMMON_PASSWORDS or len(set(lowered)) < 4:
        raise InvalidInput(field, "is too common; choose another")
    if email and lowered == email.lower():
        raise InvalidInput(field, "must not be your e-mail address")


def new_token(nbytes: int = 32) -> str:
    """A URL-safe random secret."""
    return secrets.token_urlsafe(nbytes)


def token_hash(token: str) -> str:
    """What the database keeps of a secret token."""
    return hashlib.sha256(token.encode()).hexdigest()
