"""What the activities API reads and writes."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Literal

import msgspec

from volunteers import limits

Kind = Literal["study_circle", "sport", "workshop", "culture", "other"]
Target = Literal["children", "youth", "adults", "seniors", "mixed"]
SkillCode = Annotated[str, msgspec.Meta(pattern=r"^[a-z0-9_]{2,80}$")]
LanguageCode = Annotated[str, msgspec.Meta(pattern=r"^[a-z]{2,3}$")]
RoleName = limits.RequiredLine80


class Partnership(msgspec.Struct):
    id: uuid.UUID
    slug: str
    name: str
    area: str
    description: str
    timezone: str
    starts_on: dt.date | None
    ends_on: dt.date | None
    background_check_valid_days: int
    certificate_threshold_minutes: int


class Partner(msgspec.Struct):
    id: uuid.UUID
    partnership_id: uuid.UUID
    slug: str
    name: str
    description: str


class PartnerCreate(msgspec.Struct, forbid_unknown_fields=True):
    slug: Annotated[str, msgspec.Meta(pattern=r"^[a-z0-9-]{2,64}$")]
    name: limits.RequiredLine200
    description: limits.Text2000 = ""


class PartnerUpdate(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    name: limits.RequiredLine200 | None = None
    description: limits.Text2000 | None = None


class TaskDone(msgspec.Struct, forbid_unknown_fields=True):
    """How one of the activity's tasks reads on a certificate once done, in the past tense."""

    task: limits.RequiredLine200
    sv: limits.Line200 = ""
    en: limits.Line200 = ""


TasksDone = Annotated[list[TaskDone], msgspec.Meta(max_length=limits.MAX_LIST)]


class Activity(msgspec.Struct):
    id: uuid.UUID
    partnership_id: uuid.UUID
    partner_id: uuid.UUID
    partner_name: str
    name: str
    description: str
    kind: Kind
    target_group: Target
    place: str
    tasks: list[str]
    is_active: bool
    # A certificate's wording (empty: as written): the name in Swedish and English, and the tasks done.
    name_sv: str = ""
    name_en: str = ""
    tasks_done: list[TaskDone] = []


class ActivityCreate(msgspec.Struct, forbid_unknown_fields=True):
    partner_id: uuid.UUID
    name: limits.RequiredLine200
    kind: Kind
    target_group: Target
    place: limits.Line200 = ""
    description: limits.Text4000 = ""
    tasks: Annotated[list[limits.RequiredLine200], msgspec.Meta(max_length=limits.MAX_LIST)] = []
    name_sv: limits.Line200 = ""
    name_en: limits.Line200 = ""
    tasks_done: TasksDone = []


class ActivityUpdate(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    name: limits.RequiredLine200 | None = None
    kind: Kind | None = None
    target_group: Target | None = None
    place: limits.Line200 | None = None
    description: limits.Text4000 | None = None
    tasks: Annotated[list[limits.RequiredLine200], msgspec.Meta(max_length=limits.MAX_LIST)] | None = None
    name_sv: limits.Line200 | None = None
    name_en: limits.Line200 | None = None
    tasks_done: TasksDone | None = None
    is_active: bool | None = None
    confirm: bool = False  # apply even if held people must be released (409 lists them otherwise)


class Need(msgspec.Struct):
    id: uuid.UUID
    activity_id: uuid.UUID
    session_id: uuid.UUID | None
    role: str
    count: int
    skills: list[str]
    languages: list[str]
    min_age: int | None
    priority: int
    develops: list[str]
    # The role's name on a certificate in Swedish and English (empty: `role` as written).
    role_sv: str = ""
    role_en: str = ""


class NeedCreate(msgspec.Struct, forbid_unknown_fields=True):
    role: RoleName
    count: Annotated[int, msgspec.Meta(ge=1, le=50)] = 1
    skills: Annotated[list[SkillCode], msgspec.Meta(max_length=limits.MAX_LIST)] = []
    languages: Annotated[list[LanguageCode], msgspec.Meta(max_length=limits.MAX_LIST)] = []
    min_age: Annotated[int, msgspec.Meta(ge=13, le=100)] | None = None
    priority: Annotated[int, msgspec.Meta(ge=1, le=10)] = 1
    develops: Annotated[list[SkillCode], msgspec.Meta(max_length=limits.MAX_LIST)] = []
    role_sv: limits.Line80 = ""
    role_en: limits.Line80 = ""
    confirm: bool = False  # apply even if held people must be released (409 lists them otherwise)


class NeedUpdate(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    count: Annotated[int, msgspec.Meta(ge=1, le=50)] | None = None
    skills: Annotated[list[SkillCode], msgspec.Meta(max_length=limits.MAX_LIST)] | None = None
    languages: Annotated[list[LanguageCode], msgspec.Meta(max_length=limits.MAX_LIST)] | None = None
    min_age: Annotated[int, msgspec.Meta(ge=13, le=100)] | None = None
    clear_min_age: bool = False
    priority: Annotated[int, msgspec.Meta(ge=1, le=10)] | None = None
    develops: Annotated[list[SkillCode], msgspec.Meta(max_length=limits.MAX_LIST)] | None = None
    role_sv: limits.Line80 | None = None
    role_en: limits.Line80 | None = None
    confirm: bool = False  # apply even if held people must be released (409 lists them otherwise)


class Recurrence(msgspec.Struct, forbid_unknown_fields=True):
    """Every `weekday` from `start_time` to `end_time` (local), from `first_date` to `last_date`."""

    weekday: Annotated[int, msgspec.Meta(ge=0, le=6, description="0 = Monday")]
    start_time: limits.ClockTime
    end_time: limits.ClockTime
    first_date: dt.date
    last_date: dt.date
    every_weeks: Annotated[int, msgspec.Meta(ge=1, le=8)] = 1

    def __post_init__(self) -> None:
        limits.check_dates(self)


class SessionCreate(msgspec.Struct, forbid_unknown_fields=True):
    """One session (`starts_at`/`ends_at`) or a weekly series (`recurrence`)."""

    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None
    recurrence: Recurrence | None = None
    note: limits.Text1000 = ""

    def __post_init__(self) -> None:
        limits.check_dates(self)


class SessionUpdate(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None
    status: Literal["scheduled", "cancelled"] | None = None
    note: limits.Text1000 | None = None
    confirm: bool = False  # apply even if held people must be released (409 lists them otherwise)

    def __post_init__(self) -> None:
        limits.check_dates(self)


class SessionOut(msgspec.Struct):
    id: uuid.UUID
    activity_id: uuid.UUID
    activity_name: str
    partner_id: uuid.UUID
    kind: Kind
    target_group: Target
    place: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    status: str
    note: str
    series_id: uuid.UUID | None
