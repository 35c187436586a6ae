"""change counter: a version that every change to the session list's tables bumps

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26

The week's session list is the hottest read. On SQLite, triggers on the tables it is
built from (sessions, activities, partnerships) bump `change_counter.version` in the
same transaction as the change, whichever code path (ORM, Core, raw SQL, another
process) made it, so a server process can keep the list it built while the version is
unchanged. PostgreSQL gets the table but no triggers: there every writer would queue
on the one counter row, and the list is not cached there.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WATCHED = ("activity_session", "activity", "partnership")
EVENTS = ("INSERT", "UPDATE", "DELETE")


def upgrade() -> None:
    op.create_table(
        "change_counter",
        sa.Column("name", sa.String(40), primary_key=True),
        sa.Column("version", sa.BigInteger(), nullable=False),
    )
    op.execute("INSERT INTO change_counter (name, version) VALUES ('sessions', 0)")
    if op.get_bind().dialect.name == "sqlite":
        for table in WATCHED:
            for event in EVENTS:
                op.execute(
                    f"CREATE TRIGGER {table}_{event.lower()}_bumps_sessions AFTER {event} ON {table} "  # noqa: S608 - names are the constants above
                    "BEGIN UPDATE change_counter SET version = version + 1 WHERE name = 'sessions'; END"
                )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for table in WATCHED:
            for event in EVENTS:
                op.execute(f"DROP TRIGGER IF EXISTS {table}_{event.lower()}_bumps_sessions")
    op.drop_table("change_counter")
