"""What the follow-up API reads and writes."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Literal

import msgspec

from volunteers import limits

SituationName = Literal[
    "working",
    "supported_employment",
    "internship",
    "labour_market_programme",
    "studying",
    "looking_for_work",
    "other",
]
HelpedName = Literal["skills", "reference", "contact", "certificate"]


class FollowUpIn(msgspec.Struct, forbid_unknown_fields=True):
    """An answer; `consent` must be true, naming the version of the consent wording shown."""

    situation: SituationName
    consent: bool
    wording_version: limits.RequiredLine40
    helped: Annotated[list[HelpedName], msgspec.Meta(max_length=limits.MAX_LIST)] = []
    comment: limits.Text1000 = ""
    # The reflection: what they learnt, and whether they used the certificate in an application or interview.
    learned: limits.Text1000 = ""
    certificate_used: bool | None = None


class FollowUpOut(msgspec.Struct):
    id: uuid.UUID
    answered_on: dt.date
    situation: str
    helped: list[str]
    comment: str
    learned: str = ""
    certificate_used: bool | None = None


class FollowUpHistory(msgspec.Struct):
    """The volunteer's own answers, newest first, and when the next one is due."""

    answers: list[FollowUpOut]
    consent_given: bool
    interval_months: int
    next_due: dt.date
