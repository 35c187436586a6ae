"""No page makes a visitor's browser ask another host for anything (issue 15, finding 11).

The /schema viewer loaded its code and fonts from CDNs, so every visitor's address went
to them. A real browser opens the pages, the viewer included, and every request it
makes is recorded: all of them go to this server, and the viewer renders.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from service_support import PASSWORD

PAGES = ["/", "/login", "/register", "/verify", "/schema", "/schema/swagger"]
COORDINATOR_PAGES = ["/volunteers", "/runs", "/schema"]


def _requests_elsewhere(tab, base_url, paths):
    seen: list[str] = []
    tab.page.on("request", lambda request: seen.append(request.url))
    for path in paths:
        tab.goto(path)
        tab.page.wait_for_load_state("networkidle")
    own = urlsplit(base_url).netloc
    return [
        url for url in seen if urlsplit(url).scheme in ("http", "https", "ws", "wss") and urlsplit(url).netloc != own
    ]


def test_no_page_loads_anything_from_another_host(open_tab, live_server):
    tab = open_tab(desktop=True)
    assert _requests_elsewhere(tab, live_server.url, PAGES) == []
    # The viewer really rendered, from its local files.
    tab.goto("/schema")
    tab.page.wait_for_selector(".swagger-ui .info .title", timeout=20_000)
    assert "Samverka" in tab.page.inner_text(".swagger-ui .info .title")
    assert not [p for p in tab.problems if "Content Security Policy" in p or "page error" in p], tab.problems


def test_signed_in_pages_load_nothing_from_another_host(open_tab, live_server):
    tab = open_tab(desktop=True)
    tab.goto("/login")
    tab.page.fill("input[name=email]", "coordinator@test.samverka.se")
    tab.page.fill("input[name=password]", PASSWORD)
    tab.page.click("button[type=submit]")
    tab.page.wait_for_load_state("networkidle")
    assert _requests_elsewhere(tab, live_server.url, COORDINATOR_PAGES) == []
