"""What the experience API reads and writes."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

import msgspec

from volunteers import limits

SkillCode = Annotated[str, msgspec.Meta(pattern=r"^[a-z0-9_]{2,80}$")]
MAX_ENTRIES = 200


class AttendanceEntry(msgspec.Struct, forbid_unknown_fields=True):
    """One assignment of the session: worked (and for how long) or not."""

    assignment_id: uuid.UUID
    attended: bool
    minutes: Annotated[int, msgspec.Meta(ge=0, le=24 * 60)] | None = msgspec.field(default=None)


class AttendanceIn(msgspec.Struct, forbid_unknown_fields=True):
    """The whole session at once: every assignment that was expected on it."""

    entries: Annotated[list[AttendanceEntry], msgspec.Meta(max_length=MAX_ENTRIES)]
    # Children and young people who took part, by age group ("0-6", "7-12", "13-15",
    # "16-19", "20-25"); None leaves what was recorded before unchanged.
    participants: (
        Annotated[
            dict[Annotated[str, msgspec.Meta(max_length=10)], Annotated[int, msgspec.Meta(ge=0, le=10000)]],
            msgspec.Meta(max_length=10),
        ]
        | None
    ) = None


class AttendanceOut(msgspec.Struct):
    assignment_id: uuid.UUID
    volunteer_id: uuid.UUID
    name: str
    role: str
    attended: bool
    minutes: int
    status: str


class SessionAttendance(msgspec.Struct):
    session_id: uuid.UUID
    confirmed_at: dt.datetime
    entries: list[AttendanceOut]


class EndorsementIn(msgspec.Struct, forbid_unknown_fields=True):
    skill_code: SkillCode
    session_id: uuid.UUID | None = None
    note: limits.Line200 = ""


class EndorsementOut(msgspec.Struct):
    id: uuid.UUID
    volunteer_id: uuid.UUID
    skill_code: str
    session_id: uuid.UUID | None
    activity_id: uuid.UUID | None
    note: str
    by: str
    created_at: dt.datetime


class TrainingIn(msgspec.Struct, forbid_unknown_fields=True):
    name: limits.RequiredLine200
    issuer: limits.RequiredLine200
    completed_on: dt.date
    # The name on a certificate in Swedish and English (empty: `name` as written).
    name_sv: limits.Line200 = ""
    name_en: limits.Line200 = ""

    def __post_init__(self) -> None:
        limits.check_dates(self)


class TrainingOut(msgspec.Struct):
    id: uuid.UUID
    name: str
    issuer: str
    completed_on: dt.date
    name_sv: str = ""
    name_en: str = ""


class Hours(msgspec.Struct):
    """Verified time in one group: minutes, the same in hours (to a tenth), and sessions."""

    key: str
    label: str
    minutes: int
    hours: float
    sessions: int


class Period(msgspec.Struct):
    start: dt.date
    end: dt.date


class SkillRef(msgspec.Struct):
    code: str
    label_en: str
    label_sv: str
    esco_uri: str | None


class EndorsedSkill(msgspec.Struct):
    skill: SkillRef
    endorsements: int
    notes: list[str]


class GoalProgress(msgspec.Struct):
    """A learning goal: how often leaders endorsed it, in how many sessions a role developed it, and
    whether it is reached (`developed`: a leader endorsed the skill)."""

    skill: SkillRef
    endorsements: int
    developing_sessions: int
    developed: bool
    # The volunteer's target date, and who endorsed the skill first and when (see experience.goals).
    target_date: dt.date | None = None
    reached_on: dt.date | None = None
    reached_by: str | None = None
    overdue: bool = False


class Experience(msgspec.Struct):
    """The experience record of a volunteer: only leader-confirmed time counts as verified."""

    volunteer_id: uuid.UUID
    name: str
    timezone: str
    verified_minutes: int
    verified_hours: float
    sessions: int
    no_shows: int
    period: Period | None
    by_kind: list[Hours]
    by_role: list[Hours]
    by_partner: list[Hours]
    by_month: list[Hours]
    endorsed_skills: list[EndorsedSkill]
    self_assessed_skills: list[SkillRef]
    trainings: list[TrainingOut]
    learning_goals: list[GoalProgress]
    certificate_threshold_minutes: int
    may_issue_certificate: bool
