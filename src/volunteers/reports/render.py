"""The impact report as CSV, as self-contained HTML with its charts, and as a PDF (WeasyPrint)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from volunteers.reports import schemas
from volunteers.reports.texts import TEXTS, lang_of, text

TEMPLATES = Path(__file__).parent / "templates"
CSV_COLUMNS = ("section", "key", "label", "people", "minutes", "hours", "value", "suppressed")
_env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]), trim_blocks=True)


def _cells(section: str, cells: list[schemas.Cell]) -> Iterator[dict[str, object]]:
    for c in cells:
        yield {
            "section": section,
            "key": c.key,
            "label": c.label,
            "people": c.people,
            "minutes": c.minutes,
            "hours": c.hours,
            "suppressed": c.suppressed,
        }


def _count(section: str, c: schemas.Count) -> dict[str, object]:
    return {"section": section, "key": "all", "people": c.value, "suppressed": c.suppressed}


def csv_rows(r: schemas.ImpactReport) -> Iterator[dict[str, object]]:
    """The report in long form: one row per figure, suppressed figures left empty."""
    yield {"section": "period", "key": "start", "value": r.start.isoformat()}
    yield {"section": "period", "key": "end", "value": r.end.isoformat()}
    yield _count("volunteers.active", r.volunteers.active)
    yield _count("volunteers.new", r.volunteers.new)
    yield from _cells("volunteers.active_by_age_band", r.volunteers.active_by_age_band)
    yield from _cells("volunteers.new_by_age_band", r.volunteers.new_by_age_band)
    yield {"section": "hours.total", "key": "all", "minutes": r.hours.total_minutes, "hours": r.hours.total_hours}
    for name in ("by_partner", "by_activity_kind", "by_target_group", "by_month", "by_age_band"):
        yield from _cells(f"hours.{name}", getattr(r.hours, name))
    s = r.sessions
    yield {"section": "sessions", "key": "held", "value": s.held}
    yield {"section": "sessions", "key": "needed_slots", "value": s.needed_slots}
    yield {"section": "sessions", "key": "filled_slots", "value": s.filled_slots}
    yield {"section": "sessions", "key": "fill_rate", "value": s.fill_rate}
    for f in s.by_partner:
        for key in ("sessions", "needed_slots", "filled_slots", "fill_rate"):
            yield {"section": f"sessions.by_partner.{key}", "key": f.key, "label": f.label, "value": getattr(f, key)}
    u = r.unfilled_demand
    yield {"section": "unfilled", "key": "published_runs", "value": u.published_runs}
    yield {"section": "unfilled", "key": "missing_slots", "value": u.missing_slots}
    for reason in u.by_reason:
        yield {"section": "unfilled.by_reason", "key": reason.code, "value": reason.missing_slots}
    yield _count("job_seekers.looking_for_work", r.job_seekers.looking_for_work)
    yield _count("job_seekers.later_working_or_studying", r.job_seekers.later_working_or_studying)
    yield {"section": "job_seekers.share", "key": "all", "value": r.job_seekers.share}
    yield _count("follow_ups.respondents", r.follow_ups.respondents)
    yield from _cells("follow_ups.latest_situation", r.follow_ups.latest_situation)
    yield from _cells("follow_ups.helped", r.follow_ups.helped)
    yield _count("certificates.issued", r.certificates.issued)
    yield _count("certificates.revoked", r.certificates.revoked)


def impact_csv(r: schemas.ImpactReport) -> str:
    """The report as CSV (UTF-8, comma-separated, a header row)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in csv_rows(r):
        row = {k: ("" if v is None else str(v).lower() if isinstance(v, bool) else v) for k, v in row.items()}
        writer.writerow({c: row.get(c, "") for c in CSV_COLUMNS})
    return out.getvalue()


# The charts the printed report shows (the tables carry every figure).
PDF_CHARTS = ("hours_by_month", "hours_by_activity_kind")


def impact_html(r: schemas.ImpactReport, lang: str = "sv", charts: dict[str, str] | None = None) -> str:
    """The report as one self-contained HTML document (inline CSS, charts as SVG images), as the PDF prints it."""
    from volunteers.reports.charts import chart_image, impact_charts  # matplotlib loads only when a chart is drawn

    lang = lang_of(lang)
    charts = charts if charts is not None else impact_charts(r, lang, only=PDF_CHARTS)
    return _env.get_template("impact.html").render(
        r=r,
        lang=lang,
        t=TEXTS[lang],
        charts={k: Markup(chart_image(v)) for k, v in charts.items()},  # noqa: S704 - our own SVG, escaped text
        fmt=lambda v: text(lang, "suppressed") if v is None else f"{v:,}".replace(",", "\u00a0"),
        pct=lambda v: "–" if v is None else f"{v * 100:.1f}\u00a0%",
    )


def impact_pdf(r: schemas.ImpactReport, lang: str = "sv") -> bytes:
    """The report as a PDF for the steering group."""
    from weasyprint import HTML  # type: ignore[import-untyped]  # weasyprint ships no type information

    return bytes(HTML(string=impact_html(r, lang), base_url=str(TEMPLATES)).write_pdf())
