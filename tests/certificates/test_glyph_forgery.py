"""A forger who remaps a font's ToUnicode map: the page shows one figure, the text reads another.

The page's text is extracted through the ToUnicode map; the picture comes from the glyph
outlines. The forger below adds a copy of the page's own font whose map reads the glyph
"1" as a space, and draws "1" in it before the genuine hours: a reader sees "185,5
timmar", the extracted text reads the genuine "85,5 timmar" (whitespace is ignored), and
nothing is invisible. The text comparison and the visibility checks pass it; the glyph
check, which compares each glyph drawn with the packaged font's glyph for its text, fails it.
"""

from __future__ import annotations

import io
import re

from pypdf import PdfReader
from pypdf.generic import ArrayObject, ByteStringObject, DecodedStreamObject, DictionaryObject, NameObject

from certificates import Failure, KeySet, verify_pdf
from certificates.glyphs import glyph_problems
from certificates.verify import extract_credential, page_difference
from certificates.visible import page_problems

from .test_forgery import Forger


def _remapped_font_forgery(pdf: bytes) -> bytes:
    forger = Forger(pdf)
    line = forger.find("85,5 timmar")
    font = forger._font_at(line)
    size = next(ops[1] for ops, op in reversed(forger.ops[:line]) if op == b"Tf")
    one = forger.encode(font, "1")
    # A copy of the line's font whose ToUnicode map reads the glyph of "1" as a space.
    genuine = forger.page["/Resources"]["/Font"][font].get_object()
    cmap = genuine["/ToUnicode"].get_object().get_data()
    forged_cmap = re.sub(rb"<" + one.hex().encode() + rb">\s*<0031>", b"<" + one.hex().encode() + b"> <0020>", cmap)
    assert forged_cmap != cmap
    to_unicode = DecodedStreamObject()
    to_unicode.set_data(forged_cmap)
    copy = DictionaryObject({k: v for k, v in genuine.items()})
    copy[NameObject("/ToUnicode")] = forger.writer._add_object(to_unicode)
    forger.page["/Resources"]["/Font"][NameObject("/Forged")] = forger.writer._add_object(copy)
    forger.ops[line:line] = [
        ([NameObject("/Forged"), size], b"Tf"),
        ([ArrayObject([ByteStringObject(one)])], b"TJ"),
        ([NameObject(font), size], b"Tf"),
    ]
    return forger.pdf()


def test_a_remapped_tounicode_map_fools_the_text_but_not_the_glyph_check(pdf_sv: bytes, keyset: KeySet) -> None:
    forged = _remapped_font_forgery(pdf_sv)
    reader = PdfReader(io.BytesIO(forged))
    text = reader.pages[0].extract_text()
    # What the forgery shows: "1" drawn before the genuine hours, read as a space.
    assert " 85,5 timmar" in text and "185,5" not in text
    # Before the glyph check it verified: the text matches the credential, nothing is hidden.
    credential = extract_credential(pdf_sv)[0]
    assert page_difference(credential, text) is None
    assert page_problems(reader) == []
    problems = glyph_problems(reader)
    assert problems and "does not draw ' '" in problems[0], problems
    result = verify_pdf(forged, keyset)
    assert not result.ok and result.failure is Failure.CHANGED_CONTENT
    assert "does not draw" in result.reason, result.reason


def test_the_genuine_pages_glyphs_are_the_packaged_fonts_own(pdf_sv: bytes, pdf_en: bytes) -> None:
    for pdf in (pdf_sv, pdf_en):
        assert glyph_problems(PdfReader(io.BytesIO(pdf))) == []


def test_a_glyph_that_reads_as_nothing_fails(pdf_sv: bytes, keyset: KeySet) -> None:
    forger = Forger(pdf_sv)
    line = forger.find("85,5 timmar")
    font = forger.page["/Resources"]["/Font"][forger._font_at(line)].get_object()
    one = forger.encode(forger._font_at(line), "1").hex().encode()
    stream = font["/ToUnicode"].get_object()
    stream.set_data(re.sub(rb"<" + one + rb">\s*<0031>", b"<" + one + b"> <>", stream.get_data()))
    forger.retext(line, "1" + forger.text_of(line))
    result = verify_pdf(forger.pdf(), keyset)
    assert not result.ok and result.failure is Failure.CHANGED_CONTENT, result.reason


def test_a_name_in_a_script_the_packaged_fonts_lack_still_verifies(key, keyset: KeySet, renderer) -> None:
    # The system's fallback font draws it; its glyphs can stand only for the name itself.
    from dataclasses import replace

    from certificates.examples import sample_certificate

    from .conftest import ISSUER, SIGNED_AT

    data = replace(sample_certificate("sv"), volunteer_name="محمد علي", issuer_url=ISSUER)
    pdf = renderer.render(data, key, SIGNED_AT)
    result = verify_pdf(pdf, keyset)
    assert result.ok, result.reason
