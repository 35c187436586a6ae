"""volunteers choose too: open places, own hours, waiting lists and offers of freed places

Revision ID: 0005_choose
Revises: 0005_report
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from advanced_alchemy import types as sa_types
from alembic import op

revision: str = "0005_choose"
down_revision: str | None = "0005_report"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _audit_columns() -> list[sa.Column[Any]]:
    return [
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", sa_types.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", sa_types.DateTimeUTC(timezone=True), nullable=False),
    ]


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), ondelete=ondelete
    )


def upgrade() -> None:
    with op.batch_alter_table("activity") as batch:
        batch.add_column(sa.Column("open_for_signup", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("partnership") as batch:
        batch.add_column(sa.Column("signup_leader_confirms", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("assignment") as batch:
        batch.add_column(sa.Column("awaiting_leader", sa.Boolean(), nullable=False, server_default=sa.false()))

    op.create_table(
        "own_hours",
        sa.Column("id", sa_types.GUID(length=16), nullable=False),
        sa.Column("volunteer_id", sa_types.GUID(length=16), nullable=False),
        sa.Column("activity_id", sa_types.GUID(length=16), nullable=False),
        sa.Column("worked_on", sa.Date(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("decided_by_id", sa_types.GUID(length=16), nullable=True),
        sa.Column("decided_at", sa_types.DateTimeUTC(timezone=True), nullable=True),
        *_audit_columns(),
        _fk("own_hours", "volunteer_id", "volunteer_profile", "CASCADE"),
        _fk("own_hours", "activity_id", "activity", "CASCADE"),
        _fk("own_hours", "decided_by_id", "user_account", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_own_hours")),
    )
    with op.batch_alter_table("own_hours") as batch:
        batch.create_index(batch.f("ix_own_hours_volunteer_id"), ["volunteer_id"], unique=False)
        batch.create_index(batch.f("ix_own_hours_activity_id"), ["activity_id"], unique=False)

    op.create_table(
        "waiting_list_entry",
        sa.Column("id", sa_types.GUID(length=16), nullable=False),
        sa.Column("session_id", sa_types.GUID(length=16), nullable=False),
        sa.Column("volunteer_id", sa_types.GUID(length=16), nullable=False),
        sa.Column("role", sa.String(length=80), nullable=False),
        *_audit_columns(),
        _fk("waiting_list_entry", "session_id", "activity_session", "CASCADE"),
        _fk("waiting_list_entry", "volunteer_id", "volunteer_profile", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_waiting_list_entry")),
        sa.UniqueConstraint("session_id", "volunteer_id", name="uq_waiting_session_volunteer"),
    )
    with op.batch_alter_table("waiting_list_entry") as batch:
        batch.create_index(batch.f("ix_waiting_list_entry_session_id"), ["session_id"], unique=False)
        batch.create_index(batch.f("ix_waiting_list_entry_volunteer_id"), ["volunteer_id"], unique=False)

    op.create_table(
        "place_offer",
        sa.Column("id", sa_types.GUID(length=16), nullable=False),
        sa.Column("group_id", sa_types.GUID(length=16), nullable=False),
        sa.Column("session_id", sa_types.GUID(length=16), nullable=False),
        sa.Column("role", sa.String(length=80), nullable=False),
        sa.Column("volunteer_id", sa_types.GUID(length=16), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("from_assignment_id", sa_types.GUID(length=16), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("decided_at", sa_types.DateTimeUTC(timezone=True), nullable=True),
        *_audit_columns(),
        _fk("place_offer", "session_id", "activity_session", "CASCADE"),
        _fk("place_offer", "volunteer_id", "volunteer_profile", "CASCADE"),
        _fk("place_offer", "from_assignment_id", "assignment", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_place_offer")),
    )
    with op.batch_alter_table("place_offer") as batch:
        batch.create_index(batch.f("ix_place_offer_group_id"), ["group_id"], unique=False)
        batch.create_index(batch.f("ix_place_offer_session_id"), ["session_id"], unique=False)
        batch.create_index(batch.f("ix_place_offer_volunteer_id"), ["volunteer_id"], unique=False)


def downgrade() -> None:
    op.drop_table("place_offer")
    op.drop_table("waiting_list_entry")
    op.drop_table("own_hours")
    with op.batch_alter_table("assignment") as batch:
        batch.drop_column("awaiting_leader")
    with op.batch_alter_table("partnership") as batch:
        batch.drop_column("signup_leader_confirms")
    with op.batch_alter_table("activity") as batch:
        batch.drop_column("open_for_signup")
