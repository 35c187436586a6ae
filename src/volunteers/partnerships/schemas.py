"""What the partnership set-up API reads and writes."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Literal

import msgspec

from volunteers import limits
from volunteers.accounts.schemas import Email, Password

StaffRole = Literal["leader", "coordinator"]
DisplayName = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Token = Annotated[str, msgspec.Meta(min_length=16, max_length=200)]


class InvitationCreate(msgspec.Struct, forbid_unknown_fields=True):
    email: Email
    role: StaffRole
    partner_id: uuid.UUID | None = None
    locale: Literal["sv", "en"] = "sv"


class Invitation(msgspec.Struct):
    id: uuid.UUID
    partnership_id: uuid.UUID
    email: str
    role: str
    partner_id: uuid.UUID | None
    partner_name: str | None
    invited_by: str | None
    created_at: dt.datetime
    expires_at: dt.datetime
    expired: bool
    sent_count: int


class InvitationSent(msgspec.Struct):
    """An invitation just sent; `link` only when no mail server took it (hand it over yourself)."""

    invitation: Invitation
    mailed: bool
    link: str | None = None


class TokenBody(msgspec.Struct, forbid_unknown_fields=True):
    token: Token


class InvitationPreview(msgspec.Struct):
    """What the person holding a link is invited to."""

    partnership_name: str
    role: str
    partner_name: str | None
    email: str
    has_account: bool
    needs_consent: bool


class InvitationAccept(msgspec.Struct, forbid_unknown_fields=True):
    token: Token
    password: Password
    display_name: Annotated[str, msgspec.Meta(max_length=200)] = ""
    consent: bool = False
    consent_version: limits.RequiredLine40 = "2026-1"  # fits consent.wording_version (40)


class RoleHolder(msgspec.Struct):
    membership_id: uuid.UUID
    user_id: uuid.UUID
    display_name: str
    email: str
    role: str
    partner_id: uuid.UUID | None
    partner_name: str | None
    is_active: bool


class RoleChange(msgspec.Struct, forbid_unknown_fields=True):
    role: StaffRole
    partner_id: uuid.UUID | None = None


class DeactivateIn(msgspec.Struct, forbid_unknown_fields=True):
    """Deactivate although the account's held future places are released (after seeing the 409)."""

    confirm: bool = False


class PartnershipSettings(msgspec.Struct):
    id: uuid.UUID
    slug: str
    name: str
    timezone: str
    cancel_deadline_hours: int
    leader_requests_publish_directly: bool
    certificate_threshold_minutes: int
    signatory_user_id: uuid.UUID | None
    retention_days: int | None
    effective_retention_days: int
    followup_interval_months: int
    hour_value_sek: int | None = None


class SettingsUpdate(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=200)] | None = None
    timezone: Annotated[str, msgspec.Meta(min_length=1, max_length=64)] | None = None
    cancel_deadline_hours: Annotated[int, msgspec.Meta(ge=0, le=336)] | None = None
    leader_requests_publish_directly: bool | None = None
    certificate_threshold_minutes: Annotated[int, msgspec.Meta(ge=0, le=100_000)] | None = None
    signatory_user_id: uuid.UUID | None = None
    clear_signatory: bool = False
    retention_days: Annotated[int, msgspec.Meta(ge=30, le=3650)] | None = None
    clear_retention: bool = False
    followup_interval_months: Annotated[int, msgspec.Meta(ge=1, le=36)] | None = None
    hour_value_sek: Annotated[int, msgspec.Meta(ge=1, le=10000)] | None = None
    clear_hour_value: bool = False


__all__ = ["Email", "Password"]
