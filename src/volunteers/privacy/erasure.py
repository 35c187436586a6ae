"""Erase a volunteer: apply `rules.RULES` to every row about her, in the caller's one transaction.

Kept: her profile and account rows (with nothing in them that identifies her), her
assignments and confirmed minutes (the anonymous ledger the partnership reports on),
and her certificates' ids, status and hash (so /verify still says valid-then-withdrawn,
or revoked). Everything else about her is deleted, blanked or "[erased]".
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Table, case, delete, func, literal, or_, select, update
from sqlalchemy import null as sa_null
from sqlalchemy.ext.asyncio import AsyncSession

from volunteers.accounts.security import new_token
from volunteers.db.models import (
    Assignment,
    AssignmentStatus,
    AuditEntry,
    Certificate,
    CertificateStatus,
    MatchRun,
    MatchRunStatus,
    OutboxMessage,
    OwnHours,
    Session,
    User,
    VolunteerProfile,
    metadata,
)
from volunteers.privacy.rules import ERASED, RULES, rule_for
from volunteers.privacy.run_documents import anonymise_in_place

# Not an argon2 hash: no password verifies against it (argon2 refuses it as a hash), and
# writing it costs nothing, where hashing a random password took 20-140 ms a person.
UNUSABLE_PASSWORD = "!erased"  # noqa: S105 (a marker, not a password)


@dataclass(frozen=True)
class Subject:
    """The person being erased, and the words that would identify her in free text."""

    profile_id: uuid.UUID
    user_id: uuid.UUID
    needles: tuple[str, ...]  # full name, e-mail, phone, as written


Scope = Callable[[Table, Subject], ColumnElement[bool]]


def _her_assignments(subject: Subject) -> Any:
    return select(Assignment.id).where(Assignment.volunteer_id == subject.profile_id)


# Tables whose rows about her are not found by a foreign key to her profile or account.
SCOPES: dict[str, Scope] = {
    "volunteer_profile": lambda t, s: t.c.id == s.profile_id,
    "user_account": lambda t, s: t.c.id == s.user_id,
    "assignment_event": lambda t, s: t.c.assignment_id.in_(_her_assignments(s)),
    "attendance": lambda t, s: t.c.assignment_id.in_(_her_assignments(s)),
    # Invitations name an address, not an account: nobody can be invited back into an erased one.
    "invitation": lambda t, s: func.lower(t.c.email).in_([n.lower() for n in s.needles if "@" in n]),
}


def scope_of(table: Table, subject: Subject) -> ColumnElement[bool] | None:
    """Which rows of `table` are about the person: an explicit scope, or a reference to her profile or account."""
    if table.name in SCOPES:
        return SCOPES[table.name](table, subject)
    found: list[ColumnElement[bool]] = []
    for column in table.columns:
        targets = {fk.target_fullname for fk in column.foreign_keys}
        if "volunteer_profile.id" in targets:  # every such column: a swap names two volunteers
            found.append(column == subject.profile_id)
        elif column.name == "user_id" and "user_account.id" in targets:
            found.append(column == subject.user_id)
    return or_(*found) if found else None


async def apply_declared_rules(db: AsyncSession, subject: Subject) -> None:
    """Every `delete`, `set` and `erased` rule, on the person's rows of every table."""
    for table in reversed(metadata.sorted_tables):  # children first, for the deletes
        whole = RULES.get(table.name)
        where = scope_of(table, subject)
        if whole is not None and whole.action == "delete":
            if where is not None:
                await db.execute(delete(table).where(where))
            continue
        values: dict[str, Any] = {}
        for column in table.columns:
            rule = rule_for(table.name, column.name)
            if rule is None or rule.action not in ("set", "erased"):
                continue
            if rule.action == "set":
                values[column.name] = sa_null() if rule.value is None else rule.value
            else:
                values[column.name] = case((column == "", ""), else_=literal(ERASED))
        if values and where is not None:
            await db.execute(update(table).where(where).values(values))


async def sweep_mentions(db: AsyncSession, subject: Subject) -> None:
    """Her full name, e-mail and phone cut out of free text about others (a session's note, say)."""
    if not subject.needles:
        return
    for table in metadata.sorted_tables:
        for column in table.columns:
            rule = rule_for(table.name, column.name)
            if rule is None or not rule.sweep:
                continue
            cleaned: Any = column
            for needle in subject.needles:
                cleaned = func.replace(cleaned, needle, ERASED)
            await db.execute(
                update(table)
                .where(or_(*(column.contains(n, autoescape=True) for n in subject.needles)))
                .values({column.name: cleaned})
            )


def _erase_texts(value: Any) -> Any:
    if isinstance(value, str):
        return ERASED
    if isinstance(value, list):
        return [_erase_texts(v) for v in value]
    if isinstance(value, dict):
        return {k: _erase_texts(v) for k, v in value.items()}
    return value


def audit_about(subject: Subject) -> ColumnElement[bool]:
    """Audit entries about her (her profile, account or certificates) or by her."""
    certificates = select(Certificate.public_id).where(Certificate.volunteer_id == subject.profile_id)
    return or_(
        AuditEntry.subject_id.in_([str(subject.profile_id), str(subject.user_id)]),
        AuditEntry.subject_id.in_(certificates),
        AuditEntry.actor_id == subject.user_id,
    )


async def erase_audit_details(db: AsyncSession, subject: Subject) -> None:
    """Audit entries about her or by her keep what was done and when; their texts become "[erased]"."""
    for entry in (await db.execute(select(AuditEntry).where(audit_about(subject)))).scalars():
        if entry.detail:
            entry.detail = _erase_texts(entry.detail)


async def outbox_to(db: AsyncSession, subject: Subject, emails: set[str]) -> set[uuid.UUID]:
    """Messages to her: to her address, or about her (their dedupe key names her or one of her assignments)."""
    keys = [str(subject.profile_id)] + [str(a) for a in (await db.execute(_her_assignments(subject))).scalars()]
    ids: set[uuid.UUID] = set()
    if emails:
        lowered = func.lower(OutboxMessage.to_address).in_(sorted(emails))
        ids.update((await db.execute(select(OutboxMessage.id).where(lowered))).scalars())
    for i in range(0, len(keys), 200):
        patterns = [OutboxMessage.dedupe_key.contains(k, autoescape=True) for k in keys[i : i + 200]]
        ids.update((await db.execute(select(OutboxMessage.id).where(or_(*patterns)))).scalars())
    return ids


async def erase_outbox(db: AsyncSession, subject: Subject, emails: set[str]) -> None:
    """Messages to her: unsent ones dropped (they never go), sent ones kept without address or text."""
    listed = list(await outbox_to(db, subject, emails))
    for i in range(0, len(listed), 500):
        chunk = listed[i : i + 500]
        await db.execute(delete(OutboxMessage).where(OutboxMessage.id.in_(chunk), OutboxMessage.sent_at.is_(None)))
        await db.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(chunk))
            .values(to_address="", subject=ERASED, body=ERASED, last_error=None, dedupe_key=None)
        )


async def anonymise_match_runs(
    db: AsyncSession, subjects: list[Subject], partnership_id: uuid.UUID, now: dt.datetime
) -> None:
    """Runs that hold their data: their entries made anonymous; a run solving right now is failed (it read them)."""
    await db.execute(
        update(MatchRun)
        .where(MatchRun.partnership_id == partnership_id, MatchRun.status == MatchRunStatus.RUNNING)
        .values(
            status=MatchRunStatus.FAILED,
            error="a volunteer was erased while this run was solving: run it again",
            finished_at=now,
        )
    )
    # Found and rewritten inside the database: never parsed here (megabytes a run for a city).
    await anonymise_in_place(db, partnership_id, {str(s.profile_id) for s in subjects})


async def release_future_slots(db: AsyncSession, subject: Subject, now: dt.datetime) -> None:
    """Slots she holds on sessions still to come are given up, so the matcher can fill them."""
    future = select(Session.id).where(Session.starts_at > now)
    await db.execute(
        update(Assignment)
        .where(
            Assignment.volunteer_id == subject.profile_id,
            Assignment.status.in_([s for s in AssignmentStatus if s.holds_slot]),
            Assignment.session_id.in_(future),
        )
        .values(status=AssignmentStatus.CANCELLED)
    )


def subject_of(profile: VolunteerProfile, user: User) -> Subject:
    """The person, and what would identify her in free text (only strings long enough to be hers alone)."""
    full_name = f"{profile.first_name} {profile.last_name}".strip()
    words = {full_name, user.display_name, user.email, profile.phone, profile.guardian_name}
    # Longest first, so that a name inside a longer one does not leave the rest of it behind.
    return Subject(profile.id, user.id, tuple(sorted((w for w in words if len(w) >= 5), key=lambda w: (-len(w), w))))


async def erase_people(db: AsyncSession, people: list[tuple[VolunteerProfile, User]], now: dt.datetime) -> None:
    """Erase several volunteers (the retention job), each stored match run read and written once for all."""
    for profile, user in people:
        await erase_person(db, profile, user, now, runs=False)
    by_partnership: dict[uuid.UUID, list[Subject]] = {}
    for profile, user in people:
        by_partnership.setdefault(profile.partnership_id, []).append(Subject(profile.id, user.id, ()))
    for partnership_id, subjects in by_partnership.items():
        await anonymise_match_runs(db, subjects, partnership_id, now)


async def erase_person(
    db: AsyncSession, profile: VolunteerProfile, user: User, now: dt.datetime, *, runs: bool = True
) -> None:
    """Delete or blank everything that identifies the volunteer; keep the anonymous work ledger.

    With `runs` off the caller anonymises the stored match runs itself (`erase_people`).
    """
    subject = subject_of(profile, user)
    emails = {user.email.lower()}
    # Certificates: a valid one reads "withdrawn"; a revoked one stays "revoked" on /verify.
    await db.execute(
        update(Certificate)
        .where(Certificate.volunteer_id == profile.id, Certificate.status == CertificateStatus.VALID)
        .values(status=CertificateStatus.WITHDRAWN, revoked_at=now)
    )
    await release_future_slots(db, subject, now)
    await erase_audit_details(db, subject)
    await erase_outbox(db, subject, emails)
    if runs:
        await anonymise_match_runs(db, [subject], profile.partnership_id, now)
    # Time she reported and nobody approved is her claim alone: gone; approved minutes stay in the ledger.
    await db.execute(delete(OwnHours).where(OwnHours.volunteer_id == profile.id, OwnHours.status != "approved"))
    await apply_declared_rules(db, subject)
    await sweep_mentions(db, subject)
    await db.execute(
        update(VolunteerProfile)
        .where(VolunteerProfile.id == profile.id)
        .values(seeking_work=False, calendar_token=new_token(24))
    )
    await db.execute(
        update(User)
        .where(User.id == user.id)
        .values(
            email=f"erased-{uuid.uuid4().hex}@invalid",
            password_hash=UNUSABLE_PASSWORD,
            is_active=False,
            failed_logins=0,
            anonymised_at=now,
        )
    )
    # The objects the caller holds see the erased state, not the one they were loaded with.
    await db.refresh(profile)
    await db.refresh(user)
