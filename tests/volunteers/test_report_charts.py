"""The hours chart: months without work left out, a long period drawn by quarter, the sums kept."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from sqlalchemy import select

from report_history import generate
from service_support import NOW, run_db
from volunteers.db.models import Partnership
from volunteers.reports import Period, build_report, impact_charts


@pytest.fixture
def generated(settings: Any, world: Any) -> Any:
    return run_db(settings, generate(world, seed=3))


def _report(settings: Any, start: dt.date, end: dt.date) -> Any:
    async def build(db: Any) -> Any:
        p = (await db.scalars(select(Partnership))).first()
        return await build_report(db, p, Period.of(start, end, p.timezone), NOW, "sv", parallel=False)

    return run_db(settings, build)


def _bars(svg: str) -> dict[str, float]:
    """The chart's bars as its description reads them out ("kv. 1 2026: 1 234,5 Timmar; ...")."""
    desc = re.search(r"<desc[^>]*>(.*?)</desc>", svg, re.S)
    assert desc
    out = {}
    for label, value in re.findall(r"(?:^|; )([^;:]+): ([\d\u202f\u00a0 ,]+) Timmar", desc.group(1)):
        out[label] = float(re.sub(r"[\u202f\u00a0 ]", "", value).replace(",", "."))
    return out


def test_a_year_is_drawn_by_quarter_and_a_quarter_by_month(settings: Any, world: Any, generated: Any) -> None:
    year = _report(settings, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    months = {c.key: (c.minutes or 0) for c in year.hours.by_month}
    assert len(months) > 6 and all(m > 0 for m in months.values())  # months without work are not listed
    svg = impact_charts(year, "sv", only=["hours_by_month"])["hours_by_month"]
    assert "Timmar per kvartal" in svg
    bars = _bars(svg)
    quarters: dict[str, float] = {}
    for key, minutes in months.items():
        label = f"kv. {(int(key[5:]) - 1) // 3 + 1} {key[:4]}"
        quarters[label] = quarters.get(label, 0) + minutes / 60
    assert bars == {k: pytest.approx(round(v, 1)) for k, v in quarters.items()}

    spring = _report(settings, dt.date(2026, 2, 1), dt.date(2026, 4, 30))
    svg = impact_charts(spring, "sv", only=["hours_by_month"])["hours_by_month"]
    assert "Timmar per månad" in svg and len(_bars(svg)) == len(spring.hours.by_month) <= 3
