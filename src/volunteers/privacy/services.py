"""GDPR self-service: export everything about a volunteer; erase (anonymise) them; retention.

Erasure keeps a minimal work-history ledger (assignments and verified minutes on the
anonymised profile) because the partnership reports hours to the city; everything
that identifies the person is deleted or blanked, their certificates read `withdrawn`
on /verify with only the content hash kept, and they are logged out everywhere.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import uuid
import zipfile
from typing import Any

from sqlalchemy import delete, func, or_, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.ext.asyncio import AsyncSession

from volunteers.accounts.actor import Actor
from volunteers.accounts.security import hash_password, new_token
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
    CertificateStatus,
    Consent,
    Endorsement,
    FollowUp,
    Membership,
    Session,
    Training,
    User,
    VolunteerProfile,
    VolunteerSkill,
)
from volunteers.errors import Forbidden, NotFound
from volunteers.staffing.choosing_privacy import erase_choices, export_choices

ERASED_NAME = "—"


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
        "follow_ups": [_plain(f) for f in await rows(FollowUp, FollowUp.volunteer_id == pid)],
        "certificates": [_plain(c, "snapshot", "credential") for c in certificates],
        **await export_choices(db, pid, _plain),
    }
    audit(db, actor, "volunteer.exported", "volunteer", pid, profile.partnership_id)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("samverka-export.json", json.dumps(data, ensure_ascii=False, indent=2, default=str))
        for c in certificates:
            pdf = await c.awaitable_attrs.pdf if "pdf" in sa_inspect(Certificate).column_attrs else None
            if pdf:
                z.writestr(f"certificates/{c.public_id}.pdf", pdf)
    return buffer.getvalue()


async def anonymise(db: AsyncSession, profile: VolunteerProfile, user: User, now: dt.datetime) -> None:
    """Delete or blank everything that identifies the volunteer; keep the anonymous work ledger."""
    pid = profile.id
    for model, column in (
        (VolunteerSkill, VolunteerSkill.profile_id),
        (AvailabilityRule, AvailabilityRule.profile_id),
        (AvailabilityException, AvailabilityException.profile_id),
        (BackgroundCheck, BackgroundCheck.profile_id),
        (Endorsement, Endorsement.volunteer_id),
        (Training, Training.volunteer_id),
        (FollowUp, FollowUp.volunteer_id),
    ):
        await db.execute(delete(model).where(column == pid))
    await db.execute(delete(AuthSession).where(AuthSession.user_id == user.id))
    await db.execute(delete(Consent).where(Consent.user_id == user.id))
    await erase_choices(db, pid)
    for a in (await db.execute(select(Assignment).where(Assignment.volunteer_id == pid))).scalars():
        a.reason = ""
    for c in (await db.execute(select(Certificate).where(Certificate.volunteer_id == pid))).scalars():
        c.status = CertificateStatus.WITHDRAWN
        c.snapshot = None
        c.credential = None
        if "pdf" in sa_inspect(Certificate).column_attrs:
            c.pdf = None
    profile.first_name, profile.last_name = ERASED_NAME, ""
    profile.birth_date = None
    profile.phone = ""
    profile.languages, profile.learning_goals, profile.preferred_activity_kinds = [], [], []
    profile.seeking_work = False
    profile.guardian_name = profile.guardian_contact = ""
    profile.guardian_consent_at = None
    profile.calendar_token = new_token(24)
    user.email = f"erased-{uuid.uuid4().hex}@invalid"
    user.display_name = ERASED_NAME
    user.password_hash = hash_password(new_token(32))
    user.is_active = False
    user.anonymised_at = now
    from volunteers.staffing.guard import volunteer_changed  # staffing builds on people: imported when used

    # Their held places are released (the leaders are told, without a name) so no plan or rule trips on them.
    await volunteer_changed(db, pid, now, None, confirm=True, tell_volunteer=False)


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
    """Anonymise volunteers with no log-in and no session for `inactive_days`; returns how many."""
    cutoff = now - dt.timedelta(days=inactive_days)
    last_work = (
        select(Assignment.volunteer_id, func.max(Assignment.ends_at).label("last"))
        .group_by(Assignment.volunteer_id)
        .subquery()
    )
    stale = (
        await db.execute(
            select(VolunteerProfile, User)
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
    count = 0
    for profile, user in stale:
        roles = {
            m.role.value for m in (await db.execute(select(Membership).where(Membership.user_id == user.id))).scalars()
        }
        if roles - {"volunteer"}:
            continue
        await anonymise(db, profile, user, now)
        db.add(
            AuditEntry(
                actor_id=None,
                partnership_id=profile.partnership_id,
                action="volunteer.anonymised_by_retention",
                subject_type="volunteer",
                subject_id=str(profile.id),
                detail={"inactive_days": inactive_days},
            )
        )
        count += 1
    await db.flush()
    return count
