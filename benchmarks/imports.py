"""How long a CSV import of volunteers takes: the dry run, the import, and mailing the invitations.

    PYTHONPATH=src:tests python benchmarks/imports.py [500 5000]

On a fresh SQLite database (and on PostgreSQL when SAMVERKA_TEST_POSTGRES_URL names a
server where it may create a database). The mail goes to a local aiosmtpd server over
one connection. Prints figures; asserts nothing.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

# This folder's certificates.py would shadow the certificates package; the tests' helpers are wanted.
_here = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _here]
sys.path.insert(0, str(_here.parent / "tests"))

from aiosmtpd.controller import Controller  # noqa: E402
from sqlalchemy.ext.asyncio import async_sessionmaker  # noqa: E402

from dayone_support import Inbox, free_port, volunteers_csv  # noqa: E402
from volunteers.catalogue import load_catalogue  # noqa: E402
from volunteers.db import migrate  # noqa: E402
from volunteers.db.engine import create_engine  # noqa: E402
from volunteers.imports import volunteers  # noqa: E402
from volunteers.imports.controllers import mail_invitations  # noqa: E402
from volunteers.partnerships.founding import found  # noqa: E402
from volunteers.settings import Settings  # noqa: E402


async def measure(settings: Settings, count: int, start: int) -> dict[str, float]:
    text = volunteers_csv(count, start=start)
    now = dt.datetime.now(dt.UTC)
    engine = create_engine(settings)
    figures: dict[str, float] = {}
    try:
        maker = async_sessionmaker(engine, expire_on_commit=False)
        async with maker() as db:
            partnership, _, _ = await found(db, f"Bench {uuid.uuid4().hex[:6]}", "Europe/Stockholm", "c@b.se", now)
            await db.commit()
        async with maker() as db:
            t = time.perf_counter()
            checked = await volunteers.check(db, partnership, text, now)
            figures["dry run"] = time.perf_counter() - t
            assert not checked.problems, checked.problems[:3]
        async with maker() as db:
            t = time.perf_counter()
            checked = await volunteers.check(db, partnership, text, now)
            secrets = await volunteers.import_people(db, partnership, checked, None, now)
            await db.commit()
            figures["check + import + commit"] = time.perf_counter() - t
        t = time.perf_counter()
        mailed, _ = await mail_invitations(settings, partnership, secrets)
        figures[f"mail {mailed} invitations"] = time.perf_counter() - t
    finally:
        await engine.dispose()
    return figures


def main() -> None:
    counts = [int(a) for a in sys.argv[1:]] or [500, 5000]
    inbox = Inbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=free_port())
    smtp.start()
    targets = [("SQLite", "")]
    if os.environ.get("SAMVERKA_TEST_POSTGRES_URL"):
        targets.append(("PostgreSQL", os.environ["SAMVERKA_TEST_POSTGRES_URL"]))
    try:
        for name, admin_url in targets:
            with tempfile.TemporaryDirectory() as tmp:
                url, db_name = "", ""
                if admin_url:
                    import asyncpg

                    db_name = f"samverka_bench_{uuid.uuid4().hex[:8]}"
                    plain = admin_url.replace("postgresql+asyncpg://", "postgresql://")

                    async def admin(sql: str, plain: str = plain) -> None:
                        conn = await asyncpg.connect(plain)
                        try:
                            await conn.execute(sql)
                        finally:
                            await conn.close()

                    asyncio.run(admin(f'CREATE DATABASE "{db_name}"'))
                    url = admin_url.rpartition("/")[0] + "/" + db_name
                settings = Settings(data_dir=Path(tmp), database_url=url, smtp_host="127.0.0.1", smtp_port=smtp.port)
                migrate.upgrade(settings)
                asyncio.run(load_catalogue(settings))
                for run, count in enumerate(counts):
                    figures = asyncio.run(measure(settings, count, run * 1_000_000))
                    shown = ", ".join(f"{k} {v:.2f} s" for k, v in figures.items())
                    print(f"{name}, {count} volunteers: {shown}")
                if db_name:
                    asyncio.run(admin(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)'))
    finally:
        smtp.stop()


if __name__ == "__main__":
    main()
