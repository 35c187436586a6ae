"""`samverka backup` and `samverka restore`: the database with its signing keys and secret."""

from __future__ import annotations

import io
import sqlite3
import tarfile

import pytest
from click.testing import CliRunner
from litestar.testing import TestClient

from certificates import KeySet, verify_pdf
from experience_support import confirm, standard_work
from volunteers.app import create_app
from volunteers.certify.keys import KEY_FILE, ensure_keys, key_dir
from volunteers.cli import main
from volunteers.settings import Settings


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


def test_backup_on_postgresql_holds_the_keys_and_points_to_pg_dump(tmp_path):
    env = {"DATABASE_URL": "postgresql://u@127.0.0.1:9/x", "SAMVERKA_DATA_DIR": str(tmp_path / "data")}
    ensure_keys(Settings.from_env(env))
    result = CliRunner().invoke(main, ["backup", str(tmp_path / "x")], env=env)
    assert result.exit_code == 0 and "pg_dump" in result.output
    with tarfile.open(tmp_path / "x") as tar:
        assert "keys/signing-key.pem" in tar.getnames() and "samverka.sqlite3" not in tar.getnames()


def mode(path):
    return path.stat().st_mode & 0o777


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
@pytest.mark.parametrize("started_there_first", [False, True])
def test_a_restore_into_a_new_data_directory_keeps_old_certificates_verifiable(
    api, world, settings, tmp_path, started_there_first
):
    work = standard_work(settings, world)
    sisu, anna = api("leader_sisu"), world.profiles["vol_anna"]
    for session, people in (("f1", ["vol_anna", "vol_bo"]), ("f2", ["vol_anna", "vol_bo"]), ("f3", ["vol_anna"])):
        assert confirm(sisu, work, session, {p: (True, 90) for p in people}).status_code == 200
    skills = {"skills": ["coach_young_people", "work_in_teams", "speak_swedish"]}
    assert api("vol_anna").patch(f"/api/volunteers/{anna}", json=skills).status_code == 200
    r = api("coordinator").post(f"/api/volunteers/{anna}/certificates", json={})
    assert r.status_code == 201, r.text
    cert = r.json()
    pdf = api("vol_anna").get(f"/api/certificates/{cert['public_id']}.pdf").content
    secret = Settings(data_dir=settings.data_dir).resolved_secret_key()
    target = tmp_path / "new-backups" / "nightly.samverka"
    result = CliRunner().invoke(main, ["backup", str(target)], env={"SAMVERKA_DATA_DIR": str(settings.data_dir)})
    assert result.exit_code == 0, result.output
    assert mode(target) == 0o600 and mode(target.parent) == 0o700
    with tarfile.open(target) as tar:
        assert {
            "MANIFEST.json",
            "samverka.sqlite3",
            "keys/signing-key.pem",
            "keys/samverka-keys.json",
            "secret_key",
        } <= set(tar.getnames())

    fresh = tmp_path / "new-machine" / "data"
    fresh_settings = Settings(data_dir=fresh, rate_limit_per_minute=1000, jobs_interval_seconds=0)
    if started_there_first:  # the service ran there once: a key and a secret of its own
        fresh.mkdir(parents=True)
        ensure_keys(fresh_settings)
        fresh_settings.resolved_secret_key()
    result = CliRunner().invoke(main, ["restore", "--yes", str(target)], env={"SAMVERKA_DATA_DIR": str(fresh)})
    assert result.exit_code == 0, result.output
    assert mode(fresh / "samverka.sqlite3") == 0o600
    assert mode(key_dir(fresh_settings) / KEY_FILE) == 0o600
    if not started_there_first:
        assert fresh_settings.resolved_secret_key() == secret

    with TestClient(create_app(fresh_settings)) as client:
        keys = KeySet.loads(client.get("/.well-known/samverka-keys.json").content)
        result = verify_pdf(pdf, keys)
        assert result.ok and result.key_id == cert["key_id"], result.reason
        verdict = client.get(f"/verify/{cert['public_id']}", headers={"Accept": "application/json"}).json()
        assert verdict["status"] == "valid" and verdict["name"] == "Anna Volunteer"
        signing, _ = client.app.state.signing_keys.signing()
        assert (signing.key_id == cert["key_id"]) is not started_there_first


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_a_damaged_backup_restores_nothing(settings, world, tmp_path):
    env = {"SAMVERKA_DATA_DIR": str(settings.data_dir)}
    target = tmp_path / "x.bak"
    assert CliRunner().invoke(main, ["backup", str(target)], env=env).exit_code == 0
    with tarfile.open(target) as tar:
        files = {m.name: tar.extractfile(m).read() for m in tar.getmembers()}
    files["samverka.sqlite3"] = files["samverka.sqlite3"][:-4096] + b"\0" * 4096  # a flipped page
    damaged = tmp_path / "damaged.bak"
    with tarfile.open(damaged, "w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    before = dump(settings.sqlite_path)
    fresh = tmp_path / "fresh"
    for data_dir in (settings.data_dir, fresh):
        result = CliRunner().invoke(main, ["restore", "--yes", str(damaged)], env={"SAMVERKA_DATA_DIR": str(data_dir)})
        assert result.exit_code != 0 and "damaged" in result.output
    assert dump(settings.sqlite_path) == before
    assert not (fresh / "keys").exists()
