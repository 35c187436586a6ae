"""What the accounts API reads and writes."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

import msgspec

from volunteers import limits

# No space or control character in an address. The class names them besides \s because
# Python's \s and the OpenAPI document's (ECMA) \s differ (U+001C..U+001F, U+0085, U+FEFF),
# and a client that follows the document must be accepted.
_ADDR = r"[^@\s\x00-\x20\x7f-\x9f\ufeff]+"
Email = Annotated[str, msgspec.Meta(min_length=3, max_length=320, pattern=rf"^{_ADDR}@{_ADDR}\.{_ADDR}$")]
Name = limits.Name
Password = Annotated[str, msgspec.Meta(max_length=256)]
LanguageCode = Annotated[str, msgspec.Meta(pattern=r"^[a-z]{2,3}$")]


class Registration(msgspec.Struct, forbid_unknown_fields=True):
    partnership: limits.RequiredLine64
    email: Email
    password: Password
    first_name: Name
    last_name: Name
    birth_date: dt.date
    consent: bool
    consent_version: limits.RequiredLine40 = "2026-1"
    locale: Annotated[str, msgspec.Meta(pattern="^(sv|en)$")] = "sv"
    languages: Annotated[list[LanguageCode], msgspec.Meta(max_length=limits.MAX_LIST)] = []
    phone: limits.Line40 = ""
    guardian_name: limits.Line200 = ""
    guardian_contact: limits.Line200 = ""
    guardian_consent: bool = False
    # "Are you looking for work?" asked at registration: the first row of the dated
    # history the impact report counts job seekers from (None: not answered).
    seeking_work: bool | None = None

    def __post_init__(self) -> None:
        limits.check_dates(self, earliest={"birth_date": limits.FIRST_BIRTH_DAY})


class Login(msgspec.Struct, forbid_unknown_fields=True):
    email: Annotated[str, msgspec.Meta(max_length=320)]
    password: Password


class MembershipOut(msgspec.Struct):
    partnership_id: uuid.UUID
    role: str
    partner_id: uuid.UUID | None


class Me(msgspec.Struct):
    id: uuid.UUID
    email: str
    display_name: str
    locale: str
    roles: list[str]
    memberships: list[MembershipOut]
    volunteer_profile_id: uuid.UUID | None


class ResetRequest(msgspec.Struct, forbid_unknown_fields=True):
    email: Email
    locale: Annotated[str, msgspec.Meta(pattern="^(sv|en)$")] = "sv"


class ResetCompletion(msgspec.Struct, forbid_unknown_fields=True):
    token: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    password: Password


class EmailConfirmation(msgspec.Struct, forbid_unknown_fields=True):
    token: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]


class PasswordChange(msgspec.Struct, forbid_unknown_fields=True):
    current_password: Password
    new_password: Password


class EmailChange(msgspec.Struct, forbid_unknown_fields=True):
    password: Password
    new_email: Email
