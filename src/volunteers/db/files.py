"""The data directory and the SQLite files in it: readable by the service's user only.

They hold birth dates, calendar tokens and password hashes. The directory is made 0700
and the database 0600 before SQLite first opens it; SQLite gives its -wal and -shm files
the database file's own mode. Files an older version made world-readable are narrowed at
the next start or `samverka db upgrade`.
"""

from __future__ import annotations

import contextlib
import os
import stat

from volunteers.settings import Settings

DIR_MODE = 0o700
FILE_MODE = 0o600


def secure_data_dir(settings: Settings) -> None:
    """Make the data directory (0700) and, on SQLite, the database file (0600) private."""
    data_dir = settings.data_dir
    data_dir.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    if stat.S_IMODE(data_dir.stat().st_mode) & 0o077:
        data_dir.chmod(DIR_MODE)
    if settings.database_url:  # PostgreSQL, or a SQLite file placed elsewhere on purpose
        return
    db = settings.sqlite_path
    with contextlib.suppress(FileExistsError):
        os.close(os.open(db, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    for path in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        with contextlib.suppress(FileNotFoundError):
            if stat.S_IMODE(path.stat().st_mode) & 0o077:
                path.chmod(FILE_MODE)
