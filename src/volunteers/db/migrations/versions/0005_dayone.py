"""day one: invitations, and the partnership settings that lived only in the environment

Revision ID: 0005_dayone
Revises: 0005_accounts
Create Date: 2026-12-06

A partnership is started without the demo seed: coordinators invite leaders and other
coordinators by a single-use link whose secret is kept only as its SHA-256. The
retention period and the certificate signatory become settings of the partnership.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy import types as sa_types
from alembic import op

revision: str = "0005_dayone"
down_revision: str | None = "0005_accounts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "invitation",
        sa.Column("id", sa_types.GUID(length=16), nullable=False),
        sa.Column("partnership_id", sa_types.GUID(length=16), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "volunteer", "leader", "coordinator", name="role", native_enum=False, create_constraint=True, length=24
            ),
            nullable=False,
        ),
        sa.Column("partner_id", sa_types.GUID(length=16), nullable=True),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("invited_by_id", sa_types.GUID(length=16), nullable=True),
        sa.Column("expires_at", sa_types.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("accepted_at", sa_types.DateTimeUTC(timezone=True), nullable=True),
        sa.Column("revoked_at", sa_types.DateTimeUTC(timezone=True), nullable=True),
        sa.Column("sent_count", sa.Integer(), nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", sa_types.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", sa_types.DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnership.id"],
            name=op.f("fk_invitation_partnership_id_partnership"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partner_id"], ["partner.id"], name=op.f("fk_invitation_partner_id_partner"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["invited_by_id"],
            ["user_account.id"],
            name=op.f("fk_invitation_invited_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invitation")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_invitation_token_hash")),
    )
    op.create_index("ix_invitation_partnership_email", "invitation", ["partnership_id", "email"])
    with op.batch_alter_table("partnership") as batch_op:
        batch_op.add_column(sa.Column("retention_days", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("signatory_user_id", sa_types.GUID(length=16), nullable=True))
        batch_op.create_foreign_key(
            op.f("fk_partnership_signatory_user_id_user_account"),
            "user_account",
            ["signatory_user_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("partnership") as batch_op:
        batch_op.drop_constraint(op.f("fk_partnership_signatory_user_id_user_account"), type_="foreignkey")
        batch_op.drop_column("signatory_user_id")
        batch_op.drop_column("retention_days")
    op.drop_index("ix_invitation_partnership_email", table_name="invitation")
    op.drop_table("invitation")
