"""certificate wording in both languages: names, role names, tasks done, a reference's language

Revision ID: 0006_cert16
Revises: 0005_g17
Create Date: 2026-12-07

A certificate is printed in Swedish or English, but activity and training names, role
names and tasks were stored only as written. These optional columns hold each one's
Swedish and English wording (empty: print the name as written), the past-tense forms of
an activity's tasks, and the language a leader wrote a reference in.

Plain ADD COLUMN, never a batch rebuild: on SQLite a rebuild of `activity` drops the
session-list triggers on it (see 0005_fix2).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy import types as sa_types
from alembic import op

revision: str = "0006_cert16"
down_revision: str | None = "0005_g17"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TEXT_COLUMNS = (
    ("activity", "name_sv", 200),
    ("activity", "name_en", 200),
    ("training", "name_sv", 200),
    ("training", "name_en", 200),
    ("staffing_need", "role_sv", 80),
    ("staffing_need", "role_en", 80),
    ("reference", "language", 8),
)


def upgrade() -> None:
    for table, column, length in _TEXT_COLUMNS:
        op.add_column(table, sa.Column(column, sa.String(length=length), nullable=False, server_default=""))
    op.add_column("activity", sa.Column("tasks_done", sa_types.JsonB, nullable=False, server_default="[]"))


def downgrade() -> None:
    # SQLite (before 3.35) drops a column only by rebuilding the table: batch mode.
    with op.batch_alter_table("activity") as batch:
        batch.drop_column("tasks_done")
    for table, column, _ in reversed(_TEXT_COLUMNS):
        with op.batch_alter_table(table) as batch:
            batch.drop_column(column)
