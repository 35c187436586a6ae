"""Charts for the pages, drawn by matplotlib's SVG backend (as the reports package does).

A chart is served as its own image URL, never inline: the CSP (`style-src 'self'`) would
block the style attributes matplotlib writes. Every chart has a text table next to it.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from html import escape

from babel.dates import format_date

from volunteers.web.i18n import babel_locale

COLOUR = "#0b4f6c"


def month_label(key: str, language: str) -> str:
    """A month key as a label: "2026-11" as "nov. 2026" / "Nov 2026"."""
    import datetime as dt

    try:
        day = dt.date.fromisoformat(key + "-01")
    except ValueError:
        return key
    return format_date(day, "MMM y", locale=babel_locale(language))


def hours_chart(months: Sequence[tuple[str, float]], title: str, language: str) -> bytes:
    """Bars of verified hours per month ("2026-11" keys), as an accessible SVG document."""
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure

    labels = [month_label(k, language) for k, _ in months] or ["–"]
    values = [v for _, v in months] or [0.0]
    fig = Figure(figsize=(6.0, 3.0))
    ax = fig.add_subplot()
    ax.bar(labels, values, color=COLOUR)
    ax.set_ylabel("h")
    ax.spines[["top", "right"]].set_visible(False)
    if len(labels) > 6:
        ax.tick_params(axis="x", labelrotation=60, labelsize=8)
    fig.tight_layout()
    buf = io.StringIO()
    # matplotlib's SVG backend is not annotated.
    FigureCanvasSVG(fig).print_svg(buf, metadata={"Title": title, "Date": None, "Creator": None})  # type: ignore[no-untyped-call]
    svg = buf.getvalue()
    svg = svg[svg.index("<svg") :]
    desc = "; ".join(f"{lab}: {val:g} h" for lab, val in zip(labels, values, strict=True))
    head = f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>"
    svg = svg.replace(">", f' role="img">{head}', 1)
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + svg).encode("utf-8")
