"""Errors the certificates library raises.

    CertificateError
    ├── CertificateDataError   the certificate facts are incomplete or contradictory
    ├── CatalogueError         a skill or key competence code is not in the catalogue
    ├── KeySetError            a signing key or keyset cannot be read
    └── ProofError             a credential's proof does not hold (has a `Failure`)

Verification never raises for a bad certificate: `verify_pdf` returns a result that
says why it failed. It raises only for programming errors.
"""

from __future__ import annotations

from enum import StrEnum


class CertificateError(Exception):
    """Base class for everything this library raises on purpose."""


class CertificateDataError(CertificateError, ValueError):
    """The certificate facts are incomplete or contradictory; names the field."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


class CatalogueError(CertificateError, LookupError):
    """A skill or key competence code is not in the shipped catalogue."""


class KeySetError(CertificateError, ValueError):
    """A signing key or keyset cannot be read, or lacks the key asked for."""


class Failure(StrEnum):
    """Why a certificate did not verify; the CLI prints it, the service may map it."""

    NOT_A_PDF = "not-a-pdf"
    NO_CREDENTIAL = "no-credential"
    MALFORMED_CREDENTIAL = "malformed-credential"
    UNKNOWN_KEY = "unknown-key"
    KEY_NOT_VALID = "key-not-valid"
    BAD_SIGNATURE = "bad-signature"
    CHANGED_CONTENT = "changed-content"


class ProofError(CertificateError):
    """A credential's proof does not hold; carries the `Failure` kind."""

    def __init__(self, failure: Failure, message: str) -> None:
        super().__init__(message)
        self.failure = failure
        self.message = message
