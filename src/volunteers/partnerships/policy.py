"""A partnership's settings: name, time zone, deadlines, certificates, retention, follow-up."""

from __future__ import annotations

import uuid
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from volunteers.accounts.actor import Actor
from volunteers.db.models import AuditEntry, Membership, Partnership, Role
from volunteers.errors import InvalidInput
from volunteers.partnerships import schemas
from volunteers.partnerships.invitations import coordinated


def valid_timezone(name: str, field: str = "timezone") -> str:
    """The IANA zone name, or a refusal naming the field."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InvalidInput(field, f"unknown time zone '{name}' (an IANA name such as Europe/Stockholm)") from exc
    return name


def settings_out(p: Partnership, default_retention_days: int) -> schemas.PartnershipSettings:
    return schemas.PartnershipSettings(
        id=p.id,
        slug=p.slug,
        name=p.name,
        timezone=p.timezone,
        cancel_deadline_hours=p.cancel_deadline_hours,
        leader_requests_publish_directly=p.leader_requests_publish_directly,
        certificate_threshold_minutes=p.certificate_threshold_minutes,
        signatory_user_id=p.signatory_user_id,
        retention_days=p.retention_days,
        effective_retention_days=p.retention_days or default_retention_days,
        followup_interval_months=p.followup_interval_months,
        hour_value_sek=p.hour_value_sek,
    )


async def read(
    db: AsyncSession, actor: Actor, partnership_id: uuid.UUID, default_retention_days: int
) -> schemas.PartnershipSettings:
    """The settings, for the partnership's coordinators."""
    return settings_out(await coordinated(db, actor, partnership_id), default_retention_days)


async def change(
    db: AsyncSession,
    actor: Actor,
    partnership_id: uuid.UUID,
    data: schemas.SettingsUpdate,
    default_retention_days: int,
) -> schemas.PartnershipSettings:
    """Change the given settings; every field is checked before any is written."""
    p = await coordinated(db, actor, partnership_id)
    if data.timezone is not None:
        valid_timezone(data.timezone)
    if data.signatory_user_id is not None:
        signs = (
            await db.execute(
                select(Membership.id).where(
                    Membership.user_id == data.signatory_user_id,
                    Membership.partnership_id == partnership_id,
                    Membership.role == Role.COORDINATOR,
                )
            )
        ).first()
        if signs is None:
            raise InvalidInput("signatory_user_id", "the signatory must be one of the partnership's coordinators")
    changed: dict[str, object] = {}
    for name in (
        "name",
        "timezone",
        "cancel_deadline_hours",
        "leader_requests_publish_directly",
        "certificate_threshold_minutes",
        "signatory_user_id",
        "retention_days",
        "followup_interval_months",
        "hour_value_sek",
    ):
        value = getattr(data, name)
        if value is not None and getattr(p, name) != value:
            setattr(p, name, value.strip() if isinstance(value, str) else value)
            changed[name] = str(value)
    if data.clear_signatory:
        p.signatory_user_id = None
        changed["signatory_user_id"] = None
    if data.clear_retention:
        p.retention_days = None
        changed["retention_days"] = None
    if data.clear_hour_value and p.hour_value_sek is not None:
        p.hour_value_sek = None
        changed["hour_value_sek"] = None
    if changed:
        db.add(
            AuditEntry(
                actor_id=actor.user_id,
                partnership_id=p.id,
                action="partnership.settings_changed",
                subject_type="partnership",
                subject_id=str(p.id),
                detail={"changed": sorted(changed)},
            )
        )
    await db.flush()
    return settings_out(p, default_retention_days)
