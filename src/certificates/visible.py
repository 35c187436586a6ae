"""Is every word on the page one a reader sees, and nothing drawn that the renderer does not draw?

`verify_pdf` compares the extracted page text with the text the signed credential
implies. Extraction reads every text operator, seen or not, so a forger could keep the
genuine wording where nobody sees it and show other words. This module walks each
page's content stream as a viewer would (graphics state, text state, clipping) and
reports what the renderer never makes:

- text a reader cannot see: render mode other than fill (3 is invisible), a size or
  horizontal scale too small to read, a colour too light to read on the white page,
  transparency, a position outside the page or outside the clipping area, or text that
  a filled or stroked shape painted later covers;
- ways of drawing that bypass the text comparison or hide it: more than one content
  stream, XObjects (forms or images), inline images, shadings, annotations, form
  fields, optional content (layers), fonts other than Type0 with a ToUnicode map.

The renderer (WeasyPrint, `render.py`) draws text only in fill mode, in dark colours,
inside the page, one text object per line, with borders and backgrounds painted
before the text they surround; `tests/certificates/test_forgery.py` forges each case.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from pypdf import PageObject, PdfReader
from pypdf.generic import ContentStream

Matrix = tuple[float, float, float, float, float, float]
Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in device space (points)
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
# Smallest readable text: the page's smallest is 7.2 pt; below 4 pt nobody reads it.
MIN_TEXT_SIZE = 4.0
# Lightest readable text colour, as relative luminance (0 black, 1 white). The page's
# lightest text is #6b7280 (0.18); its backgrounds are #eef3f9 (0.89) and white.
MAX_TEXT_LUMINANCE = 0.6
# Average glyph advance as a share of the font size, to estimate where a run ends.
_ADVANCE = 0.55
_PAINT_OPERATORS = {b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*", b"S", b"s"}
_SHOW_OPERATORS = {b"Tj", b"TJ", b"'", b'"'}
_FORBIDDEN_OPERATORS = {b"Do": "an XObject", b"BI": "an inline image", b"sh": "a shading", b"d0": "a Type3 glyph"}


def _multiply(m: Matrix, n: Matrix) -> Matrix:
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])


def _box_of(points: Iterable[tuple[float, float]]) -> Box | None:
    xs, ys = [], []
    for x, y in points:
        xs.append(x)
        ys.append(y)
    return (min(xs), min(ys), max(xs), max(ys)) if xs else None


def _intersect(a: Box, b: Box) -> Box:
    return (max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3]))


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _inside(point: tuple[float, float], box: Box) -> bool:
    return box[0] <= point[0] <= box[2] and box[1] <= point[1] <= box[3]


def _luminance(colour: Sequence[float]) -> float:
    """Relative luminance of a gray, RGB or CMYK fill colour (0 black, 1 white)."""
    values = [min(1.0, max(0.0, float(v))) for v in colour]
    if len(values) == 1:
        return values[0]
    if len(values) == 3:
        r, g, b = values
    elif len(values) == 4:
        c, m, y, k = values
        r, g, b = (1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k)
    else:
        return 1.0  # a colour space we do not draw in: count it as unreadable
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


@dataclass(slots=True)
class _State:
    ctm: Matrix = _IDENTITY
    fill: tuple[float, ...] = (0.0,)
    clip: Box | None = None
    render_mode: int = 0
    font_size: float = 0.0
    scale: float = 100.0
    leading: float = 0.0
    rise: float = 0.0
    opaque: bool = True


def page_problems(reader: PdfReader) -> list[str]:
    """What the document or its pages draw, or hide, that the renderer never makes."""
    problems: list[str] = []
    root = reader.root_object
    if "/AcroForm" in root:
        problems.append("the document has form fields")
    if "/OCProperties" in root:
        problems.append("the document has optional content (layers)")
    for number, page in enumerate(reader.pages, start=1):
        problems += [f"page {number}: {problem}" for problem in _page_problems(reader, page)]
    return problems


def _page_problems(reader: PdfReader, page: PageObject) -> list[str]:
    problems: list[str] = []
    if page.get("/Annots"):
        problems.append("it has annotations")
    contents = page.get("/Contents")
    if contents is not None and not hasattr(contents.get_object(), "get_data"):
        problems.append("it has more than one content stream")
    resources = page.get("/Resources")
    resources = resources.get_object() if resources is not None else {}
    if resources.get("/XObject"):
        problems.append("it has XObjects (forms or images)")
    fonts = resources.get("/Font") or {}
    for name, font in fonts.items():
        font = font.get_object()
        if font.get("/Subtype") != "/Type0" or "/ToUnicode" not in font:
            problems.append(f"font {name} is not a Type0 font with a ToUnicode map")
    states = resources.get("/ExtGState") or {}
    translucent = {
        str(name)
        for name, state in states.items()
        if float(state.get_object().get("/ca", 1)) < 1
        or float(state.get_object().get("/CA", 1)) < 1
        or state.get_object().get("/SMask", "/None") != "/None"
    }
    if contents is None:
        return problems
    media = tuple(float(v) for v in page.mediabox)
    page_box: Box = (media[0], media[1], media[2], media[3])
    crop = page.get("/CropBox")
    if crop is not None:
        page_box = _intersect(page_box, tuple(float(v) for v in crop))  # type: ignore[arg-type]
    operations = ContentStream(contents.get_object(), reader).operations
    problems += _walk(operations, page_box, translucent)
    return problems


def _walk(operations: list[tuple[Any, bytes]], page_box: Box, translucent: set[str]) -> list[str]:
    problems: list[str] = []
    state = _State()
    stack: list[_State] = []
    text_matrix = line_matrix = _IDENTITY
    path: list[tuple[float, float]] = []  # the current path's points, in device space
    pending_clip = False
    drawn: list[tuple[Box, str]] = []  # each text run's estimated box, for covering shapes
    for operands, operator in operations:
        if operator in _FORBIDDEN_OPERATORS:
            problems.append(f"it draws {_FORBIDDEN_OPERATORS[operator]}")
        elif operator == b"q":
            stack.append(replace(state))
        elif operator == b"Q":
            state = stack.pop() if stack else _State()
        elif operator == b"cm":
            state.ctm = _multiply(tuple(float(v) for v in operands), state.ctm)  # type: ignore[arg-type]
        elif operator == b"gs":
            if str(operands[0]) in translucent:
                state.opaque = False
        elif operator in (b"rg", b"g", b"k", b"sc", b"scn"):
            numbers = [v for v in operands if isinstance(v, int | float) or hasattr(v, "as_numeric")]
            state.fill = tuple(float(v) for v in numbers) or (1.0,)
        elif operator in (b"cs",):
            state.fill = (0.0,)
        elif operator == b"m" or operator == b"l":
            path.append(_apply(state.ctm, float(operands[0]), float(operands[1])))
        elif operator in (b"c", b"v", b"y"):
            numbers = [float(v) for v in operands]
            path += [_apply(state.ctm, numbers[i], numbers[i + 1]) for i in range(0, len(numbers), 2)]
        elif operator == b"re":
            x, y, w, h = (float(v) for v in operands)
            path += [_apply(state.ctm, px, py) for px, py in ((x, y), (x + w, y), (x, y + h), (x + w, y + h))]
        elif operator in (b"W", b"W*"):
            pending_clip = True
        elif operator in _PAINT_OPERATORS or operator == b"n":
            box = _box_of(path)
            if pending_clip and box is not None:
                state.clip = box if state.clip is None else _intersect(state.clip, box)
            if operator != b"n" and box is not None:
                for text_box, text in drawn:
                    if _overlap(_shrink(box), text_box):
                        problems.append(f"a shape painted over the text {text!r}")
                        break
            path, pending_clip = [], False
        elif operator == b"BT":
            text_matrix = line_matrix = _IDENTITY
        elif operator == b"Tf":
            state.font_size = float(operands[1])
        elif operator == b"Tr":
            state.render_mode = int(operands[0])
        elif operator == b"Tz":
            state.scale = float(operands[0])
        elif operator == b"TL":
            state.leading = float(operands[0])
        elif operator == b"Ts":
            state.rise = float(operands[0])
        elif operator == b"Tm":
            text_matrix = line_matrix = tuple(float(v) for v in operands)  # type: ignore[assignment]
        elif operator in (b"Td", b"TD"):
            tx, ty = float(operands[0]), float(operands[1])
            if operator == b"TD":
                state.leading = -ty
            text_matrix = line_matrix = _multiply((1, 0, 0, 1, tx, ty), line_matrix)
        elif operator in (b"T*", b"'", b'"'):
            text_matrix = line_matrix = _multiply((1, 0, 0, 1, 0, -state.leading), line_matrix)
        if operator in _SHOW_OPERATORS:
            glyphs = _glyph_count(operands)
            if glyphs:
                problem, box = _check_text(state, text_matrix, glyphs, page_box)
                if problem:
                    problems.append(problem)
                drawn.append((box, f"{glyphs} glyphs"))
                # Advance roughly, so that the next run on the line is placed about right.
                advance = glyphs * _ADVANCE * state.font_size * state.scale / 100
                text_matrix = _multiply((1, 0, 0, 1, advance, 0), text_matrix)
    return problems


def _shrink(box: Box) -> Box:
    # Hairline borders share an edge with the text box they frame; only a real overlap counts.
    return (box[0] + 0.5, box[1] + 0.5, box[2] - 0.5, box[3] - 0.5)


def _glyph_count(operands: Sequence[Any]) -> int:
    strings = operands[0] if operands and isinstance(operands[0], list) else operands[-1:]
    count = 0
    for item in strings:
        if isinstance(item, str | bytes):
            raw = _string_bytes(item)
            # The renderer's fonts are Identity-H: two bytes a glyph.
            count += (len(raw) + 1) // 2
    return count


def _string_bytes(item: str | bytes) -> bytes:
    """A string operand's bytes as written in the stream (pypdf may have decoded them as text)."""
    if isinstance(item, bytes):
        return item
    original = getattr(item, "original_bytes", None)
    return original if isinstance(original, bytes) else item.encode("latin-1", "replace")


def _check_text(state: _State, text_matrix: Matrix, glyphs: int, page_box: Box) -> tuple[str | None, Box]:
    size, scale = state.font_size, state.scale / 100
    rendering = _multiply((size * scale, 0, 0, size, 0, state.rise), _multiply(text_matrix, state.ctm))
    height = (rendering[2] ** 2 + rendering[3] ** 2) ** 0.5
    width = (rendering[0] ** 2 + rendering[1] ** 2) ** 0.5
    corners = [
        _apply(rendering, x, y) for x, y in ((0, -0.2), (glyphs * _ADVANCE, -0.2), (0, 0.8), (glyphs * _ADVANCE, 0.8))
    ]
    box = _box_of(corners)
    assert box is not None
    if state.render_mode != 0:
        return f"text in render mode {state.render_mode} (only filled text is drawn)", box
    if height < MIN_TEXT_SIZE or width < MIN_TEXT_SIZE:
        return f"text too small to read ({min(height, width):.1f} pt)", box
    if _luminance(state.fill) > MAX_TEXT_LUMINANCE:
        return "text in a colour too light to read", box
    if not state.opaque:
        return "transparent text", box
    # Where the run starts must be seen; the run's end is only estimated. The page box
    # is in default user space, which is device space here: the walk starts from the
    # identity, as a page's content stream does.
    middle = _apply(rendering, 0.1, 0.3)
    if not _inside(middle, page_box):
        return "text outside the page", box
    if state.clip is not None and not _inside(middle, state.clip):
        return "text outside its clipping area", box
    return None, box
