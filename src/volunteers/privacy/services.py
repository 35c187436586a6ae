"""GDPR self-service: export everything about a volunteer; erase (anonymise) them; retention.

Erasure keeps a minimal work-history ledger (assignments and verified minutes on the
anonymised profile) because the partnership reports hours to the city; everything
that identifies the person is deleted, blanked or "[erased]" by the rules declared in
`privacy.rules` (applied by `privacy.erasure`); their certificates read `withdrawn` on
/verify (or stay `revoked`) with only the content hash kept, and they are logged out
everywhere. The export holds everything those rules cover.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import uuid
import zipfile
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.ext.asyncio import AsyncSession

from volunteers.accounts.actor import Actor
from volunteers.audit import audit
from volunteers.db.models import (
    Activity,
    Assignment,
    AssignmentEvent,
    Attendance,
    AuditEntry,
    AuthSession,
    AvailabilityException,
    AvailabilityRule,
    BackgroundCheck,
    Certificate,
    Consent,
    Endorsement,
    FollowUp,
    LearningGoalTarget,
    Membership,
    OutboxMessage,
    Partnership,
    Session,
    Training,
    User,
    VolunteerProfile,
)
from volunteers.errors import Forbidden, NotFound
from volunteers.privacy.erasure import audit_about, erase_people, erase_person, outbox_to, subject_of
from volunteers.privacy.rules import ERASED_NAME
from volunteers.privacy.run_export import her_part_of_runs
from volunteers.staffing.choosing_privacy import export_choices

__all__ = ["ERASED_NAME", "anonymise", "erase", "export", "retention_sweep"]


def _plain(row: Any, *skip: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    unloaded = sa_inspect(row).unloaded  # deferred columns (binary files): never loaded here
    for attr in sa_inspect(type(row)).column_attrs:
        if attr.key in skip or attr.key in unloaded or attr.key.startswith(("_", "sa_orm")):
            continue
        value = getattr(row, attr.key)
        if isinstance(value, uuid.UUID | dt.date | dt.datetime | dt.time):
            value = value.isoformat() if not isinstance(value, uuid.UUID) else str(value)
        elif isinstance(value, bytes):
            continue
        elif hasattr(value, "value"):
            value = value.value
        out[attr.key] = value
    return out


async def _subject(db: AsyncSession, actor: Actor, profile_id: uuid.UUID) -> tuple[VolunteerProfile, User]:
    row = (
        await db.execute(
            select(VolunteerProfile, User)
            .join(User, User.id == VolunteerProfile.user_id)
            .where(VolunteerProfile.id == profile_id)
        )
    ).first()
    if row is None:
        raise NotFound(f"volunteer {profile_id} not found")
    profile, user = row
    if actor.profile_id == profile.id:
        return profile, user
    if actor.is_coordinator(profile.partnership_id):
        return profile, user
    raise NotFound(f"volunteer {profile_id} not found")


async def export(db: AsyncSession, actor: Actor, profile_id: uuid.UUID, now: dt.datetime) -> bytes:
    """A zip with `samverka-export.json` (everything stored about the volunteer) and their certificate PDFs."""
    profile, user = await _subject(db, actor, profile_id)
    pid = profile.id

    async def rows(model: Any, *where: Any) -> list[Any]:
        return list((await db.execute(select(model).where(*where))).scalars())

    assignments = await rows(Assignment, Assignment.volunteer_id == pid)
    aids = [a.id for a in assignments]
    sessions = (
        {
            s.id: (s, a)
            for s, a in (
                await db.execute(
                    select(Session, Activity)
                    .join(Activity, Activity.id == Session.activity_id)
                    .where(Session.id.in_({a.session_id for a in assignments}))
                )
            ).all()
        }
        if assignments
        else {}
    )
    checks = (
        await db.execute(
            select(BackgroundCheck.seen_on, User.display_name)
            .outerjoin(User, User.id == BackgroundCheck.seen_by_id)
            .where(BackgroundCheck.profile_id == pid)
        )
    ).all()
    certificates = await rows(Certificate, Certificate.volunteer_id == pid)
    data: dict[str, Any] = {
        "format": "samverka-export/1",
        "exported_at": now.isoformat(),
        "account": _plain(user, "password_hash", "failed_logins", "locked_until"),
        "profile": _plain(profile),
        "skills_self_assessed": sorted(s.skill_code for s in profile.skills),
        "learning_goal_targets": [
            _plain(t) for t in await rows(LearningGoalTarget, LearningGoalTarget.profile_id == pid)
        ],
        "memberships": [_plain(m) for m in await rows(Membership, Membership.user_id == user.id)],
        "consents": [_plain(c) for c in await rows(Consent, Consent.user_id == user.id)],
        "availability_rules": [_plain(r) for r in await rows(AvailabilityRule, AvailabilityRule.profile_id == pid)],
        "availability_exceptions": [
            _plain(e) for e in await rows(AvailabilityException, AvailabilityException.profile_id == pid)
        ],
        "background_checks": [{"seen_on": d.isoformat(), "seen_by": name} for d, name in checks],
        "assignments": [
            {
                **_plain(a),
                "activity": sessions[a.session_id][1].name if a.session_id in sessions else None,
                "history": [_plain(e) for e in await rows(AssignmentEvent, AssignmentEvent.assignment_id == a.id)],
            }
            for a in assignments
        ],
        "attendance": [_plain(x) for x in await rows(Attendance, Attendance.assignment_id.in_(aids))] if aids else [],
        "endorsements": [_plain(e) for e in await rows(Endorsement, Endorsement.volunteer_id == pid)],
        "trainings": [_plain(t) for t in await rows(Training, Training.volunteer_id == pid)],
        "certificates": [_plain(c, "snapshot", "credential") for c in certificates],
        **await _held_elsewhere(db, profile, user),
        **await export_choices(db, profile.id, _plain),
    }
    # Her follow-up answers are hers alone ("nobody else sees your own answers"): only in her own export.
    if actor.profile_id == pid:
        data["follow_ups"] = [_plain(f) for f in await rows(FollowUp, FollowUp.volunteer_id == pid)]
    audit(db, actor, "volunteer.exported", "volunteer", pid, profile.partnership_id)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("samverka-export.json", json.dumps(data, ensure_ascii=False, indent=2, default=str))
        for c in certificates:
            pdf = await c.awaitable_attrs.pdf if "pdf" in sa_inspect(Certificate).column_attrs else None
            if pdf:
                z.writestr(f"certificates/{c.public_id}.pdf", pdf)
    return buffer.getvalue()


async def _held_elsewhere(db: AsyncSession, profile: VolunteerProfile, user: User) -> dict[str, Any]:
    """What other tables hold about her: messages to her, audit entries, match runs, log-in sessions."""
    subject = subject_of(profile, user)
    outbox_ids = sorted(await outbox_to(db, subject, {user.email.lower()}))
    messages = (
        list((await db.execute(select(OutboxMessage).where(OutboxMessage.id.in_(outbox_ids)))).scalars())
        if outbox_ids
        else []
    )
    audits = (
        await db.execute(select(AuditEntry).where(audit_about(subject)).order_by(AuditEntry.created_at))
    ).scalars()
    # Picked out inside the database: a city's run is megabytes of JSON, her part of it a few entries.
    runs = await her_part_of_runs(db, profile.partnership_id, str(profile.id))
    sessions = (await db.execute(select(AuthSession).where(AuthSession.user_id == user.id))).scalars()
    return {
        "messages_to_you": [_plain(m, "dedupe_key", "attempts") for m in messages],
        "audit_entries": [_plain(a) for a in audits],
        "match_runs": runs,
        "login_sessions": [_plain(s, "token_hash") for s in sessions],
    }


async def anonymise(db: AsyncSession, profile: VolunteerProfile, user: User, now: dt.datetime) -> None:
    """Delete or blank everything that identifies the volunteer; keep the anonymous work ledger."""
    from volunteers.staffing.guard import volunteer_changed  # staffing builds on people: imported when used

    await erase_person(db, profile, user, now)
    # Her held places are released (the leaders are told, without a name) so no plan or rule trips on them.
    await volunteer_changed(db, profile.id, now, None, confirm=True, tell_volunteer=False)


async def _is_staff(db: AsyncSession, user_id: uuid.UUID) -> bool:
    roles = (await db.execute(select(Membership.role).where(Membership.user_id == user_id))).scalars()
    return any(r.value != "volunteer" for r in roles)


async def erase(db: AsyncSession, actor: Actor, profile_id: uuid.UUID, now: dt.datetime) -> None:
    """Erase a volunteer at their own request (or a coordinator's, on their behalf)."""
    profile, user = await _subject(db, actor, profile_id)
    if user.anonymised_at is not None:
        raise NotFound(f"volunteer {profile_id} not found")
    if any(
        m.role.value != "volunteer"
        for m in (await db.execute(select(Membership).where(Membership.user_id == user.id))).scalars()
    ):
        raise Forbidden("staff accounts are closed by an administrator, not erased here")
    await anonymise(db, profile, user, now)
    audit(db, actor, "volunteer.erased", "volunteer", profile.id, profile.partnership_id)
    await db.flush()


async def retention_sweep(db: AsyncSession, now: dt.datetime, inactive_days: int) -> int:
    """Anonymise volunteers with no log-in and no session for `inactive_days`; returns how many.

    A partnership's own retention setting, where it has one, replaces `inactive_days` for its volunteers.
    """
    own_days: dict[uuid.UUID, int] = dict(
        (
            await db.execute(
                select(Partnership.id, Partnership.retention_days).where(Partnership.retention_days.is_not(None))
            )
        ).all()  # type: ignore[arg-type]
    )
    # The shortest period finds everyone who may be due; each is then held to their partnership's.
    cutoff = now - dt.timedelta(days=min([inactive_days, *own_days.values()]))
    last_work = (
        select(Assignment.volunteer_id, func.max(Assignment.ends_at).label("last"))
        .group_by(Assignment.volunteer_id)
        .subquery()
    )
    stale = (
        await db.execute(
            select(VolunteerProfile, User, last_work.c.last)
            .join(User, User.id == VolunteerProfile.user_id)
            .outerjoin(last_work, last_work.c.volunteer_id == VolunteerProfile.id)
            .where(
                User.anonymised_at.is_(None),
                User.created_at < cutoff,
                or_(User.last_login_at.is_(None), User.last_login_at < cutoff),
                or_(last_work.c.last.is_(None), last_work.c.last < cutoff),
            )
        )
    ).all()
    people = []
    for profile, user, last in stale:
        days = own_days.get(profile.partnership_id, inactive_days)
        due = now - dt.timedelta(days=days)
        if not (
            user.created_at < due
            and (user.last_login_at is None or user.last_login_at < due)
            and (last is None or last < due)
        ):
            continue
        roles = {
            m.role.value for m in (await db.execute(select(Membership).where(Membership.user_id == user.id))).scalars()
        }
        if not roles - {"volunteer"}:
            people.append((profile, user, days))
    await erase_people(db, [(profile, user) for profile, user, _ in people], now)
    for profile, _, days in people:
        db.add(
            AuditEntry(
                actor_id=None,
                partnership_id=profile.partnership_id,
                action="volunteer.anonymised_by_retention",
                subject_type="volunteer",
                subject_id=str(profile.id),
                detail={"inactive_days": days},
            )
        )
    await db.flush()
    return len(people)
