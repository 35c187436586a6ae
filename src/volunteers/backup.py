"""`samverka backup` and `samverka restore`: the database with the keys that make it usable.

A backup is one archive (tar, gzip) readable by its owner only (0600; a folder the
command makes for it is 0700):

    MANIFEST.json                 format, time, what is inside and what is not
    samverka.sqlite3              the embedded database (SQLite only; PostgreSQL: pg_dump)
    keys/signing-key.pem          the private key that signs certificates (unless it comes
                                  from SAMVERKA_SIGNING_KEY, which you keep yourself)
    keys/samverka-keys.json       every public key, current and retired
    secret_key                    the CSRF secret (unless SAMVERKA_SECRET_KEY gives it)

Anyone holding a backup can sign certificates in the partnership's name and read every
volunteer's data: keep it where the keys would be kept.

Restore puts the database back and never unpublishes a key: into a data directory
without keys it puts the backup's key and keyset; where the directory already has a
key (say the service was started there before the restore), that key goes on signing
and the backup's public keys are added to its keyset, retired, so that every
certificate issued before keeps verifying. A secret already there is kept.
SQLite's online backup copies a consistent snapshot while the service keeps running;
restore replaces the database (stop the service first). A bare SQLite file (a backup
from before keys were included) still restores, database only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import sqlite3
import tarfile
import tempfile
from dataclasses import replace
from pathlib import Path

from certificates import KeySet, KeySetError
from volunteers.certify.keys import KEY_FILE, KEYSET_FILE, key_dir
from volunteers.settings import Settings

FORMAT = "samverka-backup/1"
DATABASE = "samverka.sqlite3"
SECRET_FILE = "secret_key"  # noqa: S105 (a file name, not a secret)
PG_HINT = (
    "the database is PostgreSQL: back it up with `pg_dump --format=custom --file=FILE $DATABASE_URL` "
    "and restore with `pg_restore --clean --if-exists --dbname=$DATABASE_URL FILE`"
)


class BackupError(Exception):
    """A backup or restore that cannot be done as asked."""


def _private_file(path: Path) -> int:
    """Open a new file readable by its owner only (refusing to follow into an existing one)."""
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)


def _make_private_dir(path: Path) -> None:
    """Make the folders the command needs, each 0700 (folders that exist are left as they are)."""
    missing = []
    while not path.exists():
        missing.append(path)
        path = path.parent
    for folder in reversed(missing):
        folder.mkdir(mode=0o700)
        os.chmod(folder, 0o700)  # whatever the umask


def _snapshot_sqlite(source: Path, into: Path) -> None:
    os.close(_private_file(into))
    with sqlite3.connect(source) as src, sqlite3.connect(into) as dst:
        src.backup(dst)
        # The copy must be a whole database by itself, not a WAL with a sidecar file.
        dst.execute("PRAGMA journal_mode=DELETE")


def backup(settings: Settings, target: Path) -> tuple[int, list[str]]:
    """Write the archive to `target`; returns its size in bytes and what it holds."""
    if target.exists():
        raise BackupError(f"{target} exists; refusing to overwrite it")
    members: dict[str, bytes] = {}
    notes: list[str] = []
    _make_private_dir(target.parent)
    with tempfile.TemporaryDirectory(prefix="samverka-backup-") as work:  # 0700
        if settings.is_sqlite:
            source = settings.sqlite_path
            if not source.exists():
                raise BackupError(f"no database at {source}")
            copy = Path(work) / DATABASE
            _snapshot_sqlite(source, copy)
            members[DATABASE] = copy.read_bytes()
        else:
            notes.append("database not included: " + PG_HINT)
    keys = key_dir(settings)
    if settings.signing_key_pem:
        notes.append("signing key not included: it comes from SAMVERKA_SIGNING_KEY; keep it with this backup")
    elif (keys / KEY_FILE).exists():
        members[f"keys/{KEY_FILE}"] = (keys / KEY_FILE).read_bytes()
    if (keys / KEYSET_FILE).exists():
        members[f"keys/{KEYSET_FILE}"] = (keys / KEYSET_FILE).read_bytes()
    if settings.secret_key:
        notes.append("secret not included: it comes from SAMVERKA_SECRET_KEY")
    elif (settings.data_dir / SECRET_FILE).exists():
        members[SECRET_FILE] = (settings.data_dir / SECRET_FILE).read_bytes()
    manifest = {
        "format": FORMAT,
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "files": {name: hashlib.sha256(data).hexdigest() for name, data in members.items()},
        "not_included": notes,
    }
    partial = target.with_name(target.name + ".partial")
    with os.fdopen(_private_file(partial), "wb") as out, tarfile.open(fileobj=out, mode="w:gz") as tar:
        for name, data in [("MANIFEST.json", json.dumps(manifest, indent=2).encode()), *members.items()]:
            info = tarfile.TarInfo(name)
            info.size, info.mode = len(data), 0o600
            tar.addfile(info, io.BytesIO(data))
    partial.rename(target)
    return target.stat().st_size, [*members, *notes]


def _read_archive(source: Path) -> dict[str, bytes]:
    """The archive's files by name, each checked against the manifest."""
    try:
        with tarfile.open(source, "r:*") as tar:
            files: dict[str, bytes] = {}
            for member in tar.getmembers():
                handle = tar.extractfile(member) if member.isfile() else None
                if handle is not None:  # read by name only: nothing is extracted onto the disk
                    files[member.name] = handle.read()
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError(f"{source} is not a readable Samverka backup: {exc}") from exc
    try:
        manifest = json.loads(files.pop("MANIFEST.json"))
        assert manifest["format"] == FORMAT
    except (KeyError, ValueError, AssertionError, TypeError) as exc:
        raise BackupError(f"{source} is not a Samverka backup (no {FORMAT} manifest)") from exc
    for name, digest in manifest["files"].items():
        if hashlib.sha256(files.get(name, b"")).hexdigest() != digest:
            raise BackupError(f"{source} is damaged: {name} does not match its checksum")
    return {name: files[name] for name in manifest["files"]}


def _check_database(path: Path, label: Path) -> None:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as check:
        try:
            ok = check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"{label} is not a Samverka backup: {exc}") from exc
        if not ok:
            raise BackupError(f"{label} is damaged (integrity check failed)")
        if not check.execute("SELECT 1 FROM sqlite_master WHERE name = 'alembic_version'").fetchone():
            raise BackupError(f"{label} is not a Samverka database")


def _restore_database(settings: Settings, database: Path) -> None:
    if not settings.is_sqlite:
        raise BackupError(PG_HINT)
    target = settings.sqlite_path
    _make_private_dir(target.parent)
    if not target.exists():
        os.close(_private_file(target))
    with sqlite3.connect(database) as src, sqlite3.connect(target) as dst:
        src.backup(dst)


def _write_private(path: Path, data: bytes) -> None:
    _make_private_dir(path.parent)
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    with os.fdopen(_private_file(partial), "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(partial, path)


def _restore_keys(settings: Settings, files: dict[str, bytes], now: dt.datetime) -> None:
    """The backup's public keys published again; its private key used only where there is none."""
    keyset_bytes = files.get(f"keys/{KEYSET_FILE}")
    if keyset_bytes is None:
        return
    folder = key_dir(settings)
    here_keyset = folder / KEYSET_FILE
    try:
        theirs = KeySet.loads(keyset_bytes)
        if not here_keyset.exists():
            if f"keys/{KEY_FILE}" in files and not settings.signing_key_pem:
                _write_private(folder / KEY_FILE, files[f"keys/{KEY_FILE}"])
            _write_private(here_keyset, keyset_bytes)
            return
        ours = KeySet.load(here_keyset)
    except KeySetError as exc:
        raise BackupError(f"the backup's keyset cannot be read: {exc}") from exc
    moment = now.replace(microsecond=0)
    added = tuple(
        entry if entry.not_after is not None else replace(entry, not_after=moment)
        for entry in theirs.keys
        if ours.get(entry.key_id) is None
    )
    if added:
        merged = KeySet(ours.issuer, (*added, *ours.keys))
        _write_private(here_keyset, merged.dumps().encode())


def restore(settings: Settings, source: Path, now: dt.datetime | None = None) -> list[str]:
    """Put a backup back (all of the database, or nothing if the backup is unreadable); returns what was restored."""
    if not source.exists():
        raise BackupError(f"no backup at {source}")
    if not tarfile.is_tarfile(source):  # a bare SQLite file: a backup from before keys were included
        _check_database(source, source)
        _restore_database(settings, source)
        return [DATABASE, "no keys or secret: this backup is a database only"]
    files = _read_archive(source)
    if f"keys/{KEYSET_FILE}" in files:  # checked before anything is written
        try:
            KeySet.loads(files[f"keys/{KEYSET_FILE}"])
        except KeySetError as exc:
            raise BackupError(f"the backup's keyset cannot be read: {exc}") from exc
    restored = []
    with tempfile.TemporaryDirectory(prefix="samverka-restore-") as work:
        if DATABASE in files:
            database = Path(work) / DATABASE
            database.write_bytes(files[DATABASE])
            _check_database(database, source)
            _restore_database(settings, database)
            restored.append(DATABASE)
        elif settings.is_sqlite:
            raise BackupError(f"{source} holds no database (it was made on PostgreSQL)")
    _restore_keys(settings, files, now or dt.datetime.now(dt.UTC))
    restored += [name for name in files if name.startswith("keys/")]
    secret = settings.data_dir / SECRET_FILE
    if SECRET_FILE in files and not settings.secret_key and not secret.exists():
        _write_private(secret, files[SECRET_FILE])
        restored.append(SECRET_FILE)
    return restored
