"""session-list triggers restored: SQLite batch migrations after 0004 rebuilt their tables

Revision ID: 0005_fix2
Revises: 0005_report2
Create Date: 2026-12-06

On SQLite, Alembic's batch mode rebuilds a table (copy, drop, rename) for changes that
ALTER TABLE cannot make, and dropping a table drops its triggers. The 0005 migrations
that altered `activity` and `partnership` so removed the triggers 0004 put there, and
a rename of an activity made behind the service no longer reached the cached session
list. This puts back whichever of them are missing; PostgreSQL has none (see 0004).
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0005_fix2"
down_revision: str | None = "0005_report2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WATCHED = ("activity_session", "activity", "partnership")  # as in 0004
EVENTS = ("INSERT", "UPDATE", "DELETE")


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for table in WATCHED:
            for event in EVENTS:
                op.execute(
                    f"CREATE TRIGGER IF NOT EXISTS {table}_{event.lower()}_bumps_sessions AFTER {event} ON {table} "  # noqa: S608 - names are the constants above
                    "BEGIN UPDATE change_counter SET version = version + 1 WHERE name = 'sessions'; END"
                )


def downgrade() -> None:
    # The triggers belong to 0004, whose downgrade drops them; the tables
    # 0005 rebuilt come back without them, so there is nothing to undo here.
    pass
