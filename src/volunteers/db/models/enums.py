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
    WORKING = "working"
    STUDYING = "studying"
    LOOKING_FOR_WORK = "looking_for_work"
    OTHER = "other"
