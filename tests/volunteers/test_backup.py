"""`samverka backup` and `samverka restore` on the embedded SQLite database."""

from __future__ import annotations

import sqlite3

import pytest
from click.testing import CliRunner

from volunteers.cli import main


def dump(path):
    with sqlite3.connect(path) as db:
        return list(db.iterdump())


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_backup_then_restore_gives_back_the_same_database(settings, world, tmp_path):
    env = {"SAMVERKA_DATA_DIR": str(settings.data_dir)}
    target = tmp_path / "backups" / "samverka.bak"
    before = dump(settings.sqlite_path)
    result = CliRunner().invoke(main, ["backup", str(target)], env=env)
    assert result.exit_code == 0, result.output
    with sqlite3.connect(settings.sqlite_path) as db:
        db.execute("DELETE FROM activity")
    assert dump(settings.sqlite_path) != before
    result = CliRunner().invoke(main, ["restore", "--yes", str(target)], env=env)
    assert result.exit_code == 0, result.output
    assert dump(settings.sqlite_path) == before


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_backup_refuses_to_overwrite_and_restore_refuses_a_foreign_file(settings, tmp_path):
    env = {"SAMVERKA_DATA_DIR": str(settings.data_dir)}
    target = tmp_path / "x.bak"
    assert CliRunner().invoke(main, ["backup", str(target)], env=env).exit_code == 0
    again = CliRunner().invoke(main, ["backup", str(target)], env=env)
    assert again.exit_code != 0 and "exists" in again.output
    foreign = tmp_path / "foreign.sqlite3"
    with sqlite3.connect(foreign) as db:
        db.execute("CREATE TABLE t (x)")
    before = dump(settings.sqlite_path)
    result = CliRunner().invoke(main, ["restore", "--yes", str(foreign)], env=env)
    assert result.exit_code != 0 and "not a Samverka database" in result.output
    assert dump(settings.sqlite_path) == before


def test_backup_on_postgresql_points_to_pg_dump(tmp_path):
    result = CliRunner().invoke(
        main, ["backup", str(tmp_path / "x")], env={"DATABASE_URL": "postgresql://u@127.0.0.1:9/x"}
    )
    assert result.exit_code != 0 and "pg_dump" in result.output
