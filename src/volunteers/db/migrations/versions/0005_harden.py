"""harden: the instance that owns a match run; a display name as long as two names

Revision ID: 0005_harden
Revises: 0004
Create Date: 2026-12-06

- `match_run.instance_id`: the instance whose process solves the run. At start-up an
  instance fails its own unfinished runs whatever their age (a kill -9 left them
  "queued" until 900 s had passed).
- `user_account.display_name` VARCHAR(201): registration makes it from a first and a
  last name of up to 100 characters each; PostgreSQL refused 201 characters with a 500.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_harden"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("match_run") as batch:
        batch.add_column(sa.Column("instance_id", sa.String(200), nullable=True))
    # SQLite does not enforce a VARCHAR's length, and rebuilding user_account there (what
    # a batch alter does) would cascade deletes to every table that references it.
    if op.get_bind().dialect.name != "sqlite":
        op.alter_column("user_account", "display_name", existing_type=sa.String(200), type_=sa.String(201))


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.alter_column("user_account", "display_name", existing_type=sa.String(201), type_=sa.String(200))
    with op.batch_alter_table("match_run") as batch:
        batch.drop_column("instance_id")
