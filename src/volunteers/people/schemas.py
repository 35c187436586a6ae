"""What the people API reads and writes."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Literal

import msgspec

from volunteers import limits

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
    # Target dates the volunteer set for some of their learning goals (skill code -> day).
    learning_goal_targets: dict[str, dt.date] = msgspec.field(default_factory=dict)


class ProfileForLeader(msgspec.Struct):
    """What a leader sees of a volunteer assigned to their activity: what the session needs."""

    id: uuid.UUID
    first_name: str
    last_name: str
    phone: str
    languages: list[str]
    skills: list[str]


class GoalTargetIn(msgspec.Struct, forbid_unknown_fields=True):
    """The day by which the volunteer wants to reach one of their learning goals (null: no target)."""

    skill_code: SkillCode
    target_date: dt.date | None = None


class ProfileUpdate(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    first_name: limits.Name | None = None
    last_name: limits.Name | None = None
    phone: limits.Line40 | None = None
    languages: Annotated[list[LanguageCode], msgspec.Meta(max_length=limits.MAX_LIST)] | None = None
    skills: Annotated[list[SkillCode], msgspec.Meta(max_length=limits.MAX_LIST)] | None = None
    learning_goals: Annotated[list[SkillCode], msgspec.Meta(max_length=limits.MAX_LIST)] | None = None
    # A target date per learning goal: a date sets or changes it, null clears it; goals not named keep theirs.
    learning_goal_targets: Annotated[list[GoalTargetIn], msgspec.Meta(max_length=limits.MAX_LIST)] | None = None
    preferred_activity_kinds: Annotated[list[ActivityKindName], msgspec.Meta(max_length=5)] | None = None
    seeking_work: bool | None = None
    max_minutes_per_week: Annotated[int, msgspec.Meta(ge=0, le=7 * 24 * 60)] | None = None
    clear_max_minutes_per_week: bool = False
    locale: Literal["sv", "en"] | None = None
    # A coordinator's correction, sent alone (with confirm): the volunteer does not change it themself.
    birth_date: dt.date | None = None
    confirm: bool = False  # apply even if own held sessions must be released (409 lists them otherwise)

    def __post_init__(self) -> None:
        limits.check_dates(self, earliest={"birth_date": limits.FIRST_BIRTH_DAY})


class WeeklyRuleIn(msgspec.Struct, forbid_unknown_fields=True):
    weekday: Annotated[int, msgspec.Meta(ge=0, le=6, description="0 = Monday")]
    start_time: limits.ClockTime
    end_time: limits.ClockTime
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None

    def __post_init__(self) -> None:
        limits.check_dates(self)


class ExceptionIn(msgspec.Struct, forbid_unknown_fields=True):
    kind: Literal["away", "available"]
    date_from: dt.date
    date_to: dt.date
    start_time: limits.ClockTime | None = None
    end_time: limits.ClockTime | None = None
    note: limits.Line200 = ""

    def __post_init__(self) -> None:
        limits.check_dates(self)


class Availability(msgspec.Struct):
    rules: list[WeeklyRuleIn]
    exceptions: list[ExceptionIn]


class AvailabilityIn(msgspec.Struct, forbid_unknown_fields=True):
    rules: Annotated[list[WeeklyRuleIn], msgspec.Meta(max_length=limits.MAX_RULES)]
    exceptions: Annotated[list[ExceptionIn], msgspec.Meta(max_length=limits.MAX_EXCEPTIONS)] = []
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

    def __post_init__(self) -> None:
        limits.check_dates(self)


class BackgroundCheckCorrection(msgspec.Struct, forbid_unknown_fields=True):
    """The date the extract was really seen; its validity follows from it."""

    seen_on: dt.date
    confirm: bool = False  # apply even if held places must be released (409 lists them otherwise)

    def __post_init__(self) -> None:
        limits.check_dates(self)


class GuardianConsentIn(msgspec.Struct, forbid_unknown_fields=True):
    """A guardian's consent, as the coordinator records it: who gave it, to which wording."""

    given_by: limits.RequiredLine200
    wording_version: limits.RequiredLine40 = "2026-1"


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
