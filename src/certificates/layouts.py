"""Let a certificate's lines keep their Pango layout from layout to drawing.

WeasyPrint lays out each line of text with Pango, drops that layout ("deactivate") to
save memory, and when it draws the line builds a new layout for the same text and has
Pango shape it again ("reactivate"). On a one-page certificate, with some 45 lines,
that second set-up and shaping was about a tenth of a render.

Inside `layouts_kept()` (and only there, and only in that thread: reports and other
WeasyPrint documents are untouched), a line's layout is kept as it was laid out, and
drawing uses it as it is when nothing that reactivation would change applies: the
same style, no justification spacing. WeasyPrint draws a line in Pango's
single-paragraph mode, and switching that mode on makes Pango lay the text out again,
so a kept layout is put in that mode as soon as its text is set, when the text has no
paragraph separator (where the mode changes nothing else). After drawing, the layout
is dropped as usual. The PDF is byte for byte the one WeasyPrint makes without this;
a test checks that.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from typing import Any

from weasyprint.text.ffi import pango  # type: ignore[import-untyped]
from weasyprint.text.line_break import Layout  # type: ignore[import-untyped]

# Characters at which Pango ends a paragraph (or might): with one of them in the text,
# single-paragraph mode would change the layout, so such a line is not kept.
_PARAGRAPH_SEPARATORS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")

_state = threading.local()
_original_set_text = Layout.set_text
_original_deactivate = Layout.deactivate
_original_reactivate = Layout.reactivate


def _keeping() -> bool:
    return getattr(_state, "depth", 0) > 0


def _set_text(self: Any, text: str, justify: bool = False) -> None:
    _original_set_text(self, text, justify)
    if _keeping():
        keep = _PARAGRAPH_SEPARATORS.isdisjoint(self.text)
        self._samverka_keep = keep
        if keep:
            pango.pango_layout_set_single_paragraph_mode(self.layout, True)


def _deactivate(self: Any) -> None:
    if getattr(self, "_samverka_keep", False) and not getattr(self, "_samverka_drawn", False):
        return  # laid out, not drawn yet: keep it for drawing
    _original_deactivate(self)


def _reactivate(self: Any, style: Any) -> None:
    reuse = (
        getattr(self, "_samverka_keep", False)
        and not getattr(self, "_samverka_drawn", False)
        and hasattr(self, "layout")
        and style is self.style
        and not self.justification_spacing
    )
    # Drawn once, with the kept layout or one built afresh as WeasyPrint does; the
    # deactivation after drawing then drops it.
    self._samverka_drawn = True
    if not reuse:
        _original_reactivate(self, style)


Layout.set_text = _set_text
Layout.deactivate = _deactivate
Layout.reactivate = _reactivate


@contextlib.contextmanager
def layouts_kept() -> Iterator[None]:
    """Keep line layouts for drawing while the block runs, in this thread."""
    _state.depth = getattr(_state, "depth", 0) + 1
    try:
        yield
    finally:
        _state.depth -= 1
