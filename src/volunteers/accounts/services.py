"""Registration and log-in rules.

Neither tells whether an address has an account: a registration answers the same and
mails the address either way (a confirmation link, or "you already have an account"),
and a log-in is refused with the same words, status and back-off for both.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from volunteers.accounts import throttle
from volunteers.accounts.schemas import Login, Registration
from volunteers.accounts.security import (
    DUMMY_HASH,
    check_password_policy,
    hash_password,
    new_token,
    verify_password,
)
from volunteers.db.models import Consent, Membership, Partnership, Role, User, VolunteerProfile
from volunteers.errors import Conflict, InvalidInput, NotAuthenticated
from volunteers.followup.status import record_seeking_at_registration

MIN_AGE = 13
GUARDIAN_AGE = 16


def age_on(birth_date: dt.date, day: dt.date) -> int:
    """Whole years of age on a day."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


async def register_volunteer(
    db: AsyncSession, data: Registration, now: dt.datetime, password_hash: str | None = None
) -> User:
    """Create a volunteer's account, profile, membership and consents, or refuse naming the field."""
    partnership = (
        await db.execute(select(Partnership).where(Partnership.slug == data.partnership))
    ).scalar_one_or_none()
    if partnership is None:
        raise InvalidInput("partnership", f"unknown partnership '{data.partnership}'")
    if not data.consent:
        raise InvalidInput("consent", "consent to the processing of your data is required")
    email = data.email.strip().lower()
    check_password_policy(data.password, email=email)
    today = now.astimezone(ZoneInfo(partnership.timezone)).date()
    if data.birth_date > today:
        raise InvalidInput("birth_date", "is in the future")
    age = age_on(data.birth_date, today)
    if age < MIN_AGE:
        raise InvalidInput("birth_date", f"volunteers must be at least {MIN_AGE} years old")
    if age < GUARDIAN_AGE:
        if not data.guardian_name.strip():
            raise InvalidInput("guardian_name", "a guardian's name is required under 16")
        if not data.guardian_consent:
            raise InvalidInput("guardian_consent", "a guardian's consent is required under 16")
    exists = (await db.execute(select(func.count()).select_from(User).where(User.email == email))).scalar_one()
    if exists:
        raise Conflict("an account with this e-mail already exists", field="email")

    user = User(
        id=uuid.uuid4(),
        email=email,
        password_hash=password_hash or hash_password(data.password),
        display_name=f"{data.first_name.strip()} {data.last_name.strip()}",
        locale=data.locale,
    )
    try:
        async with db.begin_nested():
            db.add(user)
    except IntegrityError as exc:  # a concurrent registration with the same e-mail
        raise Conflict("an account with this e-mail already exists", field="email") from exc
    # Unconfirmed until the link in the confirmation mail is opened (set after the insert:
    # the ORM fills the column's default in for an explicit None).
    user.email_confirmed_at = None
    db.add(Membership(user_id=user.id, partnership_id=partnership.id, role=Role.VOLUNTEER))
    db.add(
        VolunteerProfile(
            user_id=user.id,
            partnership_id=partnership.id,
            first_name=data.first_name.strip(),
            last_name=data.last_name.strip(),
            birth_date=data.birth_date,
            phone=data.phone,
            languages=sorted(set(data.languages)),
            guardian_name=data.guardian_name.strip() if age < GUARDIAN_AGE else "",
            guardian_contact=data.guardian_contact.strip() if age < GUARDIAN_AGE else "",
            guardian_consent_at=now if age < GUARDIAN_AGE else None,
            calendar_token=new_token(24),
            seeking_work=bool(data.seeking_work),
        )
    )
    db.add(
        Consent(
            user_id=user.id,
            kind="data_processing",
            wording_version=data.consent_version,
            given_at=now,
        )
    )
    if age < GUARDIAN_AGE:
        db.add(
            Consent(
                user_id=user.id,
                kind="guardian",
                wording_version=data.consent_version,
                given_at=now,
                given_by=data.guardian_name.strip(),
            )
        )
    await db.flush()
    if data.seeking_work is not None:  # the first row of the dated job-seeking history
        await record_seeking_at_registration(db, user.id, today, data.seeking_work)
    return user


async def register(db: AsyncSession, data: Registration, now: dt.datetime, password_hash: str, base_url: str) -> None:
    """Register, answering alike for new and known addresses: the mailbox learns which it was.

    A new address gets an unconfirmed account and a confirmation link; a known one gets
    "you already have an account" with a reset link, and nothing changes. Both write one
    mail to the outbox, so the time taken matches too.
    """
    from volunteers.accounts.confirmation import ACCOUNT_MAIL, send_confirmation
    from volunteers.accounts.recovery import RESET_MINUTES, reset_link
    from volunteers.notify import enqueue
    from volunteers.web.account_mail import account_mail

    try:
        user = await register_volunteer(db, data, now, password_hash)
    except Conflict:
        email = data.email.strip().lower()
        owner = (await db.execute(select(User).where(User.email == email))).scalar_one()
        url = await reset_link(db, owner, now, base_url)
        subject, body = account_mail(
            "account_exists", owner.locale, login_url=f"{base_url}/login", url=url, minutes=RESET_MINUTES
        )
        await enqueue(db, email, ACCOUNT_MAIL, subject, body, now)
        return
    await send_confirmation(db, user, now, base_url)


async def password_matches(db: AsyncSession, data: Login) -> bool:
    """Check the password against the stored hash (or a dummy one, so timing tells nothing).

    Done in a read-only transaction before `authenticate`, so that argon2's work does not
    hold SQLite's write lock.
    """
    email = data.email.strip().lower()
    stored = (await db.execute(select(User.password_hash).where(User.email == email))).scalar_one_or_none()
    # argon2 in a thread (it lets go of the interpreter lock): ~45 ms that held the event loop, /health's too.
    return await asyncio.to_thread(verify_password, stored or DUMMY_HASH, data.password) and stored is not None


async def authenticate(
    db: AsyncSession, data: Login, now: dt.datetime, password_ok: bool | None, *, key: str, client: str
) -> User:
    """The user for these credentials; failures back off per (address, client), known or not."""
    email = data.email.strip().lower()
    await throttle.check(db, key, email, client, now)
    user = (await db.execute(select(User).where(User.email == email))).scalar_one_or_none()
    if password_ok is None:
        stored = user.password_hash if user else DUMMY_HASH
        password_ok = await asyncio.to_thread(verify_password, stored, data.password) and user is not None
    if user is None or not user.is_active or not password_ok:
        await throttle.record_failure(db, key, email, client, now)
        raise NotAuthenticated("wrong e-mail or password")
    await throttle.clear_pair(db, key, email, client)
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    return user
