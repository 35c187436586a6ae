"""What the staffing API reads and writes."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any

import msgspec

RoleName = Annotated[str, msgspec.Meta(min_length=1, max_length=80)]
Reason = Annotated[str, msgspec.Meta(max_length=500)]


class RunCreate(msgspec.Struct, forbid_unknown_fields=True):
    """A match run for a partnership and a period of local dates (inclusive)."""

    partnership_id: uuid.UUID
    start: dt.date
    end: dt.date
    activity_ids: list[uuid.UUID] = []
    # Leave out for a limit that grows with the number of sessions (see solver.auto_time_limit).
    time_limit_seconds: Annotated[float, msgspec.Meta(gt=0, le=600)] | None = None


class StaffRequest(msgspec.Struct, forbid_unknown_fields=True):
    """A leader asks for people: one session, or an activity's sessions in a date range."""

    session_id: uuid.UUID | None = None
    activity_id: uuid.UUID | None = None
    start: dt.date | None = None
    end: dt.date | None = None


class ShortageReason(msgspec.Struct):
    code: str
    count: int | None
    message: str


class SlotReview(msgspec.Struct):
    role: str
    count: int
    proposed: list[str]
    kept: list[str]
    missing: int
    reasons: list[ShortageReason]


class SessionReview(msgspec.Struct):
    session_id: uuid.UUID
    activity_id: uuid.UUID
    activity_name: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    slots: list[SlotReview]


class Change(msgspec.Struct):
    session_id: uuid.UUID
    activity_name: str
    starts_at: dt.datetime
    volunteer_id: uuid.UUID
    volunteer_name: str
    role: str


class Changes(msgspec.Struct):
    added: list[Change]
    removed: list[Change]
    kept: int


class Run(msgspec.Struct):
    id: uuid.UUID
    partnership_id: uuid.UUID
    kind: str
    status: str
    start: dt.date
    end: dt.date
    activity_ids: list[str]
    session_ids: list[str]
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    published_at: dt.datetime | None
    error: str | None
    plan_status: str | None
    objective: dict[str, Any] | None
    stats: dict[str, Any] | None
    filled: int
    missing: int
    warnings: list[dict[str, str]]


class RunReview(msgspec.Struct):
    run: Run
    sessions: list[SessionReview]
    changes: Changes


class AssignmentOut(msgspec.Struct):
    id: uuid.UUID
    session_id: uuid.UUID
    activity_id: uuid.UUID
    activity_name: str
    place: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    role: str
    status: str
    volunteer_id: uuid.UUID
    can_cancel_until: dt.datetime | None


class DeclineIn(msgspec.Struct, forbid_unknown_fields=True):
    reason: Reason = ""


class HandAssignmentIn(msgspec.Struct, forbid_unknown_fields=True):
    volunteer_id: uuid.UUID
    role: RoleName


class RoleFill(msgspec.Struct):
    role: str
    count: int
    filled: int
    accepted: int
    proposed: int


class AssignedVolunteer(msgspec.Struct):
    assignment_id: uuid.UUID
    volunteer_id: uuid.UUID
    first_name: str
    last_name: str
    phone: str
    role: str
    status: str


class SessionStaffing(msgspec.Struct):
    session_id: uuid.UUID
    roles: list[RoleFill]
    assigned: list[AssignedVolunteer]


class ConfirmIn(msgspec.Struct, forbid_unknown_fields=True):
    """Apply a change although it releases held people or withdraws a newer plan (after seeing the 409)."""

    confirm: bool = False
