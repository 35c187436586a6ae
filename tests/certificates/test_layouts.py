"""Kept line layouts (certificates.layouts) change nothing but the work done."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest
from weasyprint import HTML  # type: ignore[import-untyped]
from weasyprint.formatting_structure import boxes  # type: ignore[import-untyped]

from certificates import CertificateData, CertificateRenderer, SigningKey
from certificates import render as render_module
from certificates.layouts import layouts_kept

from .conftest import SIGNED_AT

# Text that takes every path of WeasyPrint's line drawing that reactivation touches:
# justification, word and letter spacing, preserved newlines (paragraph separators),
# ellipsis, decorations, several styles in one line and paragraphs that wrap.
_MIXED = """<!DOCTYPE html>
<html lang="sv"><head><style>
  @page { size: A5; margin: 10mm }
  body { font-family: "DejaVu Sans", sans-serif; font-size: 10pt }
  .j { text-align: justify }
  .ws { word-spacing: 3pt; letter-spacing: 0.4pt }
  pre { white-space: pre-wrap; font-family: "DejaVu Sans Mono", monospace }
  .cut { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; width: 40mm }
  .deco { text-decoration: underline overline line-through }
</style></head><body>
  <p class="j">Volontärerna i Pettersberg leder läxhjälp, fotboll och kulturkvällar; den här
  raden är lång nog att brytas flera gånger och ställas i marginalerna på båda sidor, så att
  mellanrummen mellan orden blir större än vanligt i varje rad utom den sista.</p>
  <p class="ws">Ord med extra mellanrum och spärrad text, <b>fet</b>, <i>kursiv</i> och
  <span style="font-size: 14pt">större</span> i en och samma rad.</p>
  <pre>rad ett
rad två	med tabb
  rad tre</pre>
  <p class="cut">En mening som inte får plats och slutar med en ellips i stället</p>
  <p class="deco">Understruken, överstruken och genomstruken text</p>
  <p>Sista stycket: 85,5 timmar · 46 tillfällen · 2024-09 – 2025-05.</p>
</body></html>"""


@contextlib.contextmanager
def _not_kept() -> Iterator[None]:
    yield


def _mixed_pdf() -> bytes:
    pdf: bytes = HTML(string=_MIXED).write_pdf(pdf_identifier=b"layouts-test")
    return pdf


@pytest.mark.parametrize("language", ["sv", "en"])
def test_certificate_is_byte_for_byte_the_same_with_kept_layouts(
    language: str,
    renderer: CertificateRenderer,
    data_sv: CertificateData,
    data_en: CertificateData,
    key: SigningKey,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = data_sv if language == "sv" else data_en
    kept = renderer.render(data, key, SIGNED_AT)
    monkeypatch.setattr(render_module, "layouts_kept", _not_kept)
    plain = renderer.render(data, key, SIGNED_AT)
    assert kept == plain


def test_any_document_is_byte_for_byte_the_same_with_kept_layouts() -> None:
    plain = _mixed_pdf()
    with layouts_kept():
        kept = _mixed_pdf()
    assert _mixed_pdf() == plain  # the comparison itself is deterministic
    assert kept == plain


def _text_boxes(box: boxes.Box) -> Iterator[boxes.TextBox]:
    if isinstance(box, boxes.TextBox):
        yield box
    for child in getattr(box, "children", ()):
        yield from _text_boxes(child)


def test_layouts_are_kept_only_inside_the_block() -> None:
    # render() lays out without drawing: inside the block the lines keep their Pango
    # layouts for drawing; outside it WeasyPrint drops them as it always does.
    with layouts_kept():
        inside = HTML(string=_MIXED).render()
    outside = HTML(string=_MIXED).render()
    kept = [hasattr(b.pango_layout, "layout") for b in _text_boxes(inside.pages[0]._page_box)]
    dropped = [hasattr(b.pango_layout, "layout") for b in _text_boxes(outside.pages[0]._page_box)]
    assert len(kept) > 10
    assert sum(kept) >= len(kept) - 3  # all but the lines with a preserved newline
    assert not any(dropped)
