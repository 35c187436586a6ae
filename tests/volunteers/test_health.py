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
