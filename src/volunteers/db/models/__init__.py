"""Every table of Samverka, for the whole of DESIGN.md."""

from __future__ import annotations

from .accounts import AccountToken, AuthSession, Consent, LoginThrottle, Membership, Partner, Partnership, User
from .activities import Activity, Session, StaffingNeed
from .base import Base, metadata
from .choosing import OwnHours, PlaceOffer, WaitingListEntry
from .enums import (
    ActivityKind,
    AssignmentStatus,
    CertificateStatus,
    ExceptionKind,
    MatchRunStatus,
    Role,
    SessionStatus,
    Situation,
    SkillSource,
    TargetGroup,
)
from .experience import Attendance, Certificate, Endorsement, FollowUp, Training
from .goals import LearningGoalTarget
from .invitations import Invitation
from .people import (
    AvailabilityException,
    AvailabilityRule,
    BackgroundCheck,
    KeyCompetence,
    Skill,
    VolunteerProfile,
    VolunteerSkill,
)
from .references import Reference
from .reporting import PARTICIPANT_AGE_GROUPS, JobSeekingStatus, PublishedReport, ReportGoal, SessionParticipants
from .staffing import Assignment, AssignmentEvent, Exclusion, MatchRun
from .system import AuditEntry, OutboxMessage, change_counter

__all__ = [
    "PARTICIPANT_AGE_GROUPS",
    "AccountToken",
    "Activity",
    "ActivityKind",
    "Assignment",
    "AssignmentEvent",
    "AssignmentStatus",
    "Attendance",
    "AuditEntry",
    "AuthSession",
    "AvailabilityException",
    "AvailabilityRule",
    "BackgroundCheck",
    "Base",
    "Certificate",
    "CertificateStatus",
    "Consent",
    "Endorsement",
    "ExceptionKind",
    "Exclusion",
    "FollowUp",
    "Invitation",
    "JobSeekingStatus",
    "KeyCompetence",
    "LearningGoalTarget",
    "LoginThrottle",
    "MatchRun",
    "MatchRunStatus",
    "Membership",
    "OutboxMessage",
    "OwnHours",
    "Partner",
    "Partnership",
    "PlaceOffer",
    "PublishedReport",
    "Reference",
    "ReportGoal",
    "Role",
    "Session",
    "SessionParticipants",
    "SessionStatus",
    "Situation",
    "Skill",
    "SkillSource",
    "StaffingNeed",
    "TargetGroup",
    "Training",
    "User",
    "VolunteerProfile",
    "VolunteerSkill",
    "WaitingListEntry",
    "change_counter",
    "metadata",
]
