"""The facts a certificate states, checked once when they are put together."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal, cast

from certificates.catalogue import load_catalogue
from certificates.errors import CertificateDataError

Language = Literal["sv", "en"]
AssessedBy = Literal["leader", "self"]

LANGUAGES: tuple[Language, ...] = ("sv", "en")
MIN_SKILLS = 3
MAX_SKILLS = 8
# The page wording a new certificate is rendered and verified with (see page.py).
PAGE_VERSION = 3
_ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


@dataclass(frozen=True, slots=True)
class Activity:
    """An activity the volunteer took part in: a football group, a study circle."""

    name: str
    kind: str
    target_group: str
    place: str


@dataclass(frozen=True, slots=True)
class Training:
    """A training the volunteer completed, such as first aid."""

    name: str
    issuer: str
    completed_on: date


@dataclass(frozen=True, slots=True)
class Skill:
    """An ESCO skill the certificate states, and who assessed it."""

    code: str
    label_en: str
    label_sv: str
    esco_uri: str
    key_competence: str
    assessed_by: AssessedBy
    endorsements: int = 0

    @classmethod
    def from_catalogue(cls, code: str, assessed_by: AssessedBy, endorsements: int = 0) -> Skill:
        """Build a skill from the shipped ESCO catalogue by its project code."""
        entry = load_catalogue().skill(code)
        return cls(
            code=entry.code,
            label_en=entry.label_en,
            label_sv=entry.label_sv_project,
            esco_uri=entry.esco_uri,
            key_competence=entry.key_competence,
            assessed_by=assessed_by,
            endorsements=endorsements,
        )


@dataclass(frozen=True, slots=True)
class Referee:
    """Someone an employer may call; shown only when they agreed to it."""

    name: str
    contact: str
    consented: bool


@dataclass(frozen=True, slots=True)
class Reference:
    """A leader's own words about the volunteer's work, written and approved by that leader.

    `contact` is a way to reach the leader, given only with the leader's consent ("" for none).
    `language` is the language the leader wrote in ("" if not recorded): the words are
    printed as written, and a page in the other language says which language they are in.
    """

    text: str
    name: str
    role: str
    partner: str
    contact: str = ""
    language: str = ""


@dataclass(frozen=True, slots=True)
class CertificateData:
    """Everything one certificate says, in the volunteer's chosen language.

    The service assembles it from verified attendance; the library only checks that it
    is coherent. There is deliberately no field for background checks.
    """

    id: str
    issued_on: date
    language: Language
    issuer_url: str
    partner: str
    partnership: str
    signatory_name: str
    signatory_role: str
    volunteer_name: str
    birth_date: date
    roles: tuple[str, ...]
    activities: tuple[Activity, ...]
    period_start: date
    period_end: date
    verified_minutes: int
    sessions: int
    tasks: tuple[str, ...]
    trainings: tuple[Training, ...]
    skills: tuple[Skill, ...]
    verify_url: str
    referee: Referee | None = None
    # Since page version 2: the partnership's partners by name, the verified minutes of
    # each role (in the order of `roles`), a leader's reference and the address of the
    # page that tells an employer how to check a certificate. An empty signatory name
    # means the partnership issues it without naming anyone.
    partners: tuple[str, ...] = ()
    role_minutes: tuple[int, ...] = ()
    reference: Reference | None = None
    check_url: str = ""
    # Since page version 3: of `verified_minutes`, the time the volunteer reported herself
    # (preparation, a trip) and a leader approved; the rest is attended sessions.
    own_minutes: int = 0
    page_version: int = PAGE_VERSION

    def __post_init__(self) -> None:
        _check(bool(_ID_PATTERN.fullmatch(self.id)), "id", "letters, digits, . _ - only")
        _check(self.language in LANGUAGES, "language", "must be 'sv' or 'en'")
        _check(self.issuer_url.startswith(("https://", "http://")), "issuer_url", "not a URL")
        _check(self.verify_url.startswith(("https://", "http://")), "verify_url", "not a URL")
        for name in ("partner", "partnership", "volunteer_name"):
            _check(bool(getattr(self, name).strip()), name, "must not be empty")
        _check(self.period_start <= self.period_end, "period_end", "before period_start")
        _check(self.birth_date < self.period_start, "birth_date", "after period_start")
        _check(self.verified_minutes > 0, "verified_minutes", "must be positive")
        _check(self.sessions > 0, "sessions", "must be positive")
        _check(bool(self.roles), "roles", "at least one role")
        _check(bool(self.activities), "activities", "at least one activity")
        _check(
            MIN_SKILLS <= len(self.skills) <= MAX_SKILLS,
            "skills",
            f"between {MIN_SKILLS} and {MAX_SKILLS} skills, got {len(self.skills)}",
        )
        codes = [skill.code for skill in self.skills]
        _check(len(set(codes)) == len(codes), "skills", "a skill is listed twice")
        catalogue = load_catalogue()
        for skill in self.skills:
            _check(
                skill.key_competence in catalogue.key_competences,
                "skills",
                f"{skill.code}: unknown key competence {skill.key_competence!r}",
            )
            _check(skill.assessed_by in ("leader", "self"), "skills", "assessed_by")
            _check(skill.endorsements >= 0, "skills", "negative endorsements")
        if self.referee is not None:
            _check(self.referee.consented, "referee", "shown only with the referee's consent")
        _check(
            not self.role_minutes or len(self.role_minutes) == len(self.roles),
            "role_minutes",
            "one figure for each role",
        )
        _check(all(m > 0 for m in self.role_minutes), "role_minutes", "must be positive")
        if self.reference is not None:
            for name in ("text", "name", "role", "partner"):
                _check(bool(getattr(self.reference, name).strip()), f"reference.{name}", "must not be empty")
        if self.reference is not None:
            _check(self.reference.language in ("", *LANGUAGES), "reference.language", "must be '', 'sv' or 'en'")
        _check(0 <= self.own_minutes < self.verified_minutes, "own_minutes", "between 0 and the verified minutes")
        _check(not self.check_url or self.check_url.startswith(("https://", "http://")), "check_url", "not a URL")

    @property
    def verified_hours(self) -> Decimal:
        """Verified time in hours as the page states it: to a tenth, halves rounded up."""
        return hours_from_minutes(self.verified_minutes)

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> CertificateData:
        """Read the JSON form (as written by `to_dict`); skills may give just a code."""
        known = set(cls.__dataclass_fields__)
        unknown = set(raw) - known
        _check(not unknown, ", ".join(sorted(unknown)), "unknown field")
        try:
            referee_raw = raw.get("referee")
            return cls(
                id=str(raw["id"]),
                issued_on=_date(raw["issued_on"]),
                language=cast(Language, raw["language"]),
                issuer_url=str(raw["issuer_url"]),
                partner=str(raw["partner"]),
                partnership=str(raw["partnership"]),
                signatory_name=str(raw["signatory_name"]),
                signatory_role=str(raw["signatory_role"]),
                volunteer_name=str(raw["volunteer_name"]),
                birth_date=_date(raw["birth_date"]),
                roles=tuple(str(role) for role in raw["roles"]),
                activities=tuple(Activity(**item) for item in raw["activities"]),
                period_start=_date(raw["period_start"]),
                period_end=_date(raw["period_end"]),
                verified_minutes=int(raw["verified_minutes"]),
                sessions=int(raw["sessions"]),
                tasks=tuple(str(task) for task in raw.get("tasks", ())),
                trainings=tuple(
                    Training(
                        name=item["name"],
                        issuer=item["issuer"],
                        completed_on=_date(item["completed_on"]),
                    )
                    for item in raw.get("trainings", ())
                ),
                skills=tuple(_skill(item) for item in raw["skills"]),
                verify_url=str(raw["verify_url"]),
                referee=Referee(**referee_raw) if referee_raw else None,
                partners=tuple(str(p) for p in raw.get("partners", ())),
                role_minutes=tuple(int(m) for m in raw.get("role_minutes", ())),
                reference=Reference(**raw["reference"]) if raw.get("reference") else None,
                check_url=str(raw.get("check_url", "")),
                own_minutes=int(raw.get("own_minutes", 0)),
                page_version=int(raw.get("page_version", PAGE_VERSION)),
            )
        except KeyError as exc:
            raise CertificateDataError(str(exc.args[0]), "missing") from exc
        except (TypeError, ValueError) as exc:
            raise CertificateDataError("certificate", str(exc)) from exc

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: dates as ISO strings, nested records as objects."""
        return {
            "id": self.id,
            "issued_on": self.issued_on.isoformat(),
            "language": self.language,
            "issuer_url": self.issuer_url,
            "partner": self.partner,
            "partnership": self.partnership,
            "signatory_name": self.signatory_name,
            "signatory_role": self.signatory_role,
            "volunteer_name": self.volunteer_name,
            "birth_date": self.birth_date.isoformat(),
            "roles": list(self.roles),
            "activities": [
                {"name": a.name, "kind": a.kind, "target_group": a.target_group, "place": a.place}
                for a in self.activities
            ],
            "period_start": self.period_start.isoformat(),
            "period_end": self.period_end.isoformat(),
            "verified_minutes": self.verified_minutes,
            "sessions": self.sessions,
            "tasks": list(self.tasks),
            "trainings": [
                {"name": t.name, "issuer": t.issuer, "completed_on": t.completed_on.isoformat()} for t in self.trainings
            ],
            "skills": [
                {
                    "code": s.code,
                    "label_en": s.label_en,
                    "label_sv": s.label_sv,
                    "esco_uri": s.esco_uri,
                    "key_competence": s.key_competence,
                    "assessed_by": s.assessed_by,
                    "endorsements": s.endorsements,
                }
                for s in self.skills
            ],
            "verify_url": self.verify_url,
            "referee": (
                None
                if self.referee is None
                else {"name": self.referee.name, "contact": self.referee.contact, "consented": self.referee.consented}
            ),
            "partners": list(self.partners),
            "role_minutes": list(self.role_minutes),
            "reference": (
                None
                if self.reference is None
                else {
                    "text": self.reference.text,
                    "name": self.reference.name,
                    "role": self.reference.role,
                    "partner": self.reference.partner,
                    "contact": self.reference.contact,
                    "language": self.reference.language,
                }
            ),
            "check_url": self.check_url,
            "own_minutes": self.own_minutes,
            "page_version": self.page_version,
        }


def _skill(item: Mapping[str, Any]) -> Skill:
    if set(item) <= {"code", "assessed_by", "endorsements"}:
        return Skill.from_catalogue(
            str(item["code"]),
            cast(AssessedBy, item["assessed_by"]),
            int(item.get("endorsements", 0)),
        )
    return Skill(**item)


def _date(value: object) -> date:
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _check(ok: bool, field_name: str, problem: str) -> None:
    if not ok:
        raise CertificateDataError(field_name, problem)


def hours_from_minutes(minutes: int) -> Decimal:
    """Minutes as hours to one decimal, halves rounded up: 5130 -> 85.5, 57 -> 1.0."""
    return (Decimal(minutes) / 60).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
