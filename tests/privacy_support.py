"""A search of every table and column of the database for what would identify a person.

Written apart from the erasure code: it reads the database's own catalogue (SQLAlchemy's
inspector), not the models or the erasure rules, and looks at every value as text (JSON
as the driver hands it over, dates as ISO text) or as bytes.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import inspect as sa_inspect
from sqlalchemy import text


async def find_in_every_table(db: Any, needles: list[str]) -> list[tuple[str, str, str]]:
    """Every (table, column, needle) where a needle appears, case-insensitively."""
    conn = await db.connection()

    def catalogue(sync_conn: Any) -> dict[str, list[str]]:
        inspector = sa_inspect(sync_conn)
        return {t: [c["name"] for c in inspector.get_columns(t)] for t in inspector.get_table_names()}

    tables = await conn.run_sync(catalogue)
    assert {"outbox_message", "match_run", "audit_entry", "certificate"} <= set(tables)
    found = set()
    for table, columns in tables.items():
        listed = ", ".join(f'"{c}"' for c in columns)
        for row in (await db.execute(text(f'SELECT {listed} FROM "{table}"'))).all():
            for column, value in zip(columns, row, strict=True):
                if value is None:
                    continue
                for needle in needles:
                    if isinstance(value, bytes | memoryview):
                        hit = needle.encode() in bytes(value)
                    else:
                        hit = needle.lower() in str(value).lower()
                    if hit:
                        found.add((table, column, needle))
    return sorted(found)
