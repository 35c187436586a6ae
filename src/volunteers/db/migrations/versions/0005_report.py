"""report: dated job-seeking status, published reports, follow-up categories and reflection

Revision ID: 0005_report
Revises: 0005_dayone
Create Date: 2026-12-06

The impact report counts job seekers from a dated history rather than from the profile's
tick box, and keeps each published report unchanged. Follow-up answers gain the
categories of Arbetsförmedlingen's and SCB's statistics (the CHECK constraint of the
portable enum is widened) and a short reflection.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from advanced_alchemy import types as sa_types
from alembic import op

revision: str = "0005_report"
down_revision: str | None = "0005_dayone"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD = ("working", "studying", "looking_for_work", "other")
NEW = (
    "working",
    "supported_employment",
    "internship",
    "labour_market_programme",
    "studying",
    "looking_for_work",
    "other",
)


def _audit_columns() -> list[sa.Column[Any]]:
    return [
        sa.Column("id", sa_types.GUID(length=16), nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", sa_types.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", sa_types.DateTimeUTC(timezone=True), nullable=False),
    ]


def _situation(values: Sequence[str]) -> sa.Enum:
    return sa.Enum(*values, name="situation", native_enum=False, create_constraint=True, length=24)


def upgrade() -> None:
    op.create_table(
        "job_seeking_status",
        sa.Column("volunteer_id", sa_types.GUID(length=16), nullable=False),
        sa.Column("since", sa.Date(), nullable=False),
        sa.Column("seeking", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        *_audit_columns(),
        sa.ForeignKeyConstraint(
            ["volunteer_id"],
            ["volunteer_profile.id"],
            name=op.f("fk_job_seeking_status_volunteer_id_volunteer_profile"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_seeking_status")),
    )
    op.create_index("ix_job_seeking_status_day", "job_seeking_status", ["volunteer_id", "since"], unique=True)
    op.create_table(
        "published_report",
        sa.Column("partnership_id", sa_types.GUID(length=16), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("lang", sa.String(length=8), nullable=False),
        sa.Column("published_at", sa_types.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("published_by_id", sa_types.GUID(length=16), nullable=True),
        sa.Column("figures", sa_types.JsonB, nullable=False),
        sa.Column("csv", sa.Text(), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        *_audit_columns(),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnership.id"],
            name=op.f("fk_published_report_partnership_id_partnership"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["published_by_id"],
            ["user_account.id"],
            name=op.f("fk_published_report_published_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_published_report")),
    )
    op.create_index(
        "ix_published_report_period",
        "published_report",
        ["partnership_id", "period_start", "period_end", "lang"],
        unique=True,
    )
    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.add_column(sa.Column("learned", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(sa.Column("certificate_used", sa.Boolean(), nullable=True))
        batch_op.alter_column(
            "situation", existing_type=_situation(OLD), type_=_situation(NEW), existing_nullable=False
        )
    # The profile's tick box becomes the history's first row, dated at registration.
    op.execute(
        "INSERT INTO job_seeking_status (id, volunteer_id, since, seeking, source, created_at, updated_at) "
        "SELECT id, id, CAST(created_at AS DATE), seeking_work, 'registration', created_at, created_at "
        "FROM volunteer_profile WHERE seeking_work"
    )


def downgrade() -> None:
    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.alter_column(
            "situation", existing_type=_situation(NEW), type_=_situation(OLD), existing_nullable=False
        )
        batch_op.drop_column("certificate_used")
        batch_op.drop_column("learned")
    op.drop_index("ix_published_report_period", table_name="published_report")
    op.drop_table("published_report")
    op.drop_index("ix_job_seeking_status_day", table_name="job_seeking_status")
    op.drop_table("job_seeking_status")
