"""Browser tests: Debian's Chromium driven by Playwright against a real uvicorn server.

The server runs the app in a thread on a free loopback port with a freshly migrated
SQLite database and the test world (tests/service_support.py) plus a few sessions.
axe-core comes from tests/browser/vendor/axe-core (copied from its npm package, see
package.json), so no test needs the network.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import shutil
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from conftest import need_component
from service_support import World, build_world, run_db

CHROMIUM = os.environ.get("SAMVERKA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}

pytestmark = pytest.mark.browser


async def _add_sessions(db: Any, world: World) -> None:
    """This week's and next week's football sessions, Tuesdays and Thursdays 17:00-18:30."""
    from volunteers.db.models import Session

    zone = ZoneInfo("Europe/Stockholm")
    today = dt.datetime.now(zone).date()
    monday = today - dt.timedelta(days=today.weekday())
    for week in range(2):
        for weekday in (1, 3):
            day = monday + dt.timedelta(days=7 * week + weekday)
            start = dt.datetime.combine(day, dt.time(17), tzinfo=zone)
            db.add(
                Session(
                    activity_id=world.activities["football"],
                    starts_at=start.astimezone(dt.UTC),
                    ends_at=(start + dt.timedelta(minutes=90)).astimezone(dt.UTC),
                )
            )
    await db.flush()


class LiveServer:
    def __init__(self, url: str, world: World, settings: Any, past_session: Any = None, past_assignment: Any = None):
        self.url = url
        self.world = world
        self.settings = settings
        self.past_session = past_session
        self.past_assignment = past_assignment

    def arrange(self, fn: Any) -> Any:
        """`await fn(db)` on the server's database, in a thread (Playwright holds this thread's loop)."""
        out: list[Any] = []

        def work() -> None:
            try:
                out.append(run_db(self.settings, fn))
            except BaseException as exc:  # handed back to the test below
                out.append(exc)

        thread = threading.Thread(target=work)
        thread.start()
        thread.join()
        if isinstance(out[0], BaseException):
            raise out[0]
        return out[0]


async def _add_past_session(db: Any, world: World) -> tuple[Any, Any]:
    """A football session two days ago that Bo had accepted: attendance is still to confirm."""
    from volunteers.db.models import Assignment, AssignmentStatus, Session, StaffingNeed

    zone = ZoneInfo("Europe/Stockholm")
    day = dt.datetime.now(zone).date() - dt.timedelta(days=2)
    start = dt.datetime.combine(day, dt.time(17), tzinfo=zone).astimezone(dt.UTC)
    s = Session(activity_id=world.activities["football"], starts_at=start, ends_at=start + dt.timedelta(hours=2))
    db.add(s)
    db.add(StaffingNeed(activity_id=world.activities["football"], role="Hjälpledare", count=2))
    await db.flush()
    a = Assignment(
        id=uuid.uuid4(),
        session_id=s.id,
        volunteer_id=world.profiles["vol_bo"],
        role="Hjälpledare",
        status=AssignmentStatus.ACCEPTED,
        starts_at=s.starts_at,
        ends_at=s.ends_at,
    )
    db.add(a)
    await db.flush()
    return s.id, a.id


@pytest.fixture(scope="module")
def live_server(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    import uvicorn

    from volunteers.app import create_app
    from volunteers.settings import Settings

    data_dir = tmp_path_factory.mktemp("browser-data")
    shutil.copy(sqlite_template, data_dir / "samverka.sqlite3")
    settings = Settings(data_dir=data_dir, secret_key="browser-test-secret", rate_limit_per_minute=1000)
    world = run_db(settings, build_world)
    run_db(settings, lambda db: _add_sessions(db, world))
    past_session, past_assignment = run_db(settings, lambda db: _add_past_session(db, world))

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(settings), log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:  # waiting for a thread to bind, not for time to pass
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    yield LiveServer(f"http://127.0.0.1:{port}", world, settings, past_session, past_assignment)
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()


@pytest.fixture(scope="module")
def browser(live_server: LiveServer) -> Iterator[Any]:
    # The server (and its database set-up, which runs its own event loop) starts first:
    # Playwright keeps an event loop running in this thread while the browser is open, so
    # it closes with the module, before other tests call asyncio.run() again.
    need_component(importlib.util.find_spec("playwright") is not None, "Playwright for Python (pip install playwright)")
    need_component(Path(CHROMIUM).exists(), f"Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Pages:
    """One person's browser tab, with the checks every page must pass."""

    def __init__(self, page: Any, base_url: str):
        self.page = page
        self.base_url = base_url
        self.problems: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda err: self.problems.append(f"page error: {err}"))
        page.on("response", self._response)

    def _console(self, message: Any) -> None:
        # A Content-Security-Policy refusal or a script error is a bug in the page. A form
        # that comes back with 422 is not, so failed loads are judged by _response instead.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.problems.append(f"console: {message.text}")

    def _response(self, response: Any) -> None:
        if response.status >= 400 and response.request.resource_type != "document":
            self.problems.append(f"{response.status} for {response.url}")

    def goto(self, path: str) -> None:
        self.page.goto(self.base_url + path)

    def check(self, name: str, *, screenshot: bool = True) -> None:
        """axe finds nothing serious or critical, nothing scrolls sideways at 375 px; a screenshot."""
        page = self.page
        page.wait_for_load_state("load")
        page.evaluate(AXE.read_text(encoding="utf-8"))
        violations = page.evaluate(
            """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
                .filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => `${v.impact} ${v.id}: ${v.help} at ` +
                     v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))"""
        )
        assert not violations, f"{name}: axe found\n" + "\n".join(violations)
        width = page.viewport_size["width"]
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width, f"{name}: the page is {scroll_width} px wide at {width} px"
        assert not self.problems, f"{name}: " + "; ".join(self.problems)
        if screenshot:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            suffix = "" if width == PHONE["width"] else f"-{width}"
            page.screenshot(path=str(SCREENSHOTS / f"{name}{suffix}.png"), full_page=True)


@pytest.fixture
def open_tab(browser: Any, live_server: LiveServer) -> Iterator[Any]:
    """`open_tab()` is a new person at 375 px; `desktop=True` at 1280 px; `language=` sets the switch."""
    contexts: list[Any] = []

    def make(*, desktop: bool = False, language: str | None = None) -> Pages:
        viewport = DESKTOP if desktop else PHONE
        context = browser.new_context(viewport=viewport, locale="sv-SE", timezone_id="Europe/Stockholm")
        context.set_default_timeout(10_000)
        if language:
            context.add_cookies([{"name": "samverka_lang", "value": language, "url": live_server.url}])
        contexts.append(context)
        return Pages(context.new_page(), live_server.url)

    yield make
    for context in contexts:
        context.close()
