"""rules: a match run records the published plan it started from

Revision ID: 0005_rules
Revises: 0005_harden
Create Date: 2026-12-06

`based_on_published_at` is when the newest plan published before the run was made was
published (NULL: none was). Publishing a run when a plan was published after that is
refused unless the coordinator confirms, having seen what it would withdraw.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy import types as sa_types
from alembic import op

revision: str = "0005_rules"
down_revision: str | None = "0005_harden"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("match_run") as batch:
        batch.add_column(sa.Column("based_on_published_at", sa_types.DateTimeUTC(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("match_run") as batch:
        batch.drop_column("based_on_published_at")
