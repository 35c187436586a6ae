"""learning goals with a target date: learning_goal_target

Revision ID: 0005_g17
Revises: 0005_fix2
Create Date: 2026-12-06

A table of its own rather than a change to `volunteer_profile.learning_goals`, which stays
a list of skill codes (the matcher, the import and the report read it as one); creating and
dropping a new table also leaves the SQLite triggers on the profile table alone.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy import types as sa_types
from alembic import op

revision: str = "0005_g17"
down_revision: str | None = "0005_fix2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "learning_goal_target",
        sa.Column("id", sa_types.GUID(length=16), nullable=False),
        sa.Column("profile_id", sa_types.GUID(length=16), nullable=False),
        sa.Column("skill_code", sa.String(length=80), nullable=False),
        sa.Column("target_date", sa.Date(), nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", sa_types.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", sa_types.DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["volunteer_profile.id"],
            name=op.f("fk_learning_goal_target_profile_id_volunteer_profile"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_learning_goal_target")),
    )
    with op.batch_alter_table("learning_goal_target") as batch:
        batch.create_index("ix_learning_goal_target_unique", ["profile_id", "skill_code"], unique=True)


def downgrade() -> None:
    op.drop_table("learning_goal_target")
