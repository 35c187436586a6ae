"""report cache on PostgreSQL: the "reports" version bumped at commit by every write to the report's tables

Revision ID: 0006_rep17
Revises: 0006_perf15
Create Date: 2026-12-07

0005_report2 gave SQLite triggers that bump the one "reports" counter row; PostgreSQL got
none, since every writer of those tables would have held that one row locked until its
commit (queueing all writers behind the slowest, and deadlocking two that locked rows in
opposite orders). Here PostgreSQL gets:

- eight shard rows, `reports:0` .. `reports:7`; the version is their sum (with the
  `reports` row, which stays 0 there), so it grows with every committed write;
- on each watched table a constraint trigger, DEFERRABLE INITIALLY DEFERRED, so it runs
  at COMMIT, not at the write: the transaction bumps the shard of its backend
  (pg_backend_pid() % 8) once (a transaction-local setting skips the bump for its other
  rows), and holds that row's lock only from then until its commit is done. A
  transaction takes at most one shard row, as its last lock, so no cycle of waits can
  include it; writers on different backends mostly bump different shards.

The bump is part of the writing transaction: a reader sees the new version exactly when
it sees the data, whichever process or program wrote it (volunteers.reports.cache).
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0006_rep17"
down_revision: str | None = "0006_perf15"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The tables the impact report reads (as in 0005_report2).
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
SHARDS = 8

# The shard count (8) is written out: keep it equal to SHARDS.
BUMP = """
CREATE FUNCTION samverka_bump_reports() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(current_setting('samverka.reports_bumped', true), '') <> 'on' THEN
        PERFORM set_config('samverka.reports_bumped', 'on', true);
        UPDATE change_counter SET version = version + 1
         WHERE name = 'reports:' || (pg_backend_pid() % 8);
    END IF;
    RETURN NULL;
END
$$
"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite has its triggers since 0005_report2
    for shard in range(SHARDS):
        op.execute(f"INSERT INTO change_counter (name, version) VALUES ('reports:{shard}', 0)")  # noqa: S608
    op.execute(BUMP)
    for table in WATCHED:
        op.execute(
            f"CREATE CONSTRAINT TRIGGER {table}_bumps_reports AFTER INSERT OR UPDATE OR DELETE ON {table} "
            "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION samverka_bump_reports()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in WATCHED:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_bumps_reports ON {table}")
    op.execute("DROP FUNCTION IF EXISTS samverka_bump_reports()")
    op.execute("DELETE FROM change_counter WHERE name LIKE 'reports:%'")
