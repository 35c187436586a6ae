"""Shared test set-up: real databases (SQLite and PostgreSQL), the app, logged-in clients.

Every service test runs against both databases. Each test gets a fresh database copied
from a migrated template (a file copy on SQLite, CREATE DATABASE ... TEMPLATE on
PostgreSQL), so tests never see each other's rows.

PostgreSQL comes from SAMVERKA_TEST_POSTGRES_URL (an asyncpg URL to a server where we
may create databases; `.ci/run` starts one). With SAMVERKA_REQUIRE_ALL=1, as in CI, a
test that would skip for want of a component fails instead.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from pathlib import Path

import pytest

REQUIRE_ALL = os.environ.get("SAMVERKA_REQUIRE_ALL") == "1"
PG_URL = os.environ.get("SAMVERKA_TEST_POSTGRES_URL", "")


def need_component(available: bool, reason: str) -> None:
    """Skip a test whose component is missing locally; in CI (REQUIRE_ALL) fail it."""
    if available:
        return
    if REQUIRE_ALL:
        pytest.fail(f"required component missing: {reason}")
    pytest.skip(reason)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter else 0
    if REQUIRE_ALL and skipped and session.exitstatus == 0:
        session.exitstatus = 1
        if reporter:
            reporter.write_line(f"SAMVERKA_REQUIRE_ALL: {skipped} test(s) skipped; failing the run")


def _pg_admin_url() -> str:
    return PG_URL


async def _pg_execute(sql: str) -> None:
    import asyncpg

    url = PG_URL.replace("postgresql+asyncpg://", "postgresql://")
    conn = await asyncpg.connect(url)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def _pg_url_for(db_name: str) -> str:
    base, _, _ = PG_URL.rpartition("/")
    return f"{base}/{db_name}"


def _migrate(settings) -> None:  # type: ignore[no-untyped-def]
    from volunteers.catalogue import load_catalogue
    from volunteers.db import migrate

    migrate.upgrade(settings)
    asyncio.run(load_catalogue(settings))


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from volunteers.settings import Settings

    root = tmp_path_factory.mktemp("sqlite-template")
    settings = Settings(data_dir=root)
    _migrate(settings)
    return settings.sqlite_path


@pytest.fixture(scope="session")
def pg_template() -> str | None:
    if not PG_URL:
        return None
    from volunteers.settings import Settings

    name = f"samverka_tpl_{uuid.uuid4().hex[:8]}"
    asyncio.run(_pg_execute(f'CREATE DATABASE "{name}"'))
    _migrate(Settings(database_url=_pg_url_for(name)))
    yield name
    asyncio.run(_pg_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request: pytest.FixtureRequest) -> str:
    if request.param == "postgres":
        need_component(bool(PG_URL), "PostgreSQL (set SAMVERKA_TEST_POSTGRES_URL)")
    return str(request.param)


@pytest.fixture
def settings(backend: str, tmp_path: Path, request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    from volunteers.settings import Settings

    data_dir = tmp_path / "data"
    data_dir.mkdir()
    if backend == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        shutil.copy(template, data_dir / "samverka.sqlite3")
        yield Settings(data_dir=data_dir, secret_key="test-secret", rate_limit_per_minute=1000, jobs_interval_seconds=0)
        return
    template_name = request.getfixturevalue("pg_template")
    name = f"samverka_t_{uuid.uuid4().hex[:10]}"
    asyncio.run(_pg_execute(f'CREATE DATABASE "{name}" TEMPLATE "{template_name}"'))
    yield Settings(
        data_dir=data_dir,
        database_url=_pg_url_for(name),
        secret_key="test-secret",
        rate_limit_per_minute=1000,
        jobs_interval_seconds=0,
    )
    asyncio.run(_pg_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
