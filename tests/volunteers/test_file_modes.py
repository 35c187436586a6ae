"""The database, its WAL and shared-memory files are the service user's alone (issue 15, finding 10)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from litestar.testing import TestClient

from volunteers.app import create_app
from volunteers.settings import Settings


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def _files(data_dir):
    return [data_dir / n for n in ("samverka.sqlite3", "samverka.sqlite3-wal", "samverka.sqlite3-shm")]


@pytest.fixture
def open_umask():
    """A permissive umask (022 is the usual default) must not make the files readable by others."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_db_upgrade_makes_a_private_data_dir_and_database(tmp_path, open_umask):
    data_dir = tmp_path / "fresh"
    env = {**os.environ, "SAMVERKA_DATA_DIR": str(data_dir), "PYTHONPATH": os.pathsep.join(sys.path)}
    env.pop("DATABASE_URL", None)
    samverka = Path(sys.executable).parent / "samverka"
    subprocess.run([str(samverka), "db", "upgrade"], env=env, check=True, capture_output=True)
    assert mode(data_dir) == 0o700
    assert mode(data_dir / "samverka.sqlite3") == 0o600


def test_serving_keeps_database_wal_and_shm_private_and_narrows_old_files(tmp_path, open_umask):
    data_dir = tmp_path / "old"
    data_dir.mkdir(mode=0o755)
    settings = Settings(data_dir=data_dir, secret_key="s", jobs_interval_seconds=0)
    from volunteers.db import migrate

    migrate.upgrade(settings)
    # As an older version left them: world-readable.
    data_dir.chmod(0o755)
    for path in _files(data_dir):
        if path.exists():
            path.chmod(0o644)
    with TestClient(create_app(settings)) as client:
        assert client.get("/health").status_code == 200
        present = [p for p in _files(data_dir) if p.exists()]
        assert data_dir / "samverka.sqlite3-wal" in present
        assert {p.name: mode(p) for p in present} == {p.name: 0o600 for p in present}
    assert mode(data_dir) == 0o700
