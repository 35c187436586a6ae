"""Is this PDF a genuine Samverka certificate? Checked offline against a keyset.

Two things must hold:

1. The embedded credential.json carries a valid eddsa-jcs-2022 proof by a key in the
   keyset that was valid (not revoked, within its period) when it signed.
2. The page says what the credential says. The visible text is extracted with pypdf
   and, ignoring whitespace and case, must contain the certificate id, the volunteer's
   name and birth date, the partner and partnership, the period, the verified hours
   and sessions as the page words them, and every skill's ESCO URI.

The second check catches a page re-made with other facts around a genuine credential.
It cannot notice text *added* to the page, or changes to wording it does not compare
(tasks, activities); for those the signed credential is the authority, and the CLI
prints its facts so that a reader can compare them with the page.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, cast

from pypdf import PdfReader
from pypdf.errors import PdfReadError

from certificates.credential import CREDENTIAL_FILENAME, check_proof, subject_facts
from certificates.errors import Failure, ProofError
from certificates.i18n import format_date, format_hours, t
from certificates.model import Language
from certificates.signing import KeySet

_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class VerificationResult:
    """The outcome: `ok`, or the `failure` kind and a reason a person can read."""

    ok: bool
    reason: str
    failure: Failure | None = None
    certificate_id: str | None = None
    key_id: str | None = None
    credential: dict[str, Any] | None = field(default=None, repr=False)

    def __bool__(self) -> bool:
        return self.ok

    @classmethod
    def failed(cls, failure: Failure, reason: str, credential: Mapping[str, Any] | None = None) -> VerificationResult:
        """A failed result."""
        return cls(
            ok=False,
            reason=reason,
            failure=failure,
            certificate_id=_certificate_id(credential),
            credential=dict(credential) if credential is not None else None,
        )


def extract_credential(pdf_bytes: bytes) -> tuple[dict[str, Any], str]:
    """The embedded credential and the page text; raises ProofError if unreadable."""
    try:
        reader = PdfReader(io.BytesIO(pdf_bytes))
        attachments = reader.attachments
        payloads = list(attachments.get(CREDENTIAL_FILENAME, []))
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ProofError(Failure.NOT_A_PDF, f"not a readable PDF: {exc}") from exc
    if not payloads:
        raise ProofError(Failure.NO_CREDENTIAL, f"the PDF has no embedded {CREDENTIAL_FILENAME}")
    if len(payloads) > 1:
        raise ProofError(Failure.MALFORMED_CREDENTIAL, f"the PDF embeds {CREDENTIAL_FILENAME} more than once")
    try:
        credential = json.loads(payloads[0])
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ProofError(Failure.MALFORMED_CREDENTIAL, f"{CREDENTIAL_FILENAME} is not valid JSON: {exc}") from exc
    if not isinstance(credential, dict):
        raise ProofError(Failure.MALFORMED_CREDENTIAL, f"{CREDENTIAL_FILENAME} is not an object")
    return credential, text


def verify_credential(credential: Mapping[str, Any], keyset: KeySet) -> VerificationResult:
    """Check only the credential's proof (for a credential received on its own)."""
    try:
        key_id = check_proof(credential, keyset)
        facts = subject_facts(credential)
    except ProofError as exc:
        return VerificationResult.failed(exc.failure, exc.message, credential)
    return VerificationResult(
        ok=True,
        reason=f"signed by {keyset.issuer} with key {key_id}",
        certificate_id=str(facts.get("certificateId")),
        key_id=key_id,
        credential=dict(credential),
    )


def verify_pdf(pdf_bytes: bytes, keyset: KeySet) -> VerificationResult:
    """Verify a certificate PDF: the embedded credential's proof, then the page text."""
    try:
        credential, text = extract_credential(pdf_bytes)
    except ProofError as exc:
        return VerificationResult.failed(exc.failure, exc.message)
    result = verify_credential(credential, keyset)
    if not result.ok:
        return result
    mismatches = page_mismatches(subject_facts(credential), text)
    if mismatches:
        return VerificationResult.failed(
            Failure.CHANGED_CONTENT,
            "the page does not say what the signed credential says: "
            + "; ".join(f"{name} should read {expected!r}" for name, expected in mismatches),
            credential,
        )
    return result


def page_mismatches(facts: Mapping[str, Any], page_text: str) -> list[tuple[str, str]]:
    """The signed facts (name, expected wording) that the page text does not contain."""
    try:
        language = cast(Language, facts["language"] if facts["language"] == "sv" else "en")
        expected: list[tuple[str, str]] = [
            ("certificate id", str(facts["certificateId"])),
            ("name", str(facts["volunteer"]["name"])),
            ("birth date", format_date(date.fromisoformat(facts["volunteer"]["birthDate"]), language)),
            ("partner", str(facts["partner"])),
            ("partnership", str(facts["partnership"])),
            ("period start", format_date(date.fromisoformat(facts["periodStart"]), language)),
            ("period end", format_date(date.fromisoformat(facts["periodEnd"]), language)),
            ("hours", f"{format_hours(int(facts['verifiedMinutes']), language)} {t('hours', language)}"),
            ("sessions", f"{int(facts['sessions'])} {t('sessions', language)}"),
        ]
        expected += [("skill", str(skill["escoUri"])) for skill in facts["skills"]]
    except (KeyError, TypeError, ValueError) as exc:
        return [("credential facts", f"readable facts ({exc})")]
    haystack = _squash(page_text)
    return [(name, wording) for name, wording in expected if _squash(wording) not in haystack]


def _squash(text: str) -> str:
    return _WHITESPACE.sub("", text).casefold()


def _certificate_id(credential: Mapping[str, Any] | None) -> str | None:
    if credential is None:
        return None
    try:
        return str(subject_facts(credential)["certificateId"])
    except (ProofError, KeyError):
        return None
