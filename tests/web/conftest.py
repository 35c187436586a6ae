"""Page tests with Litestar's test client: the app on a real database, callers per role."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from litestar import Litestar
from litestar.testing import TestClient

from service_support import NOW, PASSWORD, World, build_world, run_db
from volunteers.app import create_app
from volunteers.clock import FixedClock
from volunteers.settings import Settings


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def app(settings: Settings, clock: FixedClock) -> Litestar:
    return create_app(settings, clock=clock)


@pytest.fixture
def world(settings: Settings) -> World:
    return run_db(settings, build_world)


class Visitor:
    """One person with their own cookies, using the pages as a browser would (no redirects followed).

    Every visitor shares the app's one test client (one event loop for the database pool)
    and swaps their cookies in for each request.
    """

    def __init__(self, client: TestClient[Litestar], language: str | None = None):
        self.client = client
        self.jar = httpx.Cookies()
        if language:
            self.jar.set("samverka_lang", language, domain="testserver.local")

    @property
    def cookies(self) -> dict[str, str]:
        return dict(self.jar.items())

    def request(self, method: str, path: str, **kw: Any) -> Any:
        self.client.cookies = self.jar
        try:
            return self.client.request(method, path, follow_redirects=False, **kw)
        finally:
            self.jar = self.client.cookies

    def get(self, path: str, **kw: Any) -> Any:
        return self.request("GET", path, **kw)

    def post(self, path: str, data: dict[str, Any] | list[tuple[str, str]] | None = None, **kw: Any) -> Any:
        """Post a form the way the page would, with the CSRF token from the cookie."""
        if "csrftoken" not in self.cookies:
            self.get("/login")
        headers = {"x-csrftoken": self.cookies.get("csrftoken", ""), **kw.pop("headers", {})}
        return self.request("POST", path, data=data or {}, headers=headers, **kw)

    def login(self, key: str) -> Visitor:
        r = self.post("/login", {"email": f"{key}@test.samverka.se", "password": PASSWORD})
        assert r.status_code == 303, r.text
        return self


@pytest.fixture
def test_client(app: Litestar) -> Iterator[TestClient[Litestar]]:
    with TestClient(app, base_url="http://testserver.local") as client:
        yield client


@pytest.fixture
def visitor(test_client: TestClient[Litestar]) -> Any:
    """`visitor()` is anonymous; `visitor("vol_anna")` is logged in; `language=` picks sv or en."""

    def make(key: str | None = None, language: str | None = None) -> Visitor:
        v = Visitor(test_client, language)
        return v.login(key) if key else v

    return make
