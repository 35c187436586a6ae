"""Samverka certificates: certificate data -> signed, tagged PDF/A-3; verify a PDF offline.

    data = CertificateData(...)                      # or CertificateData.from_dict(json)
    key = SigningKey.from_env()                      # SAMVERKA_SIGNING_KEY (PEM)
    pdf = render_pdf(data, key)                      # bytes, credential.json embedded
    result = verify_pdf(pdf, KeySet.load("keys.json"))
    assert result.ok, result.reason

Rendering needs WeasyPrint; verifying does not, so `render_pdf`, `render_many` and
`CertificateRenderer` are imported only when first used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from certificates.catalogue import ESCO_CITATION, Catalogue, EscoSkill, KeyCompetence, load_catalogue
from certificates.credential import (
    CREDENTIAL_FILENAME,
    build_credential,
    check_proof,
    sign_credential,
)
from certificates.errors import (
    CatalogueError,
    CertificateDataError,
    CertificateError,
    Failure,
    KeySetError,
    ProofError,
)
from certificates.model import (
    Activity,
    AssessedBy,
    CertificateData,
    Language,
    Referee,
    Reference,
    Skill,
    Training,
)
from certificates.signing import KEYSET_PATH, KeySet, PublicKeyEntry, SigningKey
from certificates.verify import VerificationResult, verify_credential, verify_pdf

if TYPE_CHECKING:
    from certificates.render import CertificateRenderer, render_many, render_pdf

__all__ = [
    "CREDENTIAL_FILENAME",
    "ESCO_CITATION",
    "KEYSET_PATH",
    "Activity",
    "AssessedBy",
    "Catalogue",
    "CatalogueError",
    "CertificateData",
    "CertificateDataError",
    "CertificateError",
    "CertificateRenderer",
    "EscoSkill",
    "Failure",
    "KeyCompetence",
    "KeySet",
    "KeySetError",
    "Language",
    "ProofError",
    "PublicKeyEntry",
    "Referee",
    "Reference",
    "SigningKey",
    "Skill",
    "Training",
    "VerificationResult",
    "build_credential",
    "check_proof",
    "load_catalogue",
    "render_many",
    "render_pdf",
    "sign_credential",
    "verify_credential",
    "verify_pdf",
]

_RENDER_NAMES = {"CertificateRenderer", "render_many", "render_pdf"}


def __getattr__(name: str) -> Any:
    if name in _RENDER_NAMES:
        from certificates import render

        return getattr(render, name)
    raise AttributeError(f"module 'certificates' has no attribute {name!r}")
