"""Does every glyph on the page look like the text that is extracted from it?

The page's text is read through each font's ToUnicode map, which says which characters
a glyph stands for; the picture is drawn from the glyph outlines in the embedded font
program. A forger can make them disagree: map the glyph of "1" to nothing, or to a space,
and the page shows "120,5" while the text reads the genuine "20,5".

So for each glyph the page draws, this module takes the characters the ToUnicode map
gives it, finds the glyph the renderer's own packaged font (fonts/, the only fonts the
renderer uses) draws for those characters, a ligature included, and compares the two
outlines point by point and their advances. A glyph that draws anything other than what
its text says fails, whatever the fonts are named. It runs offline, on the PDF alone.
"""

from __future__ import annotations

import io
import logging
import re
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

from fontTools.pens.recordingPen import DecomposingRecordingPen  # type: ignore[import-untyped]
from fontTools.ttLib import TTFont, TTLibError  # type: ignore[import-untyped]
from pypdf import PageObject, PdfReader
from pypdf.generic import ContentStream

from certificates.visible import _string_bytes

_FONTS = Path(__file__).parent / "fonts"
LATIN_FONTS = ("Carlito-Regular.ttf", "Carlito-Bold.ttf", "Carlito-Italic.ttf")
# The families render.py declares for the scripts Carlito lacks, in the CSS's order.
SCRIPT_FONTS = (
    ("Samverka Arabic", "NotoSansArabic-Regular.ttf"),  # Arabic, Persian, Kurdish (Sorani)
    ("Samverka Ethiopic", "NotoSansEthiopic-Regular.ttf"),  # Amharic, Tigrinya
    ("Samverka Thai", "NotoSansThai-Regular.ttf"),
    ("Samverka Tamil", "NotoSansTamil-Regular.ttf"),
    ("Samverka Han", "DroidSansFallback-Han.ttf"),  # Chinese (simplified, traditional), Japanese kana and kanji
)
# Fonts whose shaping draws forms no character maps to (Arabic joining forms, Tamil conjuncts).
_SHAPED = {"NotoSansArabic-Regular.ttf", "NotoSansTamil-Regular.ttf", "NotoSansThai-Regular.ttf"}
PACKAGED_FONTS = LATIN_FONTS + tuple(name for _, name in SCRIPT_FONTS)
_SHOW = {b"Tj", b"TJ", b"'", b'"'}
_HEX = re.compile(rb"<([0-9A-Fa-f\s]+)>")

Shape = tuple[int, tuple[Any, ...]]  # advance, outline


class _Packaged:
    """One packaged font: the glyph it draws for each character and each ligature, shapes on demand."""

    def __init__(self, name: str) -> None:
        self.font = TTFont(str(_FONTS / name), lazy=True)
        cmap = self.font.getBestCmap()
        self.glyph_of: dict[str, str] = {chr(code): glyph for code, glyph in cmap.items()}
        name_to_text = {glyph: chr(code) for code, glyph in sorted(cmap.items(), reverse=True)}
        for components, ligature in _ligatures(self.font).items():
            texts = [name_to_text.get(component, "") for component in components]
            if all(texts):
                self.glyph_of.setdefault("".join(texts), ligature)
        self._shapes: dict[str, Shape | None] = {}
        self._name = name
        self._forms: dict[Shape, set[str]] | None = None  # shape -> the letters it draws ("" none)

    def shape(self, text: str) -> Shape | None:
        """The advance and outline the renderer draws for `text` (one character or a ligature)."""
        if text not in self._shapes:
            glyph = self.glyph_of.get(text)
            self._shapes[text] = None if glyph is None else _shape(self.font, glyph)
        return self._shapes[text]

    def draws_form_of(self, text: str, shape: Shape) -> bool:
        """Is `shape` a form this font's shaping draws for `text`?

        Arabic letters join: the glyph drawn for "ب" is its initial, medial or final form,
        which the font maps to a presentation-form character (U+FE91 ...) that is the same
        letter under NFKC, or to none at all (a ligature, a Tamil conjunct). A form mapped
        to another letter never counts; an unmapped one counts for text the font covers.

        A cluster's text is written on one of its glyphs: Tamil "செ" draws the vowel sign
        before the consonant, and the extracted text puts "செ" on the consonant and
        nothing on the sign. So a glyph may draw one letter of its cluster's text, and a
        glyph with no text may draw only a combining mark.
        """
        if self._name not in _SHAPED or any(char not in self.glyph_of for char in text):
            return False
        if self._forms is None:
            # Glyphs by advance, so that only those as wide as the one drawn are drawn out.
            self._forms = {}
            self._meanings: dict[str, set[str]] = {}
            for char, glyph in self.glyph_of.items():
                self._meanings.setdefault(glyph, set()).add(unicodedata.normalize("NFKC", char))
            self._by_advance: dict[int, list[str]] = {}
            metrics = self.font["hmtx"]
            for glyph in self.font.getGlyphOrder()[1:]:  # not .notdef
                self._by_advance.setdefault(metrics[glyph][0], []).append(glyph)
        if shape[0] in self._by_advance:
            for glyph in self._by_advance.pop(shape[0]):
                self._forms.setdefault(_shape(self.font, glyph), set()).update(self._meanings.get(glyph, {""}))
        meanings = self._forms.get(shape, set())
        if not text:
            return any(meaning and unicodedata.category(meaning[0]).startswith("M") for meaning in meanings)
        # A two-part vowel ("ொ" = "ெ" + "ா") is drawn as its canonical parts.
        parts = unicodedata.normalize("NFKD", text)
        letters = {unicodedata.normalize("NFKC", text), *(unicodedata.normalize("NFKC", char) for char in text), *parts}
        return "" in meanings or not meanings.isdisjoint(letters)


def _shape(font: TTFont, glyph_name: str) -> Shape:
    glyph_set = font.getGlyphSet()
    pen = DecomposingRecordingPen(glyph_set)
    glyph_set[glyph_name].draw(pen)
    # Rounded: WeasyPrint's subsetting keeps coordinates, but float forms must not differ.
    outline = tuple((op, tuple(tuple(round(v) for v in pt) for pt in args)) for op, args in pen.value)
    return int(font["hmtx"][glyph_name][0]), outline


@cache
def _packaged(name: str) -> _Packaged:
    return _Packaged(name)


def _ligatures(font: TTFont) -> dict[tuple[str, ...], str]:
    """Every ligature of the font's GSUB table: (component glyphs) -> ligature glyph."""
    out: dict[tuple[str, ...], str] = {}
    if "GSUB" not in font:
        return out
    for lookup in font["GSUB"].table.LookupList.Lookup:
        for sub in lookup.SubTable:
            if sub.LookupType == 7:  # extension: the real subtable inside
                sub = sub.ExtSubTable
            if getattr(sub, "LookupType", None) != 4:
                continue
            for first, ligatures in sub.ligatures.items():
                for ligature in ligatures:
                    out.setdefault((first, *ligature.Component), ligature.LigGlyph)
    return out


def _to_unicode(stream: bytes) -> dict[int, str]:
    """A ToUnicode CMap's bfchar and bfrange entries: code -> text (two-byte codes, UTF-16BE)."""
    out: dict[int, str] = {}
    text = stream.decode("latin-1")
    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        for src, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            out[int(src, 16)] = bytes.fromhex(dst).decode("utf-16-be", "replace")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
        for lo, hi, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]*>|\[[^\]]*\])", block):
            first, last = int(lo, 16), int(hi, 16)
            if last - first > 0xFFFF:
                continue
            if dst.startswith("["):
                for offset, item in enumerate(re.findall(r"<([0-9A-Fa-f]*)>", dst)):
                    out[first + offset] = bytes.fromhex(item).decode("utf-16-be", "replace")
            else:
                start = bytearray(bytes.fromhex(dst[1:-1]))
                for offset in range(last - first + 1):
                    value = int.from_bytes(start, "big") + offset
                    out[first + offset] = value.to_bytes(len(start), "big").decode("utf-16-be", "replace")
    return out


def _codes_drawn(reader: PdfReader, page: PageObject) -> dict[str, set[int]]:
    """Per font resource name: the two-byte codes the page's text operators show."""
    contents = page.get_contents()
    if contents is None:
        return {}
    drawn: dict[str, set[int]] = {}
    font = ""
    for operands, operator in ContentStream(contents, reader).operations:
        if operator == b"Tf" and operands:
            font = str(operands[0])
        elif operator in _SHOW:
            items = operands[-1] if operator == b'"' else operands[0]
            strings = items if operator == b"TJ" else [items]
            for item in strings:
                if isinstance(item, (str, bytes)):
                    raw = _string_bytes(item)
                    codes = drawn.setdefault(font, set())
                    codes.update(int.from_bytes(raw[i : i + 2], "big") for i in range(0, len(raw) - 1, 2))
    return drawn


@contextmanager
def _quiet_fonttools() -> Iterator[None]:
    # The subset font's head table carries a zero creation time; fontTools warns about it.
    logger = logging.getLogger("fontTools.ttLib.tables._h_e_a_d")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def glyph_problems(reader: PdfReader) -> list[str]:
    """Glyphs the page draws that do not look like the text extracted from them (empty: none)."""
    with _quiet_fonttools():
        return _glyph_problems(reader)


def _glyph_problems(reader: PdfReader) -> list[str]:
    problems: list[str] = []
    for number, page in enumerate(reader.pages, start=1):
        fonts = (page.get("/Resources") or {}).get("/Font") or {}
        for name, codes in _codes_drawn(reader, page).items():
            font = fonts.get(name)
            if font is None:
                problems.append(f"page {number} draws with font {name}, which it does not have")
                continue
            try:
                found = _font_problems(font.get_object(), codes)
            except Exception as exc:
                found = [f"its font cannot be read ({type(exc).__name__})"]
            problems += [f"page {number}, font {name}: {p}" for p in found]
    return problems


def _font_problems(font: Any, codes: Iterable[int]) -> list[str]:
    try:
        descendant = font["/DescendantFonts"][0].get_object()
        program = descendant["/FontDescriptor"]["/FontFile2"].get_object().get_data()
        mapping = _to_unicode(font["/ToUnicode"].get_object().get_data())
        cid_to_gid = descendant.get("/CIDToGIDMap", "/Identity")
    except (KeyError, IndexError, TypeError, AttributeError):
        return ["not a TrueType CID font with a ToUnicode map, as the renderer embeds"]
    if font.get("/Encoding") != "/Identity-H" or cid_to_gid != "/Identity":
        return ["not Identity-H with identity glyph ids, as the renderer embeds"]
    try:
        embedded = TTFont(io.BytesIO(program), lazy=True)
        order = embedded.getGlyphOrder()
    except (TTLibError, AssertionError, KeyError, ValueError, EOFError, TypeError) as exc:
        return [f"its font program cannot be read ({exc})"]
    wanted: list[tuple[int, str, Shape]] = []
    for code in sorted(codes):
        if code == 0:
            return ["glyph 0 (.notdef) is drawn: a character no font has, shown as a box"]
        text = mapping.get(code, "")
        if code >= len(order):
            return [f"glyph {code} is drawn but the font has no such glyph"]
        try:
            wanted.append((code, text, _shape(embedded, order[code])))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            return [f"glyph {code} cannot be read ({exc})"]
    for name in PACKAGED_FONTS:
        packaged = _packaged(name)
        if all(_draws(packaged, text, shape) for _, text, shape in wanted):
            return []
    # Name the first glyph that none of the packaged fonts draws for its text.
    for code, text, shape in wanted:
        if not any(_draws(_packaged(name), text, shape) for name in PACKAGED_FONTS):
            if not text:
                return [f"glyph {code} is drawn but reads as no text"]
            return [f"glyph {code} does not draw {text!r}, which the text says it is"]
    return ["its glyphs mix the renderer's fonts"]


def _draws(packaged: _Packaged, text: str, shape: Shape) -> bool:
    """Does a glyph of this `shape` honestly show `text`?

    Whitespace must draw nothing (the comparison ignores whitespace, so a space that
    draws a "1" is the forgery itself). Other text must be drawn with the packaged
    font's own glyph for it. A character none of the packaged fonts has (an Arabic name)
    is drawn by the system's fallback font, which the verifier cannot know: it is taken as
    drawn, and it can only stand for itself, as the text must still match the credential.
    The packaged script fonts (SCRIPT_FONTS) cover the scripts of Västerås's names, so this
    is left for scripts beyond them (Korean, Devanagari ...).
    """
    if not text:  # a mark of a shaped cluster, whose text its other glyph carries
        return packaged.draws_form_of(text, shape)
    if text.isspace():
        return not shape[1]
    if packaged.shape(text) == shape or packaged.draws_form_of(text, shape):
        return True
    return all(not any(char in _packaged(name).glyph_of for name in PACKAGED_FONTS) for char in text)
