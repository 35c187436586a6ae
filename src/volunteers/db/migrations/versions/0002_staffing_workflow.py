"""staffing workflow: exclusions on assignments, run scope and warnings

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy import types as sa_types
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("assignment") as batch:
        batch.add_column(sa.Column("excludes", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("match_run") as batch:
        batch.add_column(sa.Column("session_ids", sa_types.JsonB, nullable=False, server_default="[]"))
        batch.add_column(sa.Column("warnings", sa_types.JsonB, nullable=False, server_default="[]"))


def downgrade() -> None:
    with op.batch_alter_table("match_run") as batch:
        batch.drop_column("warnings")
        batch.drop_column("session_ids")
    with op.batch_alter_table("assignment") as batch:
        batch.drop_column("excludes")
