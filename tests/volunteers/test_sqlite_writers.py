"""SQLite writers of one process take turns for the write lock, and always hand it on."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from volunteers.db.engine import WRITER_WAIT, create_engine
from volunteers.settings import Settings


def _engine(tmp_path: Path):  # type: ignore[no-untyped-def]
    return create_engine(Settings(data_dir=tmp_path, secret_key="test-secret"))


async def _setup(engine) -> None:  # type: ignore[no-untyped-def]
    async with engine.begin() as conn:
        await conn.exec_driver_sql("CREATE TABLE log (who TEXT, at REAL)")


def test_writers_wait_their_turn_and_none_meets_a_locked_database(tmp_path: Path) -> None:
    async def main() -> list[str]:
        engine = _engine(tmp_path)
        await _setup(engine)
        writer = engine.execution_options(sqlite_begin="IMMEDIATE")

        async def write(who: str, hold: float) -> None:
            async with writer.begin() as conn:
                await conn.exec_driver_sql("INSERT INTO log VALUES (?, ?)", (who, time.monotonic()))
                await asyncio.sleep(hold)  # the write lock is held across an await

        await asyncio.gather(*(write(f"w{i}", 0.05) for i in range(12)))
        async with engine.connect() as conn:
            rows = (await conn.exec_driver_sql("SELECT who FROM log ORDER BY at")).all()
        await engine.dispose()
        return [r[0] for r in rows]

    written = asyncio.run(main())
    assert sorted(written) == sorted(f"w{i}" for i in range(12))


def test_a_rolled_back_writer_hands_the_turn_on_at_once(tmp_path: Path) -> None:
    async def main() -> float:
        engine = _engine(tmp_path)
        await _setup(engine)
        writer = engine.execution_options(sqlite_begin="IMMEDIATE")
        try:
            async with writer.begin() as conn:
                await conn.exec_driver_sql("INSERT INTO log VALUES ('failed', 0)")
                raise RuntimeError("the handler failed")
        except RuntimeError:
            pass
        start = time.monotonic()
        async with writer.begin() as conn:
            await conn.exec_driver_sql("INSERT INTO log VALUES ('next', 1)")
        waited = time.monotonic() - start
        async with engine.connect() as conn:
            assert (await conn.exec_driver_sql("SELECT who FROM log")).all() == [("next",)]
        await engine.dispose()
        return waited

    assert asyncio.run(main()) < WRITER_WAIT / 4
