"""The impact report's charts as accessible SVG, drawn by matplotlib (the Agg-free SVG backend).

Each SVG carries a <title> and a <desc> (and role="img" with aria-labelledby), so a screen
reader announces what the chart shows; the desc lists the figures themselves. Suppressed
cells are left out of a chart and said so in its desc.

Drawing takes about a tenth of a second a chart, and a report page asks for each of its
charts separately, so the charts of recent reports are kept by the report's figures (its
fingerprint): the same figures in the same language draw from the cache.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import re
import textwrap
import threading
from collections import OrderedDict
from collections.abc import Callable, Collection, Sequence
from html import escape

import msgspec
from babel.dates import format_date
from babel.numbers import format_decimal
from matplotlib import rcParams
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from volunteers.reports import schemas
from volunteers.reports.texts import text

rcParams["svg.fonttype"] = "none"  # text stays text: searchable, smaller, read aloud
rcParams["svg.hashsalt"] = "samverka"  # the same report draws the same SVG
COLOUR = "#1f5f8b"
# Narrow enough that the text stays readable where a phone shows the chart 340 px wide
# (about 10 px type); the PDF prints it larger.
WIDTH, HEIGHT = 4.6, 3.0
QUARTERS_AFTER = 6  # more months than this are drawn by quarter (the table keeps the months)


def _svg(fig: Figure, key: str, title: str, desc: str) -> str:
    buf = io.StringIO()
    # matplotlib's SVG backend is not annotated.
    FigureCanvasSVG(fig).print_svg(buf, metadata={"Title": title, "Date": None, "Creator": None})  # type: ignore[no-untyped-call]
    svg = buf.getvalue()
    svg = svg[svg.index("<svg") :]  # drop the XML declaration and doctype: the SVG goes inline in HTML
    head = f'<title id="{key}-title">{escape(title)}</title><desc id="{key}-desc">{escape(desc)}</desc>'
    svg = re.sub(
        r"<svg([^>]*)>",
        lambda m: f'<svg{m.group(1)} role="img" aria-labelledby="{key}-title {key}-desc">{head}',
        svg,
        count=1,
    )
    return svg


def _number(lang: str, v: float) -> str:
    """A tick or a figure in the language's format: a decimal comma and a space between thousands in Swedish."""
    return format_decimal(round(v, 1), locale="sv_SE" if lang == "sv" else "en_GB").replace("\u00a0", " ")


def _bars(
    key: str,
    title: str,
    labels: Sequence[str],
    values: Sequence[float],
    unit: str,
    horizontal: bool,
    note: str,
    lang: str = "sv",
) -> str:
    fig = Figure(figsize=(WIDTH, HEIGHT if not horizontal else max(1.9, 0.45 * len(labels) + 1.1)))
    ax = fig.add_subplot()
    ticks = FuncFormatter(lambda v, _: _number(lang, v))
    if horizontal:
        # Long names (a municipal department) wrap rather than squeeze the bars.
        labels = [textwrap.fill(lab, 22) for lab in labels]
        ax.barh(list(labels), list(values), color=COLOUR)
        ax.invert_yaxis()
        ax.set_xlabel(unit)
        ax.xaxis.set_major_formatter(ticks)
    else:
        ax.bar(list(labels), list(values), color=COLOUR)
        ax.set_ylabel(unit)
        ax.yaxis.set_major_formatter(ticks)
        if len(labels) > 4:
            ax.tick_params(axis="x", labelrotation=90, labelsize=8)
    ax.set_title(title, loc="left", fontsize=11, fontweight="bold")
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    desc = "; ".join(f"{lab}: {_number(lang, val)} {unit}" for lab, val in zip(labels, values, strict=True)) or "-"
    return _svg(fig, key, title, desc + (f". {note}" if note else ""))


def _month_label(lang: str, month: str) -> str:
    """2026-03 as "mars 2026" (Swedish) or "Mar 2026"."""
    day = dt.date.fromisoformat(f"{month}-01")
    return format_date(day, "MMM y", locale="sv" if lang == "sv" else "en_GB")


def _quarter_label(lang: str, month: str) -> str:
    """2026-03 as "kv. 1 2026" (Swedish) or "Q1 2026"."""
    year, m = month.split("-")
    q = (int(m) - 1) // 3 + 1
    return f"kv. {q} {year}" if lang == "sv" else f"Q{q} {year}"


def _by_quarter(cells: list[schemas.Cell], lang: str) -> tuple[list[str], list[float]]:
    """Months summed by quarter, quarters without work left out."""
    sums: dict[str, float] = {}
    for c in cells:
        label = _quarter_label(lang, c.key)
        sums[label] = sums.get(label, 0.0) + (c.minutes or 0) / 60
    return list(sums), [round(v, 1) for v in sums.values()]


def _hour_chart(key: str, title: str, cells: list[schemas.Cell], lang: str, horizontal: bool) -> str:
    shown = [c for c in cells if not c.suppressed]
    hidden = [c.label for c in cells if c.suppressed]
    note = f"{text(lang, 'suppressed')}: {', '.join(hidden)}" if hidden else ""
    unit = text(lang, "hours_unit")
    if key == "hours-by-month" and len(shown) > QUARTERS_AFTER:
        labels, values = _by_quarter(shown, lang)
        return _bars(key, text(lang, "by_quarter"), labels, values, unit, horizontal, note, lang)
    labels = [_month_label(lang, c.key) if key == "hours-by-month" else c.label for c in shown]
    return _bars(key, title, labels, [c.hours or 0.0 for c in shown], unit, horizontal, note, lang)


def _has_hours(cells: list[schemas.Cell]) -> bool:
    return any((c.hours or 0) > 0 for c in cells)


def _drawers(report: schemas.ImpactReport, lang: str) -> dict[str, Callable[[], str]]:
    """How to draw each of the report's charts, by name (the reasons chart only when places stayed empty)."""
    h = report.hours
    drawers: dict[str, Callable[[], str]] = {}
    # A chart without a single hour says nothing: it is left out (its table says "0").
    if _has_hours(h.by_month):
        drawers["hours_by_month"] = lambda: _hour_chart(
            "hours-by-month", text(lang, "by_month"), h.by_month, lang, False
        )
    if _has_hours(h.by_partner):
        drawers["hours_by_partner"] = lambda: _hour_chart(
            "hours-by-partner", text(lang, "by_partner"), h.by_partner, lang, True
        )
    if _has_hours(h.by_activity_kind):
        drawers["hours_by_activity_kind"] = lambda: _hour_chart(
            "hours-by-kind", text(lang, "by_activity_kind"), h.by_activity_kind, lang, True
        )
    if _has_hours(h.by_target_group):
        drawers["hours_by_target_group"] = lambda: _hour_chart(
            "hours-by-target", text(lang, "by_target_group"), h.by_target_group, lang, True
        )
    rated = [c for c in report.sessions.by_partner if c.fill_rate is not None]
    if rated:
        drawers["fill_rate_by_partner"] = lambda: _bars(
            "fill-by-partner",
            text(lang, "fill_by_partner"),
            [c.label for c in rated],
            [round((c.fill_rate or 0) * 100, 1) for c in rated],
            text(lang, "percent_filled"),
            True,
            "",
            lang,
        )
    reasons = report.unfilled_demand.by_reason
    if reasons:
        drawers["unfilled_by_reason"] = lambda: _bars(
            "unfilled-by-reason",
            text(lang, "by_reason"),
            [r.label or r.code for r in reasons],
            [r.missing_slots for r in reasons],
            text(lang, "places_unit"),
            True,
            "",
            lang,
        )
    return drawers


_EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)  # stands in for the time a report was computed
_CACHE_SIZE = 64  # charts: a few reports' worth, some 10-40 KiB each
_cache: OrderedDict[tuple[str, str, str], str] = OrderedDict()
_cache_lock = threading.Lock()  # charts are drawn in worker threads


def fingerprint(report: schemas.ImpactReport) -> str:
    """A digest of the report's figures, the same for the same figures whenever they were computed."""
    figures = msgspec.structs.replace(report, generated_at=_EPOCH)
    return hashlib.sha256(msgspec.json.encode(figures)).hexdigest()


def impact_charts(
    report: schemas.ImpactReport, lang: str = "sv", only: Collection[str] | None = None
) -> dict[str, str]:
    """The report's charts (or those named in `only`), by name: SVG strings to place inline in a page or the PDF."""
    digest = fingerprint(report)
    charts = {}
    for name, draw in _drawers(report, lang).items():
        if only is not None and name not in only:
            continue
        key = (digest, lang, name)
        with _cache_lock:
            svg = _cache.get(key)
            if svg is not None:
                _cache.move_to_end(key)
        if svg is None:
            svg = draw()
            with _cache_lock:
                _cache[key] = svg
                while len(_cache) > _CACHE_SIZE:
                    _cache.popitem(last=False)
        charts[name] = svg
    return charts


def chart_image(svg: str) -> str:
    """An SVG chart as an <img> with its title and desc as alt text, for the PDF.

    WeasyPrint styles every element of an inline SVG through the page's CSS cascade; as an
    image the chart is drawn by its SVG renderer alone, which halves what a chart adds to
    the PDF's rendering time.
    """
    found = re.search(r"<title[^>]*>(.*?)</title><desc[^>]*>(.*?)</desc>", svg, re.S)
    alt = f"{found.group(1)}. {found.group(2)}" if found else ""  # both already escaped
    data = base64.b64encode(svg.encode()).decode()
    return f'<img role="img" alt="{alt}" src="data:image/svg+xml;base64,{data}">'
