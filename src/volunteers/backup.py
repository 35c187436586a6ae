"""Backup and restore of the embedded SQLite database (PostgreSQL: use pg_dump/pg_restore).

SQLite's online backup copies a consistent snapshot while the service keeps running;
restore copies a backup back over the database (stop the service first).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from volunteers.settings import Settings


class BackupError(Exception):
    """A backup or restore that cannot be done as asked."""


def _require_sqlite(settings: Settings) -> Path:
    if not settings.is_sqlite:
        raise BackupError(
            "the database is PostgreSQL: back it up with `pg_dump --format=custom --file=FILE $DATABASE_URL` "
            "and restore with `pg_restore --clean --if-exists --dbname=$DATABASE_URL FILE`"
        )
    return settings.sqlite_path


def backup(settings: Settings, target: Path) -> int:
    """Copy a consistent snapshot of the live database to `target`; returns its size in bytes."""
    source = _require_sqlite(settings)
    if not source.exists():
        raise BackupError(f"no database at {source}")
    if target.exists():
        raise BackupError(f"{target} exists; refusing to overwrite it")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    with sqlite3.connect(source) as src, sqlite3.connect(partial) as dst:
        src.backup(dst)
        # The copy must be a whole database by itself, not a WAL with a sidecar file.
        dst.execute("PRAGMA journal_mode=DELETE")
    partial.rename(target)
    return target.stat().st_size


def restore(settings: Settings, source: Path) -> None:
    """Replace the database with a backup (all of it, or nothing if the backup is unreadable)."""
    target = _require_sqlite(settings)
    if not source.exists():
        raise BackupError(f"no backup at {source}")
    with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as check:
        if check.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError(f"{source} is damaged (integrity check failed)")
        if not check.execute("SELECT 1 FROM sqlite_master WHERE name = 'alembic_version'").fetchone():
            raise BackupError(f"{source} is not a Samverka database")
    target.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
