from __future__ import annotations

from litestar.testing import TestClient

from volunteers.app import create_app
from volunteers.settings import Settings


def test_health_reports_database_ok(api):
    r = api().get("/health")
    assert r.status_code == 200
    assert r.json() == {"status": "ok", "database": "ok"}


def test_health_is_503_when_the_database_does_not_answer(tmp_path):
    # A PostgreSQL URL on a port where nothing listens: the database cannot answer.
    settings = Settings(data_dir=tmp_path, database_url="postgresql://nobody@127.0.0.1:9/none", secret_key="x")
    with TestClient(create_app(settings)) as client:
        r = client.get("/health")
    assert r.status_code == 503
    assert r.json()["database"] == "unavailable"


def test_health_answers_from_its_last_probe_while_every_database_connection_is_busy(app, test_client):
    """Under load /health must not queue for a pool connection (it waited 2 s, then said 503);
    once its last probe is too old it asks again, and a database it cannot reach is 503."""
    import asyncio

    from volunteers import health

    assert test_client.get("/health").status_code == 200  # a probe that answered, just now
    engine = app.state.engine
    held = []

    async def take_every_connection() -> None:
        for _ in range(100):
            try:
                held.append(await asyncio.wait_for(engine.connect(), 0.5))
            except TimeoutError:
                return  # the pool has none left
        raise AssertionError("the pool never ran out")

    async def give_back() -> None:
        for conn in held:
            await conn.close()

    test_client.blocking_portal.call(take_every_connection)
    try:
        r = test_client.get("/health")
        assert (r.status_code, r.json()) == (200, {"status": "ok", "database": "ok"})
        # A probe older than MAX_AGE is not believed: the new one finds no connection in time.
        app.state.database_probe.checked -= health.MAX_AGE + 1
        r = test_client.get("/health")
        assert (r.status_code, r.json()["database"]) == (503, "unavailable")
    finally:
        test_client.blocking_portal.call(give_back)
    app.state.database_probe.checked -= health.MAX_AGE + 1
    assert test_client.get("/health").status_code == 200  # connections back: healthy again
