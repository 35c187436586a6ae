"""The partnership's reports: the impact report (figures, charts, CSV, PDF) and coordinators' lists.

    report = await build_report(db, partnership, Period.of(start, end, zone), now, "sv")
    impact_charts(report, "sv")  -> {"hours_by_month": "<svg ...>", ...}  accessible SVG strings
    impact_html(report, "sv")    -> one self-contained HTML document (what the PDF prints)
    impact_pdf(report, "sv")     -> PDF bytes (WeasyPrint)
    impact_csv(report)           -> CSV text

Every count of people below 5 is suppressed (see `suppression`).
"""

from __future__ import annotations

from collections.abc import Collection

from volunteers.reports.period import Period
from volunteers.reports.render import impact_csv, impact_html, impact_pdf
from volunteers.reports.schemas import ImpactReport
from volunteers.reports.services import build_report, impact_report
from volunteers.reports.suppression import MIN_CELL


def impact_charts(report: ImpactReport, lang: str = "sv", only: Collection[str] | None = None) -> dict[str, str]:
    """The report's charts (or those named in `only`) as SVG strings by name (matplotlib loads on first use)."""
    from volunteers.reports.charts import impact_charts as draw

    return draw(report, lang, only)


__all__ = [
    "MIN_CELL",
    "ImpactReport",
    "Period",
    "build_report",
    "impact_charts",
    "impact_csv",
    "impact_html",
    "impact_pdf",
    "impact_report",
]
