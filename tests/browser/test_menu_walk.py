"""Every page in each role's menu, opened as that person would at 375 px.

Each page must pass the shared checks (axe finds nothing serious, nothing scrolls sideways,
no script error or failed load) and carry a plain title: pages from several branches meet
in the menu, and a page that breaks only there is found here.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from service_support import PASSWORD
from web.test_work_pages import add_verified_hours

pytestmark = pytest.mark.browser


def _login(tab, key: str) -> None:  # type: ignore[no-untyped-def]
    tab.goto("/login")
    tab.page.get_by_label("E-postadress").fill(f"{key}@test.samverka.se")
    tab.page.get_by_label("Lösenord").fill(PASSWORD)
    tab.page.get_by_role("button", name="Logga in").click()
    tab.page.wait_for_url(re.compile(r"notice=logged_in"))


def _menu(page) -> list[str]:  # type: ignore[no-untyped-def]
    return page.eval_on_selector_all("#main-nav a[href]", "links => links.map(a => a.getAttribute('href'))")


@pytest.mark.parametrize("key", [None, "vol_anna", "leader_sisu", "coordinator"])
def test_every_menu_page_passes_at_375_px(open_tab, key: str | None) -> None:
    tab = open_tab(language="sv")
    if key:
        _login(tab, key)
    else:
        tab.goto("/")
    paths = _menu(tab.page)
    assert paths, "no menu"
    for path in paths:
        tab.goto(path)
        name = f"menu-{key or 'anonymous'}-{path.strip('/').replace('/', '-') or 'start'}"
        tab.check(name, screenshot=False)
        title = tab.page.title()
        assert re.fullmatch(r"[^<>\n]{1,80} – Samverka", title), f"{path}: title {title!r}"


def test_the_impact_report_fits_375_px_with_a_long_partner_name(open_tab, live_server) -> None:
    """A real partner's name ("Västerås stad, kultur-, idrotts- och fritidsförvaltningen") in
    the report's tables: the table scrolls in its own box, the page does not."""

    async def arrange(db):  # type: ignore[no-untyped-def]
        from sqlalchemy import select

        from volunteers.db.models import Activity, Partner

        activity = await db.get(Activity, live_server.world.activities["football"])
        partner = (await db.execute(select(Partner).where(Partner.id == activity.partner_id))).scalar_one()
        partner.name = "Västerås stad, kultur-, idrotts- och fritidsförvaltningen"
        await add_verified_hours(db, live_server.world, "vol_anna", dt.date.today())
        await db.commit()

    live_server.arrange(arrange)
    tab = open_tab(language="sv")
    _login(tab, "coordinator")
    tab.goto("/reports/impact")
    assert "fritidsförvaltningen" in tab.page.inner_text("main")
    tab.check("impact-long-partner-name")
