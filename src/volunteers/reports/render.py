"""The impact report as CSV, as self-contained HTML with its charts, and as a PDF (WeasyPrint)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path

from babel.dates import format_date
from babel.numbers import format_decimal
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from volunteers.reports import schemas
from volunteers.reports.definitions import definitions
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
        yield {
            "section": "unfilled.by_reason",
            "key": reason.code,
            "label": reason.label,
            "value": reason.missing_slots,
        }
    yield _count("job_seekers.looking_for_work", r.job_seekers.looking_for_work)
    yield _count("job_seekers.later_working_or_studying", r.job_seekers.later_working_or_studying)
    yield {"section": "job_seekers.share", "key": "all", "value": r.job_seekers.share}
    yield _count("follow_ups.respondents", r.follow_ups.respondents)
    yield from _cells("follow_ups.latest_situation", r.follow_ups.latest_situation)
    yield from _cells("follow_ups.helped", r.follow_ups.helped)
    yield _count("certificates.issued", r.certificates.issued)
    yield _count("certificates.revoked", r.certificates.revoked)
    yield _count("learning.goals_reached", r.learning.goals_reached)
    yield _count("learning.trainings_completed", r.learning.trainings_completed)
    yield _count("follow_ups.asked", r.follow_ups.asked)
    yield {"section": "follow_ups.response_rate", "key": "all", "value": r.follow_ups.response_rate}
    yield _count("follow_ups.certificate_used", r.follow_ups.certificate_used)
    if r.hour_value is not None:
        yield {"section": "hours.value_sek", "key": "rate_sek", "value": r.hour_value.rate_sek}
        yield {"section": "hours.value_sek", "key": "all", "value": r.hour_value.value_sek}
    if r.reach is not None:
        yield _count("reach.children_and_young", r.reach.total)
        yield from _cells("reach.by_age_group", r.reach.by_age_group)
    for g in r.goals:
        yield {"section": "goals", "key": g.indicator, "label": g.label, "value": g.value}
        yield {"section": "goals.target", "key": g.indicator, "label": g.label, "value": g.target}
        yield {"section": "goals.met", "key": g.indicator, "label": g.label, "value": g.met}
    if r.previous is not None:
        pv = r.previous
        yield {"section": "previous.period", "key": "start", "value": pv.start.isoformat()}
        yield {"section": "previous.period", "key": "end", "value": pv.end.isoformat()}
        yield _count("previous.active", pv.active)
        yield {"section": "previous.hours", "key": "all", "hours": pv.total_hours}
        yield {"section": "previous.sessions", "key": "held", "value": pv.sessions_held}
        yield _count("previous.retained", pv.retained)
        yield {"section": "previous.retention", "key": "all", "value": pv.retention}


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


def number(lang: str, v: float | int | None) -> str:
    """A figure in the language's number format (Swedish: 12 345,5); a suppressed one as "<5"."""
    if v is None:
        return text(lang, "suppressed")
    return format_decimal(v, locale="sv_SE" if lang == "sv" else "en_GB").replace(" ", "\u00a0")


def percent(lang: str, v: float | None) -> str:
    if v is None:
        return "–"
    return format_decimal(round(v * 100, 1), format="0.0", locale="sv_SE" if lang == "sv" else "en_GB") + "\u00a0%"


def day(lang: str, d: dt.date) -> str:
    return format_date(d, "d MMMM y", locale="sv" if lang == "sv" else "en_GB")


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
        fmt=lambda v: number(lang, v),
        pct=lambda v: percent(lang, v),
        day=lambda d: day(lang, d),
        month=lambda m: format_date(
            dt.date.fromisoformat(f"{m}-01"), "LLLL y", locale="sv" if lang == "sv" else "en_GB"
        ),
        hidden=lambda c: text(lang, "hidden" if c.hidden in ("complement", "months") else "suppressed"),
        definitions=definitions(lang),
    )


def impact_pdf(r: schemas.ImpactReport, lang: str = "sv") -> bytes:
    """The report as a PDF for the steering group."""
    from weasyprint import HTML  # type: ignore[import-untyped]  # weasyprint ships no type information

    # Tagged PDF/UA-1: a structure tree, the document's language and title, for screen readers.
    html = HTML(string=impact_html(r, lang), base_url=str(TEMPLATES))
    return bytes(html.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True))
