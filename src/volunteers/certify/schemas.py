"""What the certificate API reads and writes."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Literal

import msgspec

from volunteers import limits

Language = Literal["sv", "en"]
MAX_BULK = 2000


class IssueIn(msgspec.Struct, forbid_unknown_fields=True):
    language: Language | None = None


class CertificateOut(msgspec.Struct):
    public_id: str
    volunteer_id: uuid.UUID | None
    issued_at: dt.datetime
    language: str
    verified_minutes: int
    verified_hours: float
    status: str
    key_id: str
    verify_url: str
    download_url: str
    revoked_reason: str


class RevokeIn(msgspec.Struct, forbid_unknown_fields=True):
    reason: limits.RequiredLine500


class BulkIn(msgspec.Struct, forbid_unknown_fields=True):
    volunteer_ids: Annotated[list[uuid.UUID], msgspec.Meta(min_length=1, max_length=MAX_BULK)]
    language: Language | None = None


class BulkIssued(msgspec.Struct):
    volunteer_id: uuid.UUID
    public_id: str


class BulkSkipped(msgspec.Struct):
    volunteer_id: uuid.UUID
    code: str
    detail: str
    public_id: str | None = None  # the certificate they already hold (certificate_up_to_date)


class BulkJob(msgspec.Struct):
    id: uuid.UUID
    status: Literal["queued", "preparing", "rendering", "saving", "done", "failed"]
    total: int
    issued: list[BulkIssued]
    skipped: list[BulkSkipped]
    seconds: float | None = None
    timings: dict[str, float] = msgspec.field(default_factory=dict)  # seconds per phase
    error: str | None = None


class VerifiedSkill(msgspec.Struct):
    code: str
    label: str
    esco_uri: str
    assessed_by: str


class Verification(msgspec.Struct, omit_defaults=True):
    """What /verify tells anyone: the status, and the facts unless the holder withdrew it."""

    id: str
    status: Literal["valid", "revoked", "withdrawn"]
    issued_on: dt.date
    name: str | None = None
    partner: str | None = None
    partnership: str | None = None
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    verified_hours: float | None = None
    sessions: int | None = None
    skills: list[VerifiedSkill] | None = None
    revoked_on: dt.date | None = None
    revoked_reason: str | None = None
    keys_url: str | None = None
