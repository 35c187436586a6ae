"""Names in every script people in Västerås write them in: drawn with real glyphs, read back, verified.

Before the script fonts were packaged (fonts/README.md), a name in Ethiopic, Chinese,
Thai or Tamil had no glyph in Carlito nor on a plain Debian machine: WeasyPrint drew
.notdef boxes, merged them under a custom encoding, and the verifier refused the page.
Arabic and Cyrillic names came out in whichever font the machine had, which the glyph
check could not compare, so it took them as drawn.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from fontTools.ttLib import TTFont  # type: ignore[import-untyped]
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, ByteStringObject

from certificates import CertificateRenderer, Failure, KeySet, SigningKey, verify_pdf
from certificates.examples import sample_certificate
from certificates.glyphs import _codes_drawn, _to_unicode, glyph_problems

from .test_forgery import Forger

SIGNED_AT = datetime(2025, 6, 10, 9, 30, tzinfo=UTC)

# (script, language of the page, name): real names as their bearers write them.
NAMES = [
    ("amharic", "sv", "ፀሐይ ወልደጊዮርጊስ"),
    ("tigrinya", "en", "ሰላም ገብረሚካኤል ተስፋማርያም"),
    ("chinese-simplified", "sv", "王秀英"),
    ("chinese-traditional", "en", "陳志明"),
    ("arabic", "sv", "أمينة حداد"),
    ("persian", "sv", "زهرا‌سادات رضایی"),  # with a zero-width non-joiner, as Persian writes it
    ("somali", "sv", "Cawo Maxamed Xasan"),
    ("russian", "en", "Ольга Петрова"),
    ("ukrainian", "sv", "Олексій Ґалаґан"),
    ("greek", "sv", "Ελένη Παπαδοπούλου"),
    ("thai", "en", "สมศักดิ์ ใจดี"),
    ("tamil", "sv", "செல்வி கொற்றவை"),  # vowel signs drawn before and around their letters
    ("kurdish-latin", "sv", "Şêrîn Xelîl"),
    ("kurdish-sorani", "sv", "شێرین خەلیل"),
]


@pytest.fixture(scope="module")
def rendered(renderer: CertificateRenderer, key: SigningKey) -> dict[str, bytes]:
    """One certificate per name, rendered once for the module."""
    return {
        script: renderer.render(
            replace(sample_certificate(language, number=300 + n), volunteer_name=name), key, SIGNED_AT
        )
        for n, (script, language, name) in enumerate(NAMES)
    }


def notdef_glyphs(pdf: bytes) -> list[str]:
    """Every .notdef glyph (a box for a character no font has) the PDF's pages draw.

    WeasyPrint embeds fonts as Identity-H, glyph id = code; where it had to draw .notdef
    for several characters it writes a custom encoding instead, so that is reported too.
    """
    reader = PdfReader(io.BytesIO(pdf))
    found = []
    for page in reader.pages:
        fonts = page["/Resources"]["/Font"]
        for name, codes in _codes_drawn(reader, page).items():
            font = fonts[name].get_object()
            if font.get("/Encoding") != "/Identity-H":
                found.append(f"{font['/BaseFont']}: a custom encoding (several characters on one glyph)")
                continue
            program = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]["/FontFile2"].get_object()
            order = TTFont(io.BytesIO(program.get_data()), lazy=True).getGlyphOrder()
            found += [f"{font['/BaseFont']}: code {code}" for code in codes if code == 0 or order[code] == ".notdef"]
    return found


def _squashed(text: str) -> str:
    return "".join(char for char in unicodedata.normalize("NFC", text) if not char.isspace())


@pytest.mark.parametrize(("script", "language", "name"), NAMES, ids=[n[0] for n in NAMES])
def test_a_name_in_any_script_renders_with_real_glyphs_and_verifies(
    rendered: dict[str, bytes], keyset: KeySet, script: str, language: str, name: str
) -> None:
    pdf = rendered[script]
    assert notdef_glyphs(pdf) == []
    reader = PdfReader(io.BytesIO(pdf))
    # Every font on the page is one the package ships: none of the machine's fonts.
    bases = {str(font.get_object()["/BaseFont"]) for font in reader.pages[0]["/Resources"]["/Font"].values()}
    assert all(re.fullmatch(r"/[A-Z]{6}\+Samverka-[A-Za-z-]+", base) for base in bases), bases
    # The name reads back from the page (Tamil vowel signs aside, see verify._squash).
    text = _squashed(reader.pages[0].extract_text())
    readable = "".join(c for c in _squashed(name) if unicodedata.category(c) not in ("Mn", "Mc", "Cf"))
    assert readable in "".join(c for c in text if unicodedata.category(c) not in ("Mn", "Mc", "Cf"))
    assert glyph_problems(reader) == []
    result = verify_pdf(pdf, keyset)
    assert result.ok, result.reason


def test_the_notdef_check_finds_a_box(rendered: dict[str, bytes]) -> None:
    """The check above can fail: the Ethiopic name with one of its glyphs drawn as glyph 0."""
    forger = Forger(rendered["amharic"])
    ethiopic = next(
        str(n) for n, f in forger.page["/Resources"]["/Font"].items() if "Ethiopic" in str(f.get_object()["/BaseFont"])
    )
    line = next(i for i, (ops, op) in enumerate(forger.ops) if op == b"TJ" and forger._font_at(i) == ethiopic)
    forger.ops[line] = ([ArrayObject([ByteStringObject(b"\x00\x00" * 3)])], b"TJ")
    out = io.BytesIO(forger.pdf())
    assert notdef_glyphs(out.getvalue())
    assert any(".notdef" in problem for problem in glyph_problems(PdfReader(io.BytesIO(out.getvalue()))))


@pytest.mark.parametrize("script", ["amharic", "chinese-simplified", "thai", "arabic"])
def test_a_script_glyph_remapped_to_another_letter_fails_the_glyph_check(
    rendered: dict[str, bytes], keyset: KeySet, script: str
) -> None:
    """The page shows the genuine name, but the font's ToUnicode map reads two of its letters swapped.

    Before the script fonts were packaged, the glyph check took any glyph of a character
    Carlito lacks as drawn, so a name's glyphs could show one person and read as another.
    """
    reader = PdfReader(io.BytesIO(rendered[script]))
    writer = PdfWriter(clone_from=reader)
    for font in writer.pages[0]["/Resources"]["/Font"].values():
        font = font.get_object()
        if "Samverka-Sans" in str(font["/BaseFont"]):
            continue
        stream = font["/ToUnicode"].get_object()
        cmap = stream.get_data()
        mapping = _to_unicode(cmap)
        # Two codes that read as different letters, their texts swapped.
        first, second = [code for code, text in sorted(mapping.items()) if text.strip()][:2]
        assert mapping[first] != mapping[second]
        swap = {first: mapping[second], second: mapping[first]}

        def entry(match: re.Match[bytes], swap: dict[int, str] = swap) -> bytes:
            code = int(match.group(1), 16)
            if code not in swap:
                return match.group(0)
            return b"<%s> <%s>" % (match.group(1), swap[code].encode("utf-16-be").hex().encode())

        swapped = re.sub(rb"<([0-9A-Fa-f]{4})>\s*<([0-9A-Fa-f]+)>", entry, cmap)
        assert swapped != cmap
        stream.set_data(swapped)
    out = io.BytesIO()
    writer.write(out)
    problems = glyph_problems(PdfReader(io.BytesIO(out.getvalue())))
    assert any("does not draw" in problem for problem in problems), problems
    result = verify_pdf(out.getvalue(), keyset)
    assert not result.ok and result.failure is Failure.CHANGED_CONTENT
