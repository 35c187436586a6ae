"""references: a volunteer asks a leader of an activity she worked on for a reference

Revision ID: 0005_cert
Revises: 0005_choose
Create Date: 2026-12-06

One row per request; the leader's approved words, name, role, partner and (with
consent) contact are copied into it, and the volunteer's choice to include it.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy import types as sa_types
from alembic import op

revision: str = "0005_cert"
down_revision: str | None = "0005_choose"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "reference",
        sa.Column("id", sa_types.GUID(length=16), nullable=False),
        sa.Column("volunteer_id", sa_types.GUID(length=16), nullable=False),
        sa.Column("activity_id", sa_types.GUID(length=16), nullable=False),
        sa.Column("partnership_id", sa_types.GUID(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("message", sa.String(length=300), nullable=False),
        sa.Column("text", sa.String(length=600), nullable=False),
        sa.Column("leader_id", sa_types.GUID(length=16), nullable=True),
        sa.Column("leader_name", sa.String(length=200), nullable=False),
        sa.Column("leader_role", sa.String(length=120), nullable=False),
        sa.Column("partner_name", sa.String(length=200), nullable=False),
        sa.Column("contact", sa.String(length=200), nullable=False),
        sa.Column("included", sa.Boolean(), nullable=False),
        sa.Column("answered_at", sa_types.DateTimeUTC(timezone=True), nullable=True),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", sa_types.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", sa_types.DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["activity_id"], ["activity.id"], name=op.f("fk_reference_activity_id_activity"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["leader_id"], ["user_account.id"], name=op.f("fk_reference_leader_id_user_account"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnership.id"],
            name=op.f("fk_reference_partnership_id_partnership"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["volunteer_id"],
            ["volunteer_profile.id"],
            name=op.f("fk_reference_volunteer_id_volunteer_profile"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reference")),
    )
    with op.batch_alter_table("reference", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reference_activity_id"), ["activity_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_reference_volunteer_id"), ["volunteer_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("reference", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reference_volunteer_id"))
        batch_op.drop_index(batch_op.f("ix_reference_activity_id"))
    op.drop_table("reference")
