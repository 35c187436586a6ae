"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-26 14:03:13.232374
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy import types as sa_types
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "key_competence",
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("label_en", sa.String(length=200), nullable=False),
        sa.Column("label_sv", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_key_competence")),
    )
    op.create_table(
        "outbox_message",
        sa.Column("id", sa_types.GUID(length=16), nullable=False),
        sa.Column("to_address", sa.String(length=320), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("dedupe_key", sa.String(length=200), nullable=True),
        sa.Column("send_after", sa_types.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("sent_at", sa_types.DateTimeUTC(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", sa_types.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", sa_types.DateTimeUTC(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_message")),
        sa.UniqueConstraint("dedupe_key", name=op.f("uq_outbox_message_dedupe_key")),
    )
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.create_index("ix_outbox_pending", ["sent_at", "send_after"], unique=False)

    op.create_table(
        "partnership",
        sa.Column("id", sa_types.GUID(length=16), nullable=False),
        sa.Column("slug", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("area", sa.String(length=200), nullable=False),
        sa.Column("description", sa.String(length=4000), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("background_check_valid_days", sa.Integer(), nullable=False),
        sa.Column("background_check_min_age", sa.Integer(), nullable=False),
        sa.Column("certificate_threshold_minutes", sa.Integer(), nullable=False),
        sa.Column("leader_requests_publish_directly", sa.Boolean(), nullable=False),
        sa.Column("cancel_deadline_hours", sa.Integer(), nullable=False),
        sa.Column("followup_interval_months", sa.Integer(), nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", sa_types.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", sa_types.DateTimeUTC(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partnership")),
        sa.UniqueConstraint("slug", name=op.f("uq_partnership_slug")),
    )
    op.create_table(
        "user_account",
        sa.Column("id", sa_types.GUID(length=16), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("locale", sa.String(length=8), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("last_login_at", sa_types.DateTimeUTC(timezone=True), nullable=True),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa_types.DateTimeUTC(timezone=True), nullable=True),
        sa.Column("anonymised_at", sa_types.DateTimeUTC(timezone=True), nullable=True),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", sa_types.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", sa_types.DateTimeUTC(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_account")),
        sa.UniqueConstraint("email", name=op.f("uq_user_account_email")),
    )
    op.create_table(
        "audit_entry",
        sa.Column("id", sa_types.GUID(length=16), nullable=False),
        sa.Column("actor_id", sa_types.GUID(length=16), nullable=True),
        sa.Column("partnership_id", sa_types.GUID(length=16), nullable=True),
        sa.Column("action", sa.String(length=80), nullable=False),
        sa.Column("subject_type", sa.String(length=40), nullable=False),
        sa.Column("subject_id", sa.String(length=80), nullable=False),
        sa.Column("detail", sa_types.JsonB, nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", sa_types.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", sa_types.DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["user_account.id"],
            name=op.f("fk_audit_entry_actor_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnership.id"],
            name=op.f("fk_audit_entry_partnership_id_partnership"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_entry")),
    )
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.create_index("ix_audit_entry_partnership_created", ["partnership_id", "created_at"], unique=False)

    op.create_table(
        "auth_session",
        sa.Column("id", sa_types.GUID(length=16), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa_types.GUID(length=16), nullable=False),
        sa.Column("expires_at", sa_types.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa_types.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("user_agent", sa.String(length=300), nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", sa_types.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", sa_types.DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_auth_session_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_auth_session")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_auth_session_token_hash")),
    )
    with op.batch_alter_table("auth_session", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_auth_session_expires_at"), ["expires_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_auth_session_user_id"), ["user_id"], unique=False)

    op.create_table(
        "consent",
        sa.Column("id", sa_types.GUID(length=16), nullable=False),
        sa.Column("user_id", sa_types.GUID(length=16), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("wording_version", sa.String(length=40), nullable=False),
        sa.Column("given_at", sa_types.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("withdrawn_at", sa_types.DateTimeUTC(timezone=True), nullable=True),
        sa.Column("given_by", sa.String(length=200), nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", sa_types.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", sa_types.DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_consent_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent")),
    )
    with op.batch_alter_table("consent", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_consent_user_id"), ["user_id"], unique=False)

    op.create_table(
        "match_run",
        sa.Column("id", sa_types.GUID(length=16), nullable=False),
        sa.Column("partnership_id", sa_types.GUID(length=16), nullable=False),
        sa.Column("requested_by_id", sa_types.GUID(length=16), nullable=True),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("activity_ids", sa_types.JsonB, nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "queued",
                "running",
                "done",
                "failed",
                "published",
                name="match_run_status",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("time_limit_seconds", sa.Float(), nullable=False),
        sa.Column("problem", sa_types.JsonB, nullable=True),
        sa.Column("plan", sa_types.JsonB, nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("started_at", sa_types.DateTimeUTC(timezone=True), nullable=True),
        sa.Column("finished_at", sa_types.DateTimeUTC(timezone=True), nullable=True),
        sa.Column("published_at", sa_types.DateTimeUTC(timezone=True), nullable=True),
        sa.Column("published_by_id", sa_types.GUID(length=16), nullable=True),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", sa_types.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", sa_types.DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnership.id"],
            name=op.f("fk_match_run_partnership_id_partnership"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["published_by_id"],
            ["user_account.id"],
            name=op.f("fk_match_run_published_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"],
            ["user_account.id"],
            name=op.f("fk_match_run_requested_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_run")),
    )
    with op.batch_alter_table("match_run", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_match_run_partnership_id"), ["partnership_id"], unique=False)

    op.create_table(
        "partner",
        sa.Column("id", sa_types.GUID(length=16), nullable=False),
        sa.Column("partnership_id", sa_types.GUID(length=16), nullable=False),
        sa.Column("slug", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.String(length=2000), nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", sa_types.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", sa_types.DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnership.id"],
            name=op.f("fk_partner_partnership_id_partnership"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partner")),
        sa.UniqueConstraint("partnership_id", "slug", name=op.f("uq_partner_partnership_id")),
    )
    with op.batch_alter_table("partner", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_partner_partnership_id"), ["partnership_id"], unique=False)

    op.create_table(
        "skill",
        sa.Column("code", sa.String(length=80), nullable=False),
        sa.Column("esco_uri", sa.String(length=200), nullable=True),
        sa.Column("label_en", sa.String(length=200), nullable=False),
        sa.Column("label_sv", sa.String(length=200), nullable=False),
        sa.Column("key_competence", sa.String(length=40), nullable=True),
        sa.Column(
            "source",
            sa.Enum(
                "esco",
                "project",
                name="skill_source",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["key_competence"],
            ["key_competence.code"],
            name=op.f("fk_skill_key_competence_key_competence"),
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_skill")),
    )
    op.create_table(
        "volunteer_profile",
        sa.Column("id", sa_types.GUID(length=16), nullable=False),
        sa.Column("user_id", sa_types.GUID(length=16), nullable=False),
        sa.Column("partnership_id", sa_types.GUID(length=16), nullable=False),
        sa.Column("first_name", sa.String(length=100), nullable=False),
        sa.Column("last_name", sa.String(length=100), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("phone", sa.String(length=40), nullable=False),
        sa.Column("languages", sa_types.JsonB, nullable=False),
        sa.Column("learning_goals", sa_types.JsonB, nullable=False),
        sa.Column("preferred_activity_kinds", sa_types.JsonB, nullable=False),
        sa.Column("seeking_work", sa.Boolean(), nullable=False),
        sa.Column("max_minutes_per_week", sa.Integer(), nullable=True),
        sa.Column("guardian_name", sa.String(length=200), nullable=False),
        sa.Column("guardian_contact", sa.String(length=200), nullable=False),
        sa.Column("guardian_consent_at", sa_types.DateTimeUTC(timezone=True), nullable=True),
        sa.Column("calendar_token", sa.String(length=64), nullable=False),
        sa.Column("last_offered_at", sa_types.DateTimeUTC(timezone=True), nullable=True),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", sa_types.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", sa_types.DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnership.id"],
            name=op.f("fk_volunteer_profile_partnership_id_partnership"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_volunteer_profile_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_volunteer_profile")),
        sa.UniqueConstraint("calendar_token", name=op.f("uq_volunteer_profile_calendar_token")),
        sa.UniqueConstraint("user_id", name=op.f("uq_volunteer_profile_user_id")),
    )
    with op.batch_alter_table("volunteer_profile", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_volunteer_profile_partnership_id"), ["partnership_id"], unique=False)

    op.create_table(
        "activity",
        sa.Column("id", sa_types.GUID(length=16), nullable=False),
        sa.Column("partnership_id", sa_types.GUID(length=16), nullable=False),
        sa.Column("partner_id", sa_types.GUID(length=16), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.String(length=4000), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "study_circle",
                "sport",
                "workshop",
                "culture",
                "other",
                name="activity_kind",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column(
            "target_group",
            sa.Enum(
                "children",
                "youth",
                "adults",
                "seniors",
                "mixed",
                name="target_group",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("tasks", sa_types.JsonB, nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", sa_types.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", sa_types.DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["partner_id"],
            ["partner.id"],
            name=op.f("fk_activity_partner_id_partner"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnership.id"],
            name=op.f("fk_activity_partnership_id_partnership"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity")),
    )
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_activity_partner_id"), ["partner_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_activity_partnership_id"), ["partnership_id"], unique=False)

    op.create_table(
        "availability_exception",
        sa.Column("id", sa_types.GUID(length=16), nullable=False),
        sa.Column("profile_id", sa_types.GUID(length=16), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "away",
                "available",
                name="exception_kind",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("date_from", sa.Date(), nullable=False),
        sa.Column("date_to", sa.Date(), nullable=False),
        sa.Column("start_time", sa.Time(), nullable=True),
        sa.Column("end_time", sa.Time(), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", sa_types.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", sa_types.DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["volunteer_profile.id"],
            name=op.f("fk_availability_exception_profile_id_volunteer_profile"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_availability_exception")),
    )
    with op.batch_alter_table("availability_exception", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_availability_exception_profile_id"), ["profile_id"], unique=False)

    op.create_table(
        "availability_rule",
        sa.Column("id", sa_types.GUID(length=16), nullable=False),
        sa.Column("profile_id", sa_types.GUID(length=16), nullable=False),
        sa.Column("weekday", sa.SmallInteger(), nullable=False),
        sa.Column("start_time", sa.Time(), nullable=False),
        sa.Column("end_time", sa.Time(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", sa_types.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", sa_types.DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["volunteer_profile.id"],
            name=op.f("fk_availability_rule_profile_id_volunteer_profile"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_availability_rule")),
    )
    with op.batch_alter_table("availability_rule", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_availability_rule_profile_id"), ["profile_id"], unique=False)

    op.create_table(
        "background_check",
        sa.Column("id", sa_types.GUID(length=16), nullable=False),
        sa.Column("profile_id", sa_types.GUID(length=16), nullable=False),
        sa.Column("partnership_id", sa_types.GUID(length=16), nullable=False),
        sa.Column("seen_on", sa.Date(), nullable=False),
        sa.Column("seen_by_id", sa_types.GUID(length=16), nullable=True),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", sa_types.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", sa_types.DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnership.id"],
            name=op.f("fk_background_check_partnership_id_partnership"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["volunteer_profile.id"],
            name=op.f("fk_background_check_profile_id_volunteer_profile"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["seen_by_id"],
            ["user_account.id"],
            name=op.f("fk_background_check_seen_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_background_check")),
    )
    with op.batch_alter_table("background_check", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_background_check_profile_id"), ["profile_id"], unique=False)

    op.create_table(
        "certificate",
        sa.Column("id", sa_types.GUID(length=16), nullable=False),
        sa.Column("public_id", sa.String(length=40), nullable=False),
        sa.Column("volunteer_id", sa_types.GUID(length=16), nullable=True),
        sa.Column("partnership_id", sa_types.GUID(length=16), nullable=False),
        sa.Column("issuer_partner_id", sa_types.GUID(length=16), nullable=True),
        sa.Column("issued_by_id", sa_types.GUID(length=16), nullable=True),
        sa.Column("issued_at", sa_types.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("snapshot", sa_types.JsonB, nullable=True),
        sa.Column("credential", sa_types.JsonB, nullable=True),
        sa.Column("key_id", sa.String(length=80), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("verified_minutes", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "valid",
                "revoked",
                "withdrawn",
                name="certificate_status",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("revoked_at", sa_types.DateTimeUTC(timezone=True), nullable=True),
        sa.Column("revoked_reason", sa.String(length=500), nullable=False),
        sa.Column("revoked_by_id", sa_types.GUID(length=16), nullable=True),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", sa_types.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", sa_types.DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["issued_by_id"],
            ["user_account.id"],
            name=op.f("fk_certificate_issued_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["issuer_partner_id"],
            ["partner.id"],
            name=op.f("fk_certificate_issuer_partner_id_partner"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnership.id"],
            name=op.f("fk_certificate_partnership_id_partnership"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["revoked_by_id"],
            ["user_account.id"],
            name=op.f("fk_certificate_revoked_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["volunteer_id"],
            ["volunteer_profile.id"],
            name=op.f("fk_certificate_volunteer_id_volunteer_profile"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certificate")),
        sa.UniqueConstraint("public_id", name=op.f("uq_certificate_public_id")),
    )
    with op.batch_alter_table("certificate", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_certificate_partnership_id"), ["partnership_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_certificate_volunteer_id"), ["volunteer_id"], unique=False)

    op.create_table(
        "follow_up",
        sa.Column("id", sa_types.GUID(length=16), nullable=False),
        sa.Column("volunteer_id", sa_types.GUID(length=16), nullable=False),
        sa.Column("answered_on", sa.Date(), nullable=False),
        sa.Column(
            "situation",
            sa.Enum(
                "working",
                "studying",
                "looking_for_work",
                "other",
                name="situation",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("helped", sa_types.JsonB, nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", sa_types.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", sa_types.DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["volunteer_id"],
            ["volunteer_profile.id"],
            name=op.f("fk_follow_up_volunteer_id_volunteer_profile"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_up")),
    )
    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_follow_up_volunteer_id"), ["volunteer_id"], unique=False)

    op.create_table(
        "membership",
        sa.Column("id", sa_types.GUID(length=16), nullable=False),
        sa.Column("user_id", sa_types.GUID(length=16), nullable=False),
        sa.Column("partnership_id", sa_types.GUID(length=16), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "volunteer",
                "leader",
                "coordinator",
                name="role",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("partner_id", sa_types.GUID(length=16), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", sa_types.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", sa_types.DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["partner_id"],
            ["partner.id"],
            name=op.f("fk_membership_partner_id_partner"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnership.id"],
            name=op.f("fk_membership_partnership_id_partnership"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_membership_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_membership")),
        sa.UniqueConstraint("user_id", "partnership_id", "role", "partner_id", name=op.f("uq_membership_user_id")),
    )
    with op.batch_alter_table("membership", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_membership_partnership_id"), ["partnership_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_membership_user_id"), ["user_id"], unique=False)

    op.create_table(
        "training",
        sa.Column("id", sa_types.GUID(length=16), nullable=False),
        sa.Column("volunteer_id", sa_types.GUID(length=16), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("issuer", sa.String(length=200), nullable=False),
        sa.Column("completed_on", sa.Date(), nullable=False),
        sa.Column("recorded_by_id", sa_types.GUID(length=16), nullable=True),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", sa_types.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", sa_types.DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["user_account.id"],
            name=op.f("fk_training_recorded_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["volunteer_id"],
            ["volunteer_profile.id"],
            name=op.f("fk_training_volunteer_id_volunteer_profile"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training")),
    )
    with op.batch_alter_table("training", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_training_volunteer_id"), ["volunteer_id"], unique=False)

    op.create_table(
        "volunteer_skill",
        sa.Column("id", sa_types.GUID(length=16), nullable=False),
        sa.Column("profile_id", sa_types.GUID(length=16), nullable=False),
        sa.Column("skill_code", sa.String(length=80), nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", sa_types.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", sa_types.DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["volunteer_profile.id"],
            name=op.f("fk_volunteer_skill_profile_id_volunteer_profile"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["skill_code"], ["skill.code"], name=op.f("fk_volunteer_skill_skill_code_skill")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_volunteer_skill")),
    )
    with op.batch_alter_table("volunteer_skill", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_volunteer_skill_skill_code"), ["skill_code"], unique=False)
        batch_op.create_index("ix_volunteer_skill_unique", ["profile_id", "skill_code"], unique=True)

    op.create_table(
        "activity_session",
        sa.Column("id", sa_types.GUID(length=16), nullable=False),
        sa.Column("activity_id", sa_types.GUID(length=16), nullable=False),
        sa.Column("starts_at", sa_types.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("ends_at", sa_types.DateTimeUTC(timezone=True), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "scheduled",
                "cancelled",
                name="session_status",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("note", sa.String(length=1000), nullable=False),
        sa.Column("series_id", sa_types.GUID(length=16), nullable=True),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", sa_types.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", sa_types.DateTimeUTC(timezone=True), nullable=False),
        sa.CheckConstraint("ends_at > starts_at", name=op.f("ck_activity_session_session_ends_after_start")),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["activity.id"],
            name=op.f("fk_activity_session_activity_id_activity"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity_session")),
    )
    with op.batch_alter_table("activity_session", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_activity_session_activity_id"), ["activity_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_activity_session_series_id"), ["series_id"], unique=False)
        batch_op.create_index("ix_activity_session_starts", ["starts_at"], unique=False)

    op.create_table(
        "exclusion",
        sa.Column("id", sa_types.GUID(length=16), nullable=False),
        sa.Column("activity_id", sa_types.GUID(length=16), nullable=False),
        sa.Column("volunteer_id", sa_types.GUID(length=16), nullable=False),
        sa.Column("by_user_id", sa_types.GUID(length=16), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", sa_types.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", sa_types.DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["activity.id"],
            name=op.f("fk_exclusion_activity_id_activity"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["by_user_id"],
            ["user_account.id"],
            name=op.f("fk_exclusion_by_user_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["volunteer_id"],
            ["volunteer_profile.id"],
            name=op.f("fk_exclusion_volunteer_id_volunteer_profile"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exclusion")),
        sa.UniqueConstraint("activity_id", "volunteer_id", name=op.f("uq_exclusion_activity_id")),
    )
    op.create_table(
        "assignment",
        sa.Column("id", sa_types.GUID(length=16), nullable=False),
        sa.Column("session_id", sa_types.GUID(length=16), nullable=False),
        sa.Column("volunteer_id", sa_types.GUID(length=16), nullable=False),
        sa.Column("role", sa.String(length=80), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "proposed",
                "accepted",
                "declined",
                "confirmed",
                "completed",
                "no_show",
                "cancelled",
                name="assignment_status",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("match_run_id", sa_types.GUID(length=16), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("starts_at", sa_types.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("ends_at", sa_types.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", sa_types.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", sa_types.DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["match_run_id"],
            ["match_run.id"],
            name=op.f("fk_assignment_match_run_id_match_run"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["activity_session.id"],
            name=op.f("fk_assignment_session_id_activity_session"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["volunteer_id"],
            ["volunteer_profile.id"],
            name=op.f("fk_assignment_volunteer_id_volunteer_profile"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assignment")),
        sa.UniqueConstraint("session_id", "volunteer_id", name="uq_assignment_session_volunteer"),
    )
    with op.batch_alter_table("assignment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assignment_session_id"), ["session_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_assignment_volunteer_id"), ["volunteer_id"], unique=False)

    op.create_table(
        "endorsement",
        sa.Column("id", sa_types.GUID(length=16), nullable=False),
        sa.Column("volunteer_id", sa_types.GUID(length=16), nullable=False),
        sa.Column("skill_code", sa.String(length=80), nullable=False),
        sa.Column("session_id", sa_types.GUID(length=16), nullable=True),
        sa.Column("activity_id", sa_types.GUID(length=16), nullable=True),
        sa.Column("by_user_id", sa_types.GUID(length=16), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", sa_types.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", sa_types.DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["activity.id"],
            name=op.f("fk_endorsement_activity_id_activity"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["by_user_id"],
            ["user_account.id"],
            name=op.f("fk_endorsement_by_user_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["activity_session.id"],
            name=op.f("fk_endorsement_session_id_activity_session"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(["skill_code"], ["skill.code"], name=op.f("fk_endorsement_skill_code_skill")),
        sa.ForeignKeyConstraint(
            ["volunteer_id"],
            ["volunteer_profile.id"],
            name=op.f("fk_endorsement_volunteer_id_volunteer_profile"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_endorsement")),
    )
    with op.batch_alter_table("endorsement", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_endorsement_volunteer_id"), ["volunteer_id"], unique=False)

    op.create_table(
        "staffing_need",
        sa.Column("id", sa_types.GUID(length=16), nullable=False),
        sa.Column("activity_id", sa_types.GUID(length=16), nullable=False),
        sa.Column("session_id", sa_types.GUID(length=16), nullable=True),
        sa.Column("role", sa.String(length=80), nullable=False),
        sa.Column("count", sa.SmallInteger(), nullable=False),
        sa.Column("skills", sa_types.JsonB, nullable=False),
        sa.Column("languages", sa_types.JsonB, nullable=False),
        sa.Column("min_age", sa.SmallInteger(), nullable=True),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("develops", sa_types.JsonB, nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", sa_types.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", sa_types.DateTimeUTC(timezone=True), nullable=False),
        sa.CheckConstraint("count >= 1", name=op.f("ck_staffing_need_need_count_positive")),
        sa.CheckConstraint("priority >= 1", name=op.f("ck_staffing_need_need_priority_positive")),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["activity.id"],
            name=op.f("fk_staffing_need_activity_id_activity"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["activity_session.id"],
            name=op.f("fk_staffing_need_session_id_activity_session"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staffing_need")),
    )
    with op.batch_alter_table("staffing_need", schema=None) as batch_op:
        batch_op.create_index("ix_staffing_need_role", ["activity_id", "session_id", "role"], unique=True)
        batch_op.create_index(batch_op.f("ix_staffing_need_session_id"), ["session_id"], unique=False)

    op.create_table(
        "assignment_event",
        sa.Column("id", sa_types.GUID(length=16), nullable=False),
        sa.Column("assignment_id", sa_types.GUID(length=16), nullable=False),
        sa.Column("from_status", sa.String(length=24), nullable=True),
        sa.Column("to_status", sa.String(length=24), nullable=False),
        sa.Column("by_user_id", sa_types.GUID(length=16), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", sa_types.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", sa_types.DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["assignment_id"],
            ["assignment.id"],
            name=op.f("fk_assignment_event_assignment_id_assignment"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["by_user_id"],
            ["user_account.id"],
            name=op.f("fk_assignment_event_by_user_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assignment_event")),
    )
    with op.batch_alter_table("assignment_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assignment_event_assignment_id"), ["assignment_id"], unique=False)

    op.create_table(
        "attendance",
        sa.Column("id", sa_types.GUID(length=16), nullable=False),
        sa.Column("assignment_id", sa_types.GUID(length=16), nullable=False),
        sa.Column("attended", sa.Boolean(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("confirmed_by_id", sa_types.GUID(length=16), nullable=True),
        sa.Column("confirmed_at", sa_types.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", sa_types.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", sa_types.DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["assignment_id"],
            ["assignment.id"],
            name=op.f("fk_attendance_assignment_id_assignment"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["confirmed_by_id"],
            ["user_account.id"],
            name=op.f("fk_attendance_confirmed_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attendance")),
        sa.UniqueConstraint("assignment_id", name=op.f("uq_attendance_assignment_id")),
    )


def downgrade() -> None:
    op.drop_table("attendance")
    with op.batch_alter_table("assignment_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assignment_event_assignment_id"))

    op.drop_table("assignment_event")
    with op.batch_alter_table("staffing_need", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staffing_need_session_id"))
        batch_op.drop_index("ix_staffing_need_role")

    op.drop_table("staffing_need")
    with op.batch_alter_table("endorsement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_endorsement_volunteer_id"))

    op.drop_table("endorsement")
    with op.batch_alter_table("assignment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assignment_volunteer_id"))
        batch_op.drop_index(batch_op.f("ix_assignment_session_id"))

    op.drop_table("assignment")
    op.drop_table("exclusion")
    with op.batch_alter_table("activity_session", schema=None) as batch_op:
        batch_op.drop_index("ix_activity_session_starts")
        batch_op.drop_index(batch_op.f("ix_activity_session_series_id"))
        batch_op.drop_index(batch_op.f("ix_activity_session_activity_id"))

    op.drop_table("activity_session")
    with op.batch_alter_table("volunteer_skill", schema=None) as batch_op:
        batch_op.drop_index("ix_volunteer_skill_unique")
        batch_op.drop_index(batch_op.f("ix_volunteer_skill_skill_code"))

    op.drop_table("volunteer_skill")
    with op.batch_alter_table("training", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_training_volunteer_id"))

    op.drop_table("training")
    with op.batch_alter_table("membership", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_membership_user_id"))
        batch_op.drop_index(batch_op.f("ix_membership_partnership_id"))

    op.drop_table("membership")
    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_follow_up_volunteer_id"))

    op.drop_table("follow_up")
    with op.batch_alter_table("certificate", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_certificate_volunteer_id"))
        batch_op.drop_index(batch_op.f("ix_certificate_partnership_id"))

    op.drop_table("certificate")
    with op.batch_alter_table("background_check", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_background_check_profile_id"))

    op.drop_table("background_check")
    with op.batch_alter_table("availability_rule", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_availability_rule_profile_id"))

    op.drop_table("availability_rule")
    with op.batch_alter_table("availability_exception", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_availability_exception_profile_id"))

    op.drop_table("availability_exception")
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_activity_partnership_id"))
        batch_op.drop_index(batch_op.f("ix_activity_partner_id"))

    op.drop_table("activity")
    with op.batch_alter_table("volunteer_profile", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_volunteer_profile_partnership_id"))

    op.drop_table("volunteer_profile")
    op.drop_table("skill")
    with op.batch_alter_table("partner", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_partner_partnership_id"))

    op.drop_table("partner")
    with op.batch_alter_table("match_run", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_match_run_partnership_id"))

    op.drop_table("match_run")
    with op.batch_alter_table("consent", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consent_user_id"))

    op.drop_table("consent")
    with op.batch_alter_table("auth_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_auth_session_user_id"))
        batch_op.drop_index(batch_op.f("ix_auth_session_expires_at"))

    op.drop_table("auth_session")
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_entry_partnership_created")

    op.drop_table("audit_entry")
    op.drop_table("user_account")
    op.drop_table("partnership")
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_pending")

    op.drop_table("outbox_message")
    op.drop_table("key_competence")
