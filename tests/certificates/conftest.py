"""Fixtures: one key, one keyset and a few real PDFs rendered once per test session.

The tests run in importlib mode, so helpers reach the tests as fixtures, not imports.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject

from certificates import CertificateData, CertificateRenderer, KeySet, SigningKey
from certificates.examples import sample_certificate

ISSUER = "https://samverka.example"
SIGNED_AT = datetime(2025, 6, 10, 9, 30, tzinfo=UTC)


@pytest.fixture(scope="session")
def key() -> SigningKey:
    return SigningKey.generate()


@pytest.fixture(scope="session")
def keyset(key: SigningKey) -> KeySet:
    return KeySet.for_key(key, ISSUER, not_before=datetime(2025, 1, 1, tzinfo=UTC))


@pytest.fixture(scope="session")
def renderer() -> CertificateRenderer:
    return CertificateRenderer()


@pytest.fixture(scope="session")
def data_sv() -> CertificateData:
    return sample_certificate("sv")


@pytest.fixture(scope="session")
def data_en() -> CertificateData:
    return sample_certificate("en", number=124)


@pytest.fixture(scope="session")
def pdf_sv(renderer: CertificateRenderer, data_sv: CertificateData, key: SigningKey) -> bytes:
    return renderer.render(data_sv, key, SIGNED_AT)


@pytest.fixture(scope="session")
def pdf_en(renderer: CertificateRenderer, data_en: CertificateData, key: SigningKey) -> bytes:
    return renderer.render(data_en, key, SIGNED_AT)


def _page_text(pdf: bytes) -> str:
    """All visible text of the PDF, as pypdf extracts it."""
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _embedded_credential(pdf: bytes) -> dict[str, Any]:
    """The parsed credential.json attached to the PDF."""
    (payload,) = PdfReader(io.BytesIO(pdf)).attachments["credential.json"]
    return json.loads(payload)


def _replace_attachment(pdf: bytes, change: Callable[[bytes], bytes]) -> bytes:
    """The PDF with credential.json's bytes passed through `change`, all else kept."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    names = writer.root_object["/Names"]["/EmbeddedFiles"]["/Names"]
    for index in range(0, len(names), 2):
        if names[index] == "credential.json":
            stream = names[index + 1].get_object()["/EF"]["/F"].get_object()
            data = change(stream.get_data())
            stream.set_data(data)
            stream[NameObject("/Params")][NameObject("/Size")] = type(stream["/Params"]["/Size"])(len(data))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture(scope="session")
def issuer() -> str:
    return ISSUER


@pytest.fixture(scope="session")
def page_text() -> Callable[[bytes], str]:
    return _page_text


@pytest.fixture(scope="session")
def embedded_credential() -> Callable[[bytes], dict[str, Any]]:
    return _embedded_credential


@pytest.fixture(scope="session")
def replace_attachment() -> Callable[[bytes, Callable[[bytes], bytes]], bytes]:
    return _replace_attachment
