"""match runs' problem and plan compressed with lz4 on PostgreSQL

Revision ID: 0006_perf15
Revises: 0006_choose19
Create Date: 2026-12-07

A city's stored problem is 3 MB of JSON (580 kB compressed). Erasing one volunteer
rewrites it in every run that holds her; with PostgreSQL's default compression (pglz)
compressing it again was half of each rewrite (an UPDATE of one run: 190-210 ms with
pglz, 90-95 ms with lz4, on the shared test machine). Values written from now on are
lz4; older ones stay readable as they are. Servers built without lz4 (and SQLite, which
compresses nothing) are left alone.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0006_perf15"
down_revision: str | None = "0006_choose19"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _lz4_available() -> bool:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return False
    found = bind.exec_driver_sql(
        "SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)"
    ).first()
    return found is not None


def upgrade() -> None:
    if _lz4_available():
        op.execute(
            "ALTER TABLE match_run ALTER COLUMN problem SET COMPRESSION lz4, ALTER COLUMN plan SET COMPRESSION lz4"
        )


def downgrade() -> None:
    if _lz4_available():
        op.execute(
            "ALTER TABLE match_run ALTER COLUMN problem SET COMPRESSION default, "
            "ALTER COLUMN plan SET COMPRESSION default"
        )
