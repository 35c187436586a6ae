"""A generated, seeded history for the impact report's auditor and attacker tests.

Sessions every week of 2026 (some cancelled, some with a need of their own), assignments
in every status, some accepted in time, some hand-assigned after the session was over;
attendance; dated job-seeking history from registration, profile changes and follow-ups;
follow-up consents, some withdrawn (answers deleted as the service does); anonymised
volunteers (through the privacy service itself); certificates; published and unpublished
match runs with shortages, one on a cancelled session.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from typing import Any

from sqlalchemy import delete, select

from service_support import World
from volunteers.accounts.security import new_token
from volunteers.db.models import (
    Assignment,
    AssignmentEvent,
    AssignmentStatus,
    Attendance,
    Certificate,
    CertificateStatus,
    Consent,
    Endorsement,
    FollowUp,
    JobSeekingStatus,
    MatchRun,
    MatchRunStatus,
    Membership,
    Role,
    Session,
    SessionParticipants,
    SessionStatus,
    Situation,
    Skill,
    StaffingNeed,
    Training,
    User,
    VolunteerProfile,
)
from volunteers.privacy.services import anonymise

UTC = dt.UTC
HELPED = ("skills", "reference", "contact", "certificate")
REASONS = ("not_available", "no_valid_check", "missing_skill", "missing_language", "weekly_cap")


def generate(world: World, seed: int, volunteers: int = 70) -> Any:
    """An `arrange(db)` for run_db that writes the history."""

    async def arrange(db: Any) -> None:
        rnd = random.Random(seed)
        pid = world.partnership_id
        football, circle = world.activities["football"], world.activities["circle"]
        db.add_all(
            [
                StaffingNeed(activity_id=football, role="coach", count=3),
                StaffingNeed(activity_id=football, role="helper", count=1),
                StaffingNeed(activity_id=circle, role="helper", count=2),
                StaffingNeed(activity_id=circle, role="host", count=1),
            ]
        )
        profiles: list[VolunteerProfile] = []
        users: dict[uuid.UUID, User] = {}
        statuses: dict[tuple[uuid.UUID, dt.date], tuple[bool, str]] = {}
        for i in range(volunteers):
            u = User(email=f"gen{i}@test.samverka.se", password_hash="x", display_name=f"Gen {i}")
            db.add(u)
            await db.flush()
            db.add(Membership(user_id=u.id, partnership_id=pid, role=Role.VOLUNTEER))
            born = dt.date(rnd.randint(1955, 2010), rnd.randint(1, 12), rnd.randint(1, 28))
            created = dt.datetime(2025, 6, 1, tzinfo=UTC) + dt.timedelta(hours=rnd.randint(0, 24 * 330))
            v = VolunteerProfile(
                user_id=u.id,
                partnership_id=pid,
                first_name=f"Gen{i}",
                last_name="Test",
                birth_date=born,
                calendar_token=new_token(24),
                created_at=created,
            )
            db.add(v)
            await db.flush()
            profiles.append(v)
            users[v.id] = u
            if rnd.random() < 0.8:  # answered the question at registration
                statuses[(v.id, created.date())] = (rnd.random() < 0.5, "registration")
            if rnd.random() < 0.2:  # changed it in the profile later
                statuses[(v.id, created.date() + dt.timedelta(days=rnd.randint(1, 200)))] = (
                    rnd.random() < 0.5,
                    "profile",
                )
        # Sessions: football on Tuesdays, the circle on Thursdays, all of 2026 up to August.
        sessions: list[Session] = []
        day = dt.date(2025, 12, 30)
        while day < dt.date(2026, 8, 31):
            for activity, offset in ((football, 0), (circle, 2)):
                start = dt.datetime.combine(day + dt.timedelta(days=offset), dt.time(15, 30), tzinfo=UTC)
                status = SessionStatus.CANCELLED if rnd.random() < 0.1 else SessionStatus.SCHEDULED
                s = Session(activity_id=activity, starts_at=start, ends_at=start + dt.timedelta(hours=2), status=status)
                db.add(s)
                sessions.append(s)
            day += dt.timedelta(days=7)
        await db.flush()
        for s in rnd.sample(sessions, 8):  # a need of the session's own, replacing the activity's
            role = "coach" if s.activity_id == football else "helper"
            db.add(StaffingNeed(activity_id=s.activity_id, session_id=s.id, role=role, count=rnd.randint(1, 5)))
        assignments: list[Assignment] = []
        events: list[AssignmentEvent] = []
        attendance: list[Attendance] = []
        weights = [
            (AssignmentStatus.COMPLETED, 60),
            (AssignmentStatus.NO_SHOW, 8),
            (AssignmentStatus.DECLINED, 8),
            (AssignmentStatus.CANCELLED, 6),
            (AssignmentStatus.ACCEPTED, 8),
            (AssignmentStatus.CONFIRMED, 5),
            (AssignmentStatus.PROPOSED, 5),
        ]
        for s in sessions:
            for v in rnd.sample(profiles, rnd.randint(0, 6)):
                status = rnd.choices([w[0] for w in weights], [w[1] for w in weights])[0]
                role = rnd.choice(["coach", "helper"] if s.activity_id == football else ["helper", "host"])
                a = Assignment(
                    id=uuid.uuid4(),
                    session_id=s.id,
                    volunteer_id=v.id,
                    role=role,
                    status=status,
                    starts_at=s.starts_at,
                    ends_at=s.ends_at,
                )
                assignments.append(a)
                late = rnd.random() < 0.15  # proposed by hand after the session was over
                offered = s.starts_at + (dt.timedelta(hours=3) if late else -dt.timedelta(days=rnd.randint(2, 20)))
                events.append(AssignmentEvent(assignment_id=a.id, to_status="proposed", created_at=offered))
                if status in (
                    AssignmentStatus.ACCEPTED,
                    AssignmentStatus.CONFIRMED,
                    AssignmentStatus.COMPLETED,
                    AssignmentStatus.NO_SHOW,
                    AssignmentStatus.CANCELLED,
                ):
                    if not late:
                        said_yes = offered + dt.timedelta(hours=rnd.randint(1, 40))
                        events.append(AssignmentEvent(assignment_id=a.id, to_status="accepted", created_at=said_yes))
                if status in (AssignmentStatus.COMPLETED, AssignmentStatus.NO_SHOW):
                    came = status == AssignmentStatus.COMPLETED
                    attendance.append(
                        Attendance(
                            assignment_id=a.id,
                            attended=came,
                            minutes=rnd.choice([60, 90, 120, 150]) if came else 0,
                            confirmed_at=s.ends_at,
                        )
                    )
        db.add_all(assignments)
        await db.flush()
        db.add_all(events)
        db.add_all(attendance)
        # Children and young people the football leaders counted (cancelled sessions too: the
        # report leaves those out). A generator of its own keeps the rest of the history as it was.
        kids = random.Random(len(sessions))
        for s in sessions:
            if s.activity_id == football and kids.random() < 0.7:
                for group in ("7-12", "13-15", "16-19"):
                    n = kids.choice([0, 1, 2, 3, 6, 9, 14])
                    if n:
                        db.add(SessionParticipants(session_id=s.id, age_group=group, count=n))
        # Follow-ups, each dating the job-seeking history as the service does.
        answerers = rnd.sample(profiles, volunteers * 2 // 3)
        for v in answerers:
            db.add(Consent(user_id=v.user_id, kind="followup", wording_version="1", given_at=v.created_at))
            for _ in range(rnd.randint(1, 3)):
                on = dt.date(2025, 11, 1) + dt.timedelta(days=rnd.randint(0, 300))
                situation = rnd.choice(list(Situation))
                taken = select(FollowUp.id).where(FollowUp.volunteer_id == v.id, FollowUp.answered_on == on)
                if (await db.execute(taken)).first():
                    continue
                statuses[(v.id, on)] = (situation == Situation.LOOKING_FOR_WORK, "follow_up")
                db.add(
                    FollowUp(
                        volunteer_id=v.id,
                        answered_on=on,
                        situation=situation,
                        helped=sorted(rnd.sample(HELPED, rnd.randint(0, 3))),
                        comment="private words",
                        certificate_used=rnd.choice([None, True, False]),
                    )
                )
                await db.flush()
        db.add_all(
            JobSeekingStatus(volunteer_id=vid, since=on, seeking=seeking, source=source)
            for (vid, on), (seeking, source) in statuses.items()
        )
        await db.flush()
        # Learning goals, endorsements (some of a goal's skill) and trainings.
        codes = list((await db.execute(select(Skill.code).order_by(Skill.code).limit(12))).scalars())
        for v in rnd.sample(profiles, len(profiles) // 2):
            v.learning_goals = sorted(rnd.sample(codes, 2))
        for _ in range(volunteers):
            v = rnd.choice(profiles)
            at = dt.datetime(2025, 12, 1, 12, tzinfo=UTC) + dt.timedelta(days=rnd.randint(0, 240))
            code = rnd.choice(v.learning_goals or codes) if rnd.random() < 0.7 else rnd.choice(codes)
            db.add(Endorsement(volunteer_id=v.id, skill_code=code, note="", created_at=at))
        for _ in range(volunteers // 2):
            on = dt.date(2025, 12, 1) + dt.timedelta(days=rnd.randint(0, 240))
            db.add(Training(volunteer_id=rnd.choice(profiles).id, name="Kurs", issuer="ABF", completed_on=on))
        await db.flush()
        now = dt.datetime(2026, 11, 1, tzinfo=UTC)
        # Withdrawn consent: the service deletes the answers and the statuses they gave.
        for v in answerers[: max(1, volunteers // 12)]:
            for c in (await db.execute(select(Consent).where(Consent.user_id == v.user_id))).scalars():
                c.withdrawn_at = now
            await db.execute(delete(FollowUp).where(FollowUp.volunteer_id == v.id))
            await db.execute(
                delete(JobSeekingStatus).where(
                    JobSeekingStatus.volunteer_id == v.id, JobSeekingStatus.source == "follow_up"
                )
            )
        for v in rnd.sample(profiles[1:], max(1, volunteers // 17)):  # erased through the privacy service
            await anonymise(db, v, users[v.id], now)
        for i in range(14):
            issued = dt.datetime(2025, 12, 1, 10, tzinfo=UTC) + dt.timedelta(days=rnd.randint(0, 240))
            revoked = issued + dt.timedelta(days=rnd.randint(1, 60)) if rnd.random() < 0.4 else None
            db.add(
                Certificate(
                    public_id=f"gen-{seed}-{i}",
                    volunteer_id=rnd.choice(profiles).id,
                    partnership_id=pid,
                    issued_at=issued,
                    language="sv",
                    key_id="k",
                    content_sha256="0" * 64,
                    verified_minutes=600,
                    status=CertificateStatus.REVOKED if revoked else CertificateStatus.VALID,
                    revoked_at=revoked,
                )
            )
        held = [s for s in sessions if s.starts_at < dt.datetime(2026, 7, 1, tzinfo=UTC)]
        for k, status in enumerate([MatchRunStatus.PUBLISHED] * 3 + [MatchRunStatus.DONE]):
            targets = rnd.sample(held, 25) + [s for s in sessions if s.status == SessionStatus.CANCELLED][:1]
            shortages = []
            for s in targets:
                if rnd.random() < 0.6:
                    reasons = [
                        {"code": code, "count": rnd.randint(1, 9), "message": "-"}
                        for code in rnd.sample(REASONS, rnd.randint(0, 3))
                    ]
                    shortages.append(
                        {"shift": str(s.id), "role": "helper", "missing": rnd.randint(1, 3), "reasons": reasons}
                    )
            db.add(
                MatchRun(
                    partnership_id=pid,
                    period_start=dt.date(2026, 1, 1),
                    period_end=dt.date(2026, 6, 30),
                    session_ids=[str(s.id) for s in targets],
                    status=status,
                    plan={"assignments": [], "shortages": shortages},
                    published_at=dt.datetime(2025, 12, 1 + k, tzinfo=UTC)
                    if status == MatchRunStatus.PUBLISHED
                    else None,
                )
            )
        await db.flush()

    return arrange
