"""Fixtures for the service: the app on a real database, a small world of users, API clients."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from service_support import NOW, Api, World, build_world, run_db
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


@pytest.fixture
def test_client(app: Litestar) -> Iterator[TestClient[Litestar]]:
    with TestClient(app, base_url="http://testserver.local") as client:
        yield client


@pytest.fixture
def api(test_client: TestClient[Litestar]) -> Any:
    """`api()` is an anonymous caller; `api("vol_anna")` one logged in as that world user."""

    def make(key: str | None = None) -> Api:
        caller = Api(test_client)
        return caller.login(key) if key else caller

    return make
