"""offers of freed places expire: a partnership's time to answer, and each offer's end

Revision ID: 0006_choose19
Revises: 0006_cert16
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy import types as sa_types
from alembic import op

revision: str = "0006_choose19"
down_revision: str | None = "0006_cert16"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("partnership") as batch:
        batch.add_column(sa.Column("offer_hours", sa.Integer(), nullable=False, server_default="24"))
    with op.batch_alter_table("place_offer") as batch:
        # None: an offer made before offers expired; the jobs give it one the first time they see it.
        batch.add_column(sa.Column("expires_at", sa_types.DateTimeUTC(timezone=True), nullable=True))
        batch.create_index(batch.f("ix_place_offer_expires_at"), ["expires_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("place_offer") as batch:
        batch.drop_index(batch.f("ix_place_offer_expires_at"))
        batch.drop_column("expires_at")
    with op.batch_alter_table("partnership") as batch:
        batch.drop_column("offer_hours")
