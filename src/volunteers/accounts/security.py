"""Password hashing, password policy and secret tokens."""

from __future__ import annotations

import asyncio
import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from volunteers.accounts.passwords import is_demo_password, too_guessable
from volunteers.errors import InvalidInput

# Moderate argon2id cost: ~20 ms on this class of machine, so log-ins stay snappy under load.
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)

MIN_PASSWORD_LENGTH = 10


def hash_password(password: str) -> str:
    """An argon2id hash of the password."""
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether the password matches the hash (constant-time in argon2)."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


async def hash_password_off_loop(password: str) -> str:
    """hash_password in a thread: argon2 lets go of the interpreter lock, so the event loop
    (and /health) does not wait the ~20-45 ms a hash takes."""
    return await asyncio.to_thread(hash_password, password)


async def verify_password_off_loop(password_hash: str, password: str) -> bool:
    """verify_password in a thread, for the same reason."""
    return await asyncio.to_thread(verify_password, password_hash, password)


# A hash to verify against when the e-mail is unknown, so timing does not tell who exists.
DUMMY_HASH = hash_password(secrets.token_urlsafe(16))


def check_password_policy(
    password: str, *, email: str = "", field: str = "password", names: tuple[str, ...] = ()
) -> None:
    """Refuse short, common, guessable or e-mail-like passwords and the demo's, naming the field.

    Every new password goes through here: registration, reset, change, and accepting an
    invitation. The words are in accounts/passwords.py.
    """
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(field, f"must be at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > 256:
        raise InvalidInput(field, "must be at most 256 characters")
    lowered = password.lower()
    if email and lowered == email.lower():
        raise InvalidInput(field, "must not be your e-mail address")
    if is_demo_password(password):
        raise InvalidInput(field, "is the published demo password; choose another")
    inputs = tuple(x for x in (email, *email.partition("@")[::2], *names) if x)
    if len(set(lowered)) < 4 or too_guessable(password, inputs):
        raise InvalidInput(field, "is too common or too easy to guess; choose another")


def new_token(nbytes: int = 32) -> str:
    """A URL-safe random secret."""
    return secrets.token_urlsafe(nbytes)


def token_hash(token: str) -> str:
    """What the database keeps of a secret token."""
    return hashlib.sha256(token.encode()).hexdigest()
