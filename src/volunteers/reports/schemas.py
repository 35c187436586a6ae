"""What the reports API returns (msgspec Structs)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

import msgspec


class Count(msgspec.Struct):
    """A number of people; `value` is None when it is suppressed (fewer than 5)."""

    value: int | None
    suppressed: bool


class Cell(msgspec.Struct):
    """One cell of a breakdown: how many people, and the verified minutes they worked."""

    key: str
    label: str
    people: int | None
    minutes: int | None = None
    hours: float | None = None
    suppressed: bool = False
    hidden: str = ""  # why it is suppressed: "small" (1-4 people) or "complement" (to protect a small one)


class VolunteerFigures(msgspec.Struct):
    active: Count
    new: Count
    active_by_age_band: list[Cell]
    new_by_age_band: list[Cell]


class HourFigures(msgspec.Struct):
    total_minutes: int | None
    total_hours: float | None
    by_partner: list[Cell]
    by_activity_kind: list[Cell]
    by_target_group: list[Cell]
    by_month: list[Cell]
    by_age_band: list[Cell]


class FillCell(msgspec.Struct):
    key: str
    label: str
    sessions: int
    needed_slots: int
    filled_slots: int
    fill_rate: float | None


class SessionFigures(msgspec.Struct):
    held: int
    needed_slots: int
    filled_slots: int
    fill_rate: float | None
    by_partner: list[FillCell]


class ShortageReason(msgspec.Struct):
    code: str
    missing_slots: int
    shortages: int
    turned_away: int
    label: str = ""


class UnfilledDemand(msgspec.Struct):
    published_runs: int
    missing_slots: int
    by_reason: list[ShortageReason]


class JobSeekerOutcomes(msgspec.Struct):
    """Volunteers who were looking for work, and how many later reported work or studies."""

    looking_for_work: Count
    later_working_or_studying: Count
    share: float | None


class FollowUpFigures(msgspec.Struct):
    """Follow-up answers in the period, aggregated: nobody's own answer is shown."""

    respondents: Count
    latest_situation: list[Cell]
    helped: list[Cell]
    asked: Count  # the response rate's denominator
    response_rate: float | None
    certificate_used: Count


class LearningFigures(msgspec.Struct):
    """Volunteers who reached a learning goal (a leader endorsed the skill) or completed a training."""

    goals_reached: Count
    trainings_completed: Count


class CertificateFigures(msgspec.Struct):
    issued: Count
    revoked: Count


class Comparison(msgspec.Struct):
    """The previous period (as many whole months, just before) and retention into this one."""

    start: dt.date
    end: dt.date
    active: Count
    total_hours: float | None
    sessions_held: int
    retained: Count  # active in the previous period and in this one
    retention: float | None  # retained / active in the previous period


class HourValue(msgspec.Struct):
    """The verified hours valued at the partnership's own rate (kronor an hour, its setting)."""

    rate_sek: int
    value_sek: int | None  # None when the hours are hidden


class Goal(msgspec.Struct, forbid_unknown_fields=True):
    """A goal of the partnership: an indicator (a figure of the report) and the target it should reach."""

    label: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    indicator: Annotated[str, msgspec.Meta(max_length=64)]
    target: Annotated[float, msgspec.Meta(ge=0, le=1e9)]


class GoalResult(msgspec.Struct):
    label: str
    indicator: str
    indicator_name: str
    target: float
    value: float | None  # None: hidden, or no denominator
    met: bool | None


class Reach(msgspec.Struct):
    """Children and young people who took part in sessions (participations, counted by the leaders)."""

    total: Count
    by_age_group: list[Cell]


class ImpactReport(msgspec.Struct):
    """The impact report of a partnership for a period (both dates included)."""

    partnership_id: uuid.UUID
    partnership_name: str
    start: dt.date
    end: dt.date
    generated_at: dt.datetime
    min_cell: int
    volunteers: VolunteerFigures
    hours: HourFigures
    sessions: SessionFigures
    unfilled_demand: UnfilledDemand
    job_seekers: JobSeekerOutcomes
    follow_ups: FollowUpFigures
    certificates: CertificateFigures
    notes: list[str]
    learning: LearningFigures = msgspec.field(default_factory=lambda: LearningFigures(Count(0, False), Count(0, False)))
    previous: Comparison | None = None  # None in reports published before it was added
    hour_value: HourValue | None = None  # None: the partnership has set no rate
    goals: list[GoalResult] = msgspec.field(default_factory=list)
    reach: Reach | None = None  # None in reports published before it was added


class LearningGoal(msgspec.Struct):
    skill: str
    endorsed: bool


class JobSeeker(msgspec.Struct):
    """A volunteer who says in their profile that they are seeking work."""

    volunteer_id: uuid.UUID
    name: str
    email: str
    verified_minutes: int
    verified_hours: float
    endorsed_skills: list[str]
    trainings: list[str]
    certificate_status: str  # none, valid, revoked, withdrawn
    certificate_issued_at: dt.datetime | None
    learning_goals: list[LearningGoal]
    learning_goals_reached: int


class NearThreshold(msgspec.Struct):
    volunteer_id: uuid.UUID
    name: str
    verified_minutes: int
    threshold_minutes: int
    remaining_minutes: int


class NotOffered(msgspec.Struct):
    volunteer_id: uuid.UUID
    name: str
    registered_at: dt.datetime
    last_offered_at: dt.datetime | None
    days_since: int | None
