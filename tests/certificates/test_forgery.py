"""Forgeries made the way a forger would: a genuine PDF edited with pypdf, never re-rendered.

Each forgery here verified (exit 0) with the verifier that only looked for substrings.
The forger edits the page's content stream using the glyphs the embedded font subset
already has, so the page looks like the renderer's own.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import replace
from typing import Any

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.annotations import FreeText
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    ContentStream,
    DecodedStreamObject,
    FloatObject,
    NameObject,
    NumberObject,
)

from certificates import CertificateData, CertificateRenderer, Failure, KeySet, SigningKey, verify_pdf
from certificates.__main__ import main

from .conftest import SIGNED_AT

_BFCHAR = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>")


def _string_bytes(item: str | bytes) -> bytes:
    """A string operand's bytes as written in the stream (pypdf may have decoded them as text)."""
    if isinstance(item, bytes):
        return item
    original = getattr(item, "original_bytes", None)
    return original if isinstance(original, bytes) else item.encode("latin-1", "replace")


class Forger:
    """Edits one page's content stream with pypdf, as a forger with a PDF library would."""

    def __init__(self, pdf: bytes) -> None:
        self.writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
        self.page = self.writer.pages[0]
        self.ops: list[tuple[Any, bytes]] = list(ContentStream(self.page.get_contents(), self.writer).operations)
        self.to_text: dict[str, dict[bytes, str]] = {}
        for name, font in self.page["/Resources"]["/Font"].items():
            cmap = font.get_object()["/ToUnicode"].get_object().get_data()
            self.to_text[str(name)] = {
                bytes.fromhex(code.decode()): bytes.fromhex(text.decode()).decode("utf-16-be")
                for code, text in _BFCHAR.findall(cmap)
            }

    def _font_at(self, index: int) -> str:
        return next(str(ops[0]) for ops, op in reversed(self.ops[:index]) if op == b"Tf")

    def text_of(self, index: int) -> str:
        font = self.to_text[self._font_at(index)]
        out = []
        for item in self.ops[index][0][0]:
            if isinstance(item, str | bytes):
                raw = _string_bytes(item)
                out += [font.get(raw[i : i + 2], "?") for i in range(0, len(raw), 2)]
        return "".join(out)

    def find(self, start: str) -> int:
        """The index of the text operator whose text starts with `start`."""
        for index, (_, op) in enumerate(self.ops):
            if op == b"TJ" and self.text_of(index).startswith(start):
                return index
        raise AssertionError(f"no line starts with {start!r}")

    def encode(self, font_name: str, text: str) -> bytes:
        codes = {value: code for code, value in self.to_text[font_name].items() if len(value) == 1}
        missing = [char for char in text if char not in codes]
        assert not missing, f"the subset has no glyph for {missing}"
        return b"".join(codes[char] for char in text)

    def retext(self, index: int, text: str) -> None:
        """Draw `text` instead of the line at `index`, in the same font, place and colour."""
        encoded = self.encode(self._font_at(index), text)
        self.ops[index] = ([ArrayObject([ByteStringObject(encoded)])], b"TJ")

    def copy_line(self, index: int, text: str, *, y: float | None = None, before: list[tuple[Any, bytes]] = ()) -> None:
        """A new text object like the line at `index` (font, colour), saying `text`, added after it."""
        begin = max(i for i in range(index) if self.ops[i][1] == b"BT")
        matrix = list(self.ops[begin + 1][0])
        if y is not None:
            matrix[5] = FloatObject(y)
        font = self.ops[begin + 2]
        encoded = self.encode(self._font_at(index), text)
        new = [
            ([], b"q"),
            *before,
            ([], b"BT"),
            (matrix, b"Tm"),
            font,
            ([ArrayObject([ByteStringObject(encoded)])], b"TJ"),
            ([], b"ET"),
            ([], b"Q"),
        ]
        self.ops[index + 2 : index + 2] = new  # after the line's ET and EMC

    def wrap_line(self, index: int, before: list[tuple[Any, bytes]], after: list[tuple[Any, bytes]] = ()) -> None:
        """Put operators around the genuine line's text object (inside q ... Q)."""
        begin = max(i for i in range(index) if self.ops[i][1] == b"BT")
        end = index + 1
        self.ops[end + 1 : end + 1] = [*after, ([], b"Q")]
        self.ops[begin:begin] = [([], b"q"), *before]

    def remove_line(self, index: int) -> None:
        begin = max(i for i in range(index) if self.ops[i][1] == b"BDC")
        end = index + 2  # ET, EMC
        del self.ops[begin : end + 1]

    def pdf(self) -> bytes:
        stream = ContentStream(None, self.writer)
        stream.operations = self.ops
        self.page.replace_contents(stream)
        out = io.BytesIO()
        self.writer.write(out)
        return out.getvalue()


def _number(value: float) -> FloatObject:
    return FloatObject(value)


def _assert_forgery_fails(pdf: bytes, keyset: KeySet, *words: str) -> None:
    result = verify_pdf(pdf, keyset)
    assert not result.ok, "the forgery verified"
    assert result.failure is Failure.CHANGED_CONTENT, result.reason
    for word in words:
        assert word in result.reason, result.reason


def test_the_forger_round_trip_alone_still_verifies(pdf_sv: bytes, keyset: KeySet) -> None:
    # Guards the tests below: pypdf's rewrite of an unchanged page is no forgery.
    forger = Forger(pdf_sv)
    assert forger.text_of(forger.find("85,5")).startswith("85,5 timmar")
    result = verify_pdf(forger.pdf(), keyset)
    assert result.ok, result.reason


def test_hours_prefixed_fail(pdf_sv: bytes, keyset: KeySet) -> None:
    forger = Forger(pdf_sv)
    line = forger.find("85,5 timmar")
    forger.retext(line, "1" + forger.text_of(line))
    _assert_forgery_fails(forger.pdf(), keyset, "text added before")


def test_sessions_changed_fail(pdf_sv: bytes, keyset: KeySet) -> None:
    forger = Forger(pdf_sv)
    line = forger.find("85,5 timmar")
    forger.retext(line, forger.text_of(line).replace("46 tillfällen", "146 tillfällen"))
    _assert_forgery_fails(forger.pdf(), keyset, "146")


def test_name_prefixed_fails(pdf_sv: bytes, keyset: KeySet) -> None:
    forger = Forger(pdf_sv)
    line = forger.find("Amira Haddad")
    forger.retext(line, "Leila " + forger.text_of(line))
    _assert_forgery_fails(forger.pdf(), keyset, "Leila")


def test_a_line_added_fails(pdf_sv: bytes, keyset: KeySet) -> None:
    forger = Forger(pdf_sv)
    task = forger.find("• Tolkade")
    forger.copy_line(task, "• Ledde hela verksamheten som anställd", y=1080)
    _assert_forgery_fails(forger.pdf(), keyset, "added")


def test_a_line_removed_fails(pdf_sv: bytes, keyset: KeySet) -> None:
    forger = Forger(pdf_sv)
    forger.remove_line(forger.find("Ideellt och oavlönat"))
    _assert_forgery_fails(forger.pdf(), keyset, "Ideellt och oavlönat")


def test_other_hours_shown_with_the_genuine_wording_as_invisible_text_fail(pdf_sv: bytes, keyset: KeySet) -> None:
    forger = Forger(pdf_sv)
    line = forger.find("85,5 timmar")
    genuine = forger.text_of(line)
    forger.retext(line, genuine.replace("85,5", "58,5"))
    forger.copy_line(line, genuine, before=[([NumberObject(3)], b"Tr")])
    _assert_forgery_fails(forger.pdf(), keyset)


def test_other_hours_shown_with_the_genuine_wording_in_white_fail(pdf_sv: bytes, keyset: KeySet) -> None:
    forger = Forger(pdf_sv)
    line = forger.find("85,5 timmar")
    genuine = forger.text_of(line)
    forger.retext(line, genuine.replace("85,5", "58,5"))
    forger.copy_line(line, genuine, before=[([_number(1), _number(1), _number(1)], b"rg")])
    _assert_forgery_fails(forger.pdf(), keyset)


# A genuine line hidden from the reader while its text stays in the stream, so the text
# comparison alone sees nothing wrong: "the work was unpaid, confirmed by the leader"
# or a task an employer should not read.
_HIDING = {
    "invisible render mode": ([([NumberObject(3)], b"Tr")], "render mode 3"),
    "white text": ([([_number(1), _number(1), _number(1)], b"rg")], "too light"),
    "white in CMYK": ([([_number(0), _number(0), _number(0), _number(0)], b"k")], "too light"),
    "zero size by scaling": (
        [([_number(0.01), _number(0), _number(0), _number(0.01), _number(0), _number(0)], b"cm")],
        "too small",
    ),
    "squeezed flat": ([([NumberObject(0)], b"Tz")], "too small"),
    "clipped away": (
        [([_number(0), _number(0), _number(1), _number(1)], b"re"), ([], b"W"), ([], b"n")],
        "clipping",
    ),
    "moved off the page": (
        [([_number(1), _number(0), _number(0), _number(1), _number(5000), _number(0)], b"cm")],
        "outside the page",
    ),
}


@pytest.mark.parametrize("how", sorted(_HIDING))
def test_a_genuine_line_hidden_from_the_reader_fails(how: str, pdf_sv: bytes, keyset: KeySet) -> None:
    before, reason = _HIDING[how]
    forger = Forger(pdf_sv)
    forger.wrap_line(forger.find("Ideellt och oavlönat"), before)
    _assert_forgery_fails(forger.pdf(), keyset, reason)


def test_a_line_covered_by_a_white_box_fails(pdf_sv: bytes, keyset: KeySet) -> None:
    forger = Forger(pdf_sv)
    line = forger.find("• Tolkade")
    begin = max(i for i in range(line) if forger.ops[i][1] == b"BT")
    x, y = float(forger.ops[begin + 1][0][4]), float(forger.ops[begin + 1][0][5])
    forger.wrap_line(
        line,
        [],
        after=[
            ([_number(1), _number(1), _number(1)], b"rg"),
            ([_number(x), _number(y - 14), _number(500), _number(18)], b"re"),
            ([], b"f"),
        ],
    )
    _assert_forgery_fails(forger.pdf(), keyset, "painted over")


def test_an_extra_content_stream_fails(pdf_sv: bytes, keyset: KeySet) -> None:
    # The forger leaves the genuine stream alone and adds a second one that paints a
    # white box over a line: the text still extracts, the reader no longer sees it.
    forger = Forger(pdf_sv)
    page = forger.page
    extra = DecodedStreamObject()
    extra.set_data(b"q 1 1 1 rg 60 440 480 14 re f Q")
    original = page["/Contents"]
    page[NameObject("/Contents")] = ArrayObject([original, forger.writer._add_object(extra)])
    out = io.BytesIO()
    forger.writer.write(out)
    _assert_forgery_fails(out.getvalue(), keyset, "more than one content stream")


def test_an_annotation_fails(pdf_sv: bytes, keyset: KeySet) -> None:
    # Viewers show an annotation's text over the page; pypdf's extraction ignores it.
    forger = Forger(pdf_sv)
    note = FreeText(text="185,5 verifierade timmar", rect=(50, 640, 250, 660), font_size="12pt", border_color=None)
    forger.writer.add_annotation(page_number=0, annotation=note)
    out = io.BytesIO()
    forger.writer.write(out)
    _assert_forgery_fails(out.getvalue(), keyset, "annotations")


def test_another_volunteers_credential_swapped_in_fails(
    renderer: CertificateRenderer, data_sv: CertificateData, key: SigningKey, pdf_sv: bytes, keyset: KeySet
) -> None:
    # The forger holds a genuine certificate for 48.5 hours and wants the other
    # volunteer's 85.5: her signed credential goes in, her wording hidden on the page.
    mine = renderer.render(
        replace(
            data_sv,
            id="SV-2025-000786",
            volunteer_name="Leila Haddad Öberg",
            verified_minutes=2910,
            sessions=16,
            verify_url="https://samverka.example/v/SV-2025-000786",
        ),
        key,
        SIGNED_AT,
    )
    hers = Forger(pdf_sv)
    statement = hers.text_of(hers.find("Amira Haddad"))
    figures = hers.text_of(hers.find("85,5 timmar"))
    forger = Forger(mine)
    for mine_starts, text in (("48,5 timmar", figures), ("Leila", statement), ("Intygs-id", "SV-2025-000123")):
        forger.copy_line(forger.find(mine_starts), text, before=[([NumberObject(3)], b"Tr")])
    swapped = forger.pdf()
    names = forger.writer.root_object["/Names"]["/EmbeddedFiles"]["/Names"]
    del names
    her_credential = PdfReader(io.BytesIO(pdf_sv)).attachments["credential.json"][0]
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(swapped)))
    files = writer.root_object["/Names"]["/EmbeddedFiles"]["/Names"]
    for index in range(0, len(files), 2):
        if files[index] == "credential.json":
            stream = files[index + 1].get_object()["/EF"]["/F"].get_object()
            stream.set_data(her_credential)
            stream[NameObject("/Params")][NameObject("/Size")] = NumberObject(len(her_credential))
    out = io.BytesIO()
    writer.write(out)
    _assert_forgery_fails(out.getvalue(), keyset)


def _keyset_with_other_jwk(keyset: KeySet) -> str:
    raw = json.loads(keyset.dumps())
    other = json.loads(KeySet.for_key(SigningKey.generate(), keyset.issuer).dumps())
    raw["keys"][0]["publicKeyJwk"] = other["keys"][0]["publicKeyJwk"]
    return json.dumps(raw)


def test_a_keyset_whose_two_key_forms_disagree_is_refused(pdf_sv: bytes, keyset: KeySet, tmp_path, capsys) -> None:
    text = _keyset_with_other_jwk(keyset)
    with pytest.raises(Exception, match="different keys"):
        KeySet.loads(text)
    keys = tmp_path / "keys.json"
    keys.write_text(text)
    pdf = tmp_path / "intyg.pdf"
    pdf.write_bytes(pdf_sv)
    assert main(["verify", str(pdf), "--keys", str(keys)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "different keys" in err


@pytest.mark.parametrize("keys", ["binary", "http://samverka.example/.well-known/samverka-keys.json"])
def test_unusable_keys_give_one_line_and_exit_2(keys: str, pdf_sv: bytes, tmp_path, capsys) -> None:
    pdf = tmp_path / "intyg.pdf"
    pdf.write_bytes(pdf_sv)
    if keys == "binary":
        path = tmp_path / "keys.bin"
        path.write_bytes(bytes(range(256)) * 4)
        keys = str(path)
    assert main(["verify", str(pdf), "--keys", keys]) == 2
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1, captured.err
    assert captured.err.startswith("error: cannot use the keys")
    assert "Traceback" not in captured.err


def test_a_page_of_the_first_wording_still_verifies_and_its_forgery_fails(
    renderer: CertificateRenderer, data_sv: CertificateData, key: SigningKey, keyset: KeySet
) -> None:
    # Certificates issued before page version 2 state no version; they are compared
    # with the wording they were rendered with.
    first = renderer.render(
        replace(data_sv, page_version=1, reference=None, partners=(), role_minutes=()), key, SIGNED_AT
    )
    assert verify_pdf(first, keyset).ok
    forger = Forger(first)
    line = forger.find("85,5 verifierade timmar")
    forger.retext(line, "1" + forger.text_of(line))
    _assert_forgery_fails(forger.pdf(), keyset, "text added before")
