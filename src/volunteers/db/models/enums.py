"""The fixed vocabularies of the domain."""

from __future__ import annotations

import enum


class Role(enum.StrEnum):
    VOLUNTEER = "volunteer"
    LEADER = "leader"
    COORDINATOR = "coordinator"


class ActivityKind(enum.StrEnum):
    STUDY_CIRCLE = "study_circle"
    SPORT = "sport"
    WORKSHOP = "workshop"
    CULTURE = "culture"
    OTHER = "other"


class TargetGroup(enum.StrEnum):
    CHILDREN = "children"
    YOUTH = "youth"
    ADULTS = "adults"
    SENIORS = "seniors"
    MIXED = "mixed"

    @property
    def involves_minors(self) -> bool:
        """Whether the child-safety rule (background check) applies."""
        return self in (TargetGroup.CHILDREN, TargetGroup.YOUTH, TargetGroup.MIXED)


class SessionStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


class AssignmentStatus(enum.StrEnum):
    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    CONFIRMED = "confirmed"
    COMPLETED = "completed"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"

    @property
    def holds_slot(self) -> bool:
        """Whether an assignment in this status occupies its slot and its volunteer's time."""
        return self in (
            AssignmentStatus.PROPOSED,
            AssignmentStatus.ACCEPTED,
            AssignmentStatus.CONFIRMED,
            AssignmentStatus.COMPLETED,
        )


class ExceptionKind(enum.StrEnum):
    AWAY = "away"
    AVAILABLE = "available"


class SkillSource(enum.StrEnum):
    ESCO = "esco"
    PROJECT = "project"


class MatchRunStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    PUBLISHED = "published"


class CertificateStatus(enum.StrEnum):
    VALID = "valid"
    REVOKED = "revoked"
    WITHDRAWN = "withdrawn"


class Situation(enum.StrEnum):
    """A follow-up answer, in the categories of Arbetsförmedlingen's and SCB's statistics."""

    WORKING = "working"  # employed (arbete utan stöd)
    SUPPORTED_EMPLOYMENT = "supported_employment"  # anställning med stöd
    INTERNSHIP = "internship"  # praktik
    PROGRAMME = "labour_market_programme"  # arbetsmarknadspolitiskt program
    STUDYING = "studying"  # studier
    LOOKING_FOR_WORK = "looking_for_work"  # arbetssökande
    OTHER = "other"

    @property
    def in_work_or_studies(self) -> bool:
        """Whether the answer counts as "in work or studies" in the impact report."""
        return self in (Situation.WORKING, Situation.SUPPORTED_EMPLOYMENT, Situation.STUDYING)
