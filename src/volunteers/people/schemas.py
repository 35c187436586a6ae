"""What the people API reads and writes."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Literal

import msgspec

LanguageCode = Annotated[str, msgspec.Meta(pattern=r"^[a-z]{2,3}$")]
SkillCode = Annotated[str, msgspec.Meta(pattern=r"^[a-z0-9_]{2,80}$")]
ActivityKindName = Literal["study_circle", "sport", "workshop", "culture", "other"]


class Profile(msgspec.Struct):
    """A volunteer profile as its owner and coordinators see it."""

    id: uuid.UUID
    user_id: uuid.UUID
    partnership_id: uuid.UUID
    first_name: str
    last_name: str
    email: str
    phone: str
    birth_date: dt.date | None
    languages: list[str]
    skills: list[str]
    learning_goals: list[str]
    preferred_activity_kinds: list[str]
    seeking_work: bool
    max_minutes_per_week: int | None
    guardian_name: str
    guardian_consent: bool


class ProfileForLeader(msgspec.Struct):
    """What a leader sees of a volunteer assigned to their activity: what the session needs."""

    id: uuid.UUID
    first_name: str
    last_name: str
    phone: str
    languages: list[str]
    skills: list[str]


class ProfileUpdate(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    first_name: Annotated[str, msgspec.Meta(min_length=1, max_length=100)] | None = None
    last_name: Annotated[str, msgspec.Meta(min_length=1, max_length=100)] | None = None
    phone: Annotated[str, msgspec.Meta(max_length=40)] | None = None
    languages: list[LanguageCode] | None = None
    skills: list[SkillCode] | None = None
    learning_goals: list[SkillCode] | None = None
    preferred_activity_kinds: list[ActivityKindName] | None = None
    seeking_work: bool | None = None
    max_minutes_per_week: Annotated[int, msgspec.Meta(ge=0, le=7 * 24 * 60)] | None = None
    clear_max_minutes_per_week: bool = False
    locale: Literal["sv", "en"] | None = None
    confirm: bool = False  # apply even if own held sessions must be released (409 lists them otherwise)


class WeeklyRuleIn(msgspec.Struct, forbid_unknown_fields=True):
    weekday: Annotated[int, msgspec.Meta(ge=0, le=6, description="0 = Monday")]
    start_time: dt.time
    end_time: dt.time
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None


class ExceptionIn(msgspec.Struct, forbid_unknown_fields=True):
    kind: Literal["away", "available"]
    date_from: dt.date
    date_to: dt.date
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    note: Annotated[str, msgspec.Meta(max_length=200)] = ""


class Availability(msgspec.Struct):
    rules: list[WeeklyRuleIn]
    exceptions: list[ExceptionIn]


class AvailabilityIn(msgspec.Struct, forbid_unknown_fields=True):
    rules: list[WeeklyRuleIn]
    exceptions: list[ExceptionIn] = []
    confirm: bool = False  # apply even if own held sessions must be released (409 lists them otherwise)


class IntervalOut(msgspec.Struct):
    start: dt.datetime
    end: dt.datetime


class ExpandedAvailability(msgspec.Struct):
    timezone: str
    start: dt.date
    end: dt.date
    intervals: list[IntervalOut]


class BackgroundCheckIn(msgspec.Struct, forbid_unknown_fields=True):
    seen_on: dt.date


class BackgroundCheckOut(msgspec.Struct):
    id: uuid.UUID
    seen_on: dt.date
    seen_by: str
    valid_until: dt.date
    recorded_at: dt.datetime


class Skill(msgspec.Struct):
    code: str
    label_en: str
    label_sv: str
    esco_uri: str | None
    key_competence: str | None
    source: str
