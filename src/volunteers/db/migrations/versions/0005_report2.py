"""report cache: a "reports" change counter that every change to the report's tables bumps (SQLite); hour value

Revision ID: 0005_report2
Revises: 0005_cert
Create Date: 2026-12-06

The impact report reads these tables; a process keeps the report it built while the
counter is unchanged (see volunteers.reports.cache). As with 0004's "sessions" counter,
only SQLite gets triggers: there writers take turns anyway, while on PostgreSQL every
writer of these tables would queue (and could deadlock) on the one counter row, so the
report is built afresh there. Also `partnership.hour_value_sek`, the value of a
volunteer hour the report shows (no default), and `report_goal`, the partnership's
goals (an indicator from the report and a target), and `session_participants`, the
children and young people a leader counts by age group when confirming attendance.
A later migration that rebuilds one of these tables with batch_alter_table drops its
triggers on SQLite: it must create them again (`create_triggers(table)`);
tests/volunteers/test_report_cache.py checks they are all there.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy import types as sa_types
from alembic import op

revision: str = "0005_report2"
down_revision: str | None = "0005_cert"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WATCHED = (
    "partnership",
    "partner",
    "activity",
    "activity_session",
    "staffing_need",
    "assignment",
    "assignment_event",
    "attendance",
    "volunteer_profile",
    "user_account",
    "match_run",
    "follow_up",
    "job_seeking_status",
    "consent",
    "certificate",
    "endorsement",
    "training",
    "report_goal",
    "session_participants",
)
EVENTS = ("INSERT", "UPDATE", "DELETE")


def create_triggers(table: str) -> None:
    for event in EVENTS:
        op.execute(
            f"CREATE TRIGGER {table}_{event.lower()}_bumps_reports AFTER {event} ON {table} "  # noqa: S608 - names are the constants above
            "BEGIN UPDATE change_counter SET version = version + 1 WHERE name = 'reports'; END"
        )


def upgrade() -> None:
    # ADD COLUMN needs no table rebuild, so the triggers on partnership stay.
    op.add_column("partnership", sa.Column("hour_value_sek", sa.Integer(), nullable=True))
    op.create_table(
        "report_goal",
        sa.Column("id", sa_types.GUID(length=16), nullable=False),
        sa.Column("partnership_id", sa_types.GUID(length=16), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("indicator", sa.String(length=64), nullable=False),
        sa.Column("target", sa.Float(), nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", sa_types.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", sa_types.DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnership.id"],
            name=op.f("fk_report_goal_partnership_id_partnership"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_goal")),
    )
    with op.batch_alter_table("report_goal") as batch:
        batch.create_index(batch.f("ix_report_goal_partnership_id"), ["partnership_id"], unique=False)
    op.create_table(
        "session_participants",
        sa.Column("id", sa_types.GUID(length=16), nullable=False),
        sa.Column("session_id", sa_types.GUID(length=16), nullable=False),
        sa.Column("age_group", sa.String(length=8), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", sa_types.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", sa_types.DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["activity_session.id"],
            name=op.f("fk_session_participants_session_id_activity_session"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_session_participants")),
        sa.UniqueConstraint("session_id", "age_group", name="uq_session_participants_group"),
    )
    with op.batch_alter_table("session_participants") as batch:
        batch.create_index(batch.f("ix_session_participants_session_id"), ["session_id"], unique=False)
    op.execute("INSERT INTO change_counter (name, version) VALUES ('reports', 0)")
    if op.get_bind().dialect.name == "sqlite":
        for table in WATCHED:
            create_triggers(table)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for table in WATCHED:
            for event in EVENTS:
                op.execute(f"DROP TRIGGER IF EXISTS {table}_{event.lower()}_bumps_reports")
    op.execute("DELETE FROM change_counter WHERE name = 'reports'")
    op.drop_table("session_participants")
    op.drop_table("report_goal")
    with op.batch_alter_table("partnership") as batch:
        batch.drop_column("hour_value_sek")
