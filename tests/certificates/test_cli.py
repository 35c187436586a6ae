from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from certificates import KeySet, SigningKey
from certificates.__main__ import load_keyset_for, main


@pytest.fixture
def keyset_file(tmp_path: Path, keyset: KeySet) -> Path:
    path = tmp_path / "samverka-keys.json"
    keyset.save(path)
    return path


def test_verify_exits_0_and_prints_the_signed_facts(tmp_path: Path, pdf_sv: bytes, keyset_file: Path, capsys) -> None:
    pdf = tmp_path / "intyg.pdf"
    pdf.write_bytes(pdf_sv)
    assert main(["verify", str(pdf), "--keys", str(keyset_file)]) == 0
    out = capsys.readouterr().out
    assert "VERIFIED: certificate SV-2025-000123" in out
    assert "Amira Haddad Öberg" in out and "85.5 h in 46 sessions" in out


def test_verify_exits_1_with_the_reason_for_a_changed_credential(
    tmp_path: Path, pdf_sv: bytes, keyset_file: Path, replace_attachment, capsys
) -> None:
    pdf = tmp_path / "intyg.pdf"
    pdf.write_bytes(replace_attachment(pdf_sv, lambda data: data.replace(b"5130", b"9130")))
    assert main(["verify", str(pdf), "--keys", str(keyset_file)]) == 1
    assert "NOT VERIFIED (bad-signature)" in capsys.readouterr().err


def test_verify_exits_1_for_an_unknown_key(tmp_path: Path, pdf_sv: bytes, issuer: str, capsys) -> None:
    pdf, keys = tmp_path / "intyg.pdf", tmp_path / "other-keys.json"
    pdf.write_bytes(pdf_sv)
    KeySet.for_key(SigningKey.generate(), issuer).save(keys)
    assert main(["verify", str(pdf), "--keys", str(keys)]) == 1
    assert "unknown-key" in capsys.readouterr().err


def test_python_dash_m_certificates_verify_is_the_entry_point(tmp_path: Path, pdf_en: bytes, keyset_file: Path) -> None:
    pdf = tmp_path / "certificate.pdf"
    pdf.write_bytes(pdf_en)
    genuine = subprocess.run(
        [sys.executable, "-m", "certificates", "verify", str(pdf), "--keys", str(keyset_file)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert genuine.returncode == 0, genuine.stderr
    pdf.write_bytes(pdf_en[:-2000])
    broken = subprocess.run(
        [sys.executable, "-m", "certificates", "verify", str(pdf), "--keys", str(keyset_file)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert broken.returncode == 1
    assert "NOT VERIFIED" in broken.stderr


def test_keygen_render_verify_round_trip(tmp_path: Path, capsys) -> None:
    key_pem, keys = tmp_path / "key.pem", tmp_path / "keys.json"
    data, pdf = tmp_path / "data.json", tmp_path / "out.pdf"
    assert (
        main(["keygen", "--key-out", str(key_pem), "--keyset", str(keys), "--issuer", "https://samverka.example"]) == 0
    )
    assert key_pem.stat().st_mode & 0o077 == 0  # the private key is not world-readable
    capsys.readouterr()
    assert main(["sample", "--language", "en"]) == 0
    data.write_text(capsys.readouterr().out, encoding="utf-8")
    assert main(["render", str(data), "-o", str(pdf), "--key", str(key_pem)]) == 0
    assert main(["verify", str(pdf), "--keys", str(keys)]) == 0


def test_keygen_on_an_existing_keyset_rotates_and_keeps_the_old_key(tmp_path: Path) -> None:
    keys = tmp_path / "keys.json"
    args = ["--keyset", str(keys), "--issuer", "https://samverka.example"]
    assert main(["keygen", "--key-out", str(tmp_path / "k1.pem"), *args]) == 0
    assert main(["keygen", "--key-out", str(tmp_path / "k2.pem"), *args]) == 0
    published = json.loads(keys.read_text())
    assert len(published["keys"]) == 2
    assert published["keys"][0]["not_after"] is not None
    assert published["keys"][1]["not_after"] is None


def test_keygen_refuses_to_overwrite_a_private_key(tmp_path: Path) -> None:
    key_pem = tmp_path / "key.pem"
    key_pem.write_text("precious")
    assert (
        main(
            ["keygen", "--key-out", str(key_pem), "--issuer", "https://x.example", "--keyset", str(tmp_path / "k.json")]
        )
        == 1
    )
    assert key_pem.read_text() == "precious"


def test_without_keys_the_keyset_is_fetched_from_the_issuer_over_https(
    pdf_sv: bytes, keyset: KeySet, monkeypatch
) -> None:
    monkeypatch.delenv("SAMVERKA_KEYSET", raising=False)
    asked: list[str] = []

    def fetch(url: str) -> bytes:
        asked.append(url)
        return keyset.dumps().encode()

    assert load_keyset_for(pdf_sv, None, fetch) == KeySet.loads(keyset.dumps())
    assert asked == ["https://samverka.example/.well-known/samverka-keys.json"]
