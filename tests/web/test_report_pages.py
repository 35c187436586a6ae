"""The impact report page: figures, chart images with tables, exports, the period; coordinators only."""

from __future__ import annotations

import base64
import re

import pytest

from service_support import World, run_db
from volunteers.settings import Settings
from web.test_work_pages import TODAY, add_verified_hours


@pytest.mark.parametrize(("language", "small"), [("sv", "färre än 5"), ("en", "&lt;5")])
def test_coordinator_reads_the_impact_report(settings: Settings, visitor, world: World, language, small) -> None:
    run_db(settings, lambda db: add_verified_hours(db, world, "vol_anna", TODAY))
    c = visitor("coordinator", language)
    r = c.get("/reports/impact")
    assert r.status_code == 200, r.text[:500]
    assert small in r.text  # one volunteer: the count is suppressed
    # The title is the page's name alone, and the definitions are shown once, in the page.
    title = {"sv": "Effektrapport – Samverka", "en": "Impact report – Samverka"}[language]
    assert re.search(r"<title>(.*?)</title>", r.text, re.S).group(1) == title  # type: ignore[union-attr]
    assert r.text.count('id="definitions-title"') == 1
    assert "/api/reports/impact.csv?" in r.text and "/api/reports/impact.pdf?" in r.text
    charts = re.findall(r'<img class="chart" src="data:image/svg\+xml;base64,([^"]+)" alt="([^"]+)"', r.text)
    assert charts and all(alt for _, alt in charts)
    assert all(b"<svg" in base64.b64decode(data) for data, _ in charts)  # drawn inside the page
    links = re.findall(r'<a href="(/reports/impact/chart/[^"]+)" download', r.text)
    assert len(links) == len(charts)
    svg = c.get(links[0].replace("&amp;", "&"))
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml") and b"<svg" in svg.content
    assert c.get("/reports/impact/chart/nope.svg").status_code == 404
    r = c.get("/reports/impact", params={"start": "2026-10-01", "end": "2026-10-31"})
    assert 'value="2026-10-01"' in r.text and 'value="2026-10-31"' in r.text


def test_leaders_and_volunteers_may_not_see_the_report(visitor, world: World) -> None:
    for key in ("leader_sisu", "vol_anna"):
        v = visitor(key, "en")
        assert v.get("/reports/impact").status_code == 403
        assert v.get("/reports/impact/chart/hours_by_month.svg").status_code == 403
