from __future__ import annotations

from certificates import KeySet, SigningKey, render_many, verify_pdf
from certificates.examples import sample_certificate


def test_render_many_yields_verifiable_pdfs_in_input_order(key: SigningKey, keyset: KeySet) -> None:
    items = [sample_certificate("sv" if n % 2 else "en", number=n) for n in range(1, 6)]
    pdfs = list(render_many(items, key, processes=2))
    assert len(pdfs) == 5
    for item, pdf in zip(items, pdfs, strict=True):
        result = verify_pdf(pdf, keyset)
        assert result.ok, result.reason
        assert result.certificate_id == item.id
