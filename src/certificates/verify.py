"""Is this PDF a genuine Samverka certificate? Checked offline against a keyset.

Three things must hold:

1. The embedded credential.json carries a valid eddsa-jcs-2022 proof by a key in the
   keyset that was valid (not revoked, within its period) when it signed.
2. The page says exactly what the credential says. The whole text the credential
   implies is rebuilt with the renderer's own wording (`page.page_lines`) and compared
   with the text pypdf extracts from the page, ignoring only whitespace (where lines
   break): a word added, changed or removed anywhere fails.
3. Everything on the page is text a reader sees, drawn the way the renderer draws
   (`visible.page_problems`): no invisible, tiny, white, clipped or off-page text, no
   shapes painted over text, no extra content streams, XObjects, annotations, form
   fields or layers.
4. Every glyph drawn is the glyph the renderer's packaged font draws for the text that
   is extracted from it (`glyphs.glyph_problems`): a font whose ToUnicode map was
   remapped, so that the page shows "120,5" where the text reads "20,5", fails.
"""

from __future__ import annotations

import io
import json
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pypdf import PdfReader
from pypdf.errors import PdfReadError

from certificates.credential import CREDENTIAL_FILENAME, check_proof, data_from_credential, subject_facts
from certificates.errors import CertificateError, Failure, ProofError
from certificates.glyphs import glyph_problems
from certificates.page import PAGE_VERSIONS, page_lines
from certificates.signing import KeySet
from certificates.visible import page_problems

_WHITESPACE = re.compile(r"\s+")
_INDIC = (0x0900, 0x0DFF)  # Devanagari to Sinhala: scripts whose shaping reorders vowel signs


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


def extract_credential(pdf_bytes: bytes) -> tuple[dict[str, Any], str, list[str]]:
    """The embedded credential, the page text and what the page draws that the renderer does not.

    Raises ProofError if the PDF or its credential cannot be read.
    """
    try:
        reader = PdfReader(io.BytesIO(pdf_bytes))
        attachments = reader.attachments
        payloads = list(attachments.get(CREDENTIAL_FILENAME, []))
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
        # Then that each glyph drawn looks like the text read from it (a remapped ToUnicode map).
        hidden = page_problems(reader) or glyph_problems(reader)
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
    return credential, text, hidden


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
    """Verify a certificate PDF: the embedded credential's proof, then what the page shows."""
    try:
        credential, text, hidden = extract_credential(pdf_bytes)
    except ProofError as exc:
        return VerificationResult.failed(exc.failure, exc.message)
    result = verify_credential(credential, keyset)
    if not result.ok:
        return result
    if hidden:
        return VerificationResult.failed(
            Failure.CHANGED_CONTENT,
            "the page draws what the renderer never draws: " + "; ".join(dict.fromkeys(hidden)),
            credential,
        )
    difference = page_difference(credential, text)
    if difference:
        return VerificationResult.failed(
            Failure.CHANGED_CONTENT, "the page does not say what the signed credential says: " + difference, credential
        )
    return result


def page_difference(credential: Mapping[str, Any], page_text: str) -> str | None:
    """Where the page text departs from the text the credential implies, or None if it does not."""
    try:
        data = data_from_credential(credential)
        version = int(subject_facts(credential).get("pageVersion", 1))
        if version not in PAGE_VERSIONS:
            return f"the credential asks for page wording {version}, which this verifier does not know"
    except (CertificateError, KeyError, TypeError, ValueError) as exc:
        return f"the credential's facts cannot be read ({exc})"
    expected = [line.text for line in page_lines(data, version).all_lines()]
    return _difference(expected, page_text)


def _difference(expected_lines: list[str], page_text: str) -> str | None:
    """The first place the page differs from the expected lines, as a reader-friendly sentence."""
    page = _squash(page_text)
    position = 0
    for line in expected_lines:
        wanted = _squash(line)
        if page.startswith(wanted, position):
            position += len(wanted)
            continue
        found = page[position : position + len(wanted) + 20]
        if wanted and wanted in page[position:]:
            extra = page[position : page.index(wanted, position)]
            return f"text added before {line!r}: {_short(extra)!r}"
        return f"expected {line!r}, the page reads {_short(found)!r}"
    if position != len(page):
        return f"text added at the end: {_short(page[position:])!r}"
    return None


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "..."


def _squash(text: str) -> str:
    # Only whitespace is ignored: the extracted text breaks lines where the page wraps
    # them. Unicode is compared in NFC, so a composed and a decomposed "ö" are the same.
    # Format characters draw nothing and do not survive extraction (the zero-width
    # non-joiner in Persian names, bidi marks): ignored like spaces.
    # Indic vowel signs (Tamil "ை" in "வை") are left out too: a PDF maps each glyph to
    # one text, and where shaping draws the sign before its letter, or a letter serves in
    # two clusters, the sign's text is lost or lands on the wrong glyph. glyphs.py still
    # checks that each sign drawn is a sign of the packaged font.
    squashed = unicodedata.normalize("NFC", _WHITESPACE.sub("", text))
    return "".join(char for char in squashed if not _unread(char))


def _unread(char: str) -> bool:
    """Characters a PDF's text cannot carry faithfully: format characters, Indic vowel signs."""
    category = unicodedata.category(char)
    return category == "Cf" or (category[0] == "M" and _INDIC[0] <= ord(char) <= _INDIC[1])


def _certificate_id(credential: Mapping[str, Any] | None) -> str | None:
    if credential is None:
        return None
    try:
        return str(subject_facts(credential)["certificateId"])
    except (ProofError, KeyError):
        return None
