"""Forgotten passwords, changing the password and changing the e-mail address.

A reset request answers the same whether the address has an account or not: both
paths write one mail to the outbox (a link, or a note that no account uses the
address), so the status, the body and the time taken match.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from volunteers.accounts import throttle, tokens
from volunteers.accounts.actor import Actor
from volunteers.accounts.confirmation import ACCOUNT_MAIL
from volunteers.accounts.security import check_password_policy, verify_password_off_loop
from volunteers.accounts.sessions import end_all_sessions
from volunteers.db.models import AuthSession, User
from volunteers.errors import InvalidInput
from volunteers.notify import enqueue
from volunteers.web.account_mail import account_mail

RESET_MINUTES = int(tokens.LIFETIME[tokens.RESET_PASSWORD].total_seconds() // 60)
# Reset mails per address per hour: enough for a person who mistyped, too few to flood a mailbox.
RESETS_PER_ADDRESS_PER_HOUR = 3


async def reset_link(db: AsyncSession, user: User, now: dt.datetime, base_url: str) -> str:
    secret = await tokens.issue(db, user.id, tokens.RESET_PASSWORD, now)
    return f"{base_url}/reset-password?token={secret}"


async def request_reset(db: AsyncSession, email: str, language: str, now: dt.datetime, base_url: str) -> None:
    """Mail a reset link to the address's account, or a note that none uses it."""
    email = email.strip().lower()
    user = (await db.execute(select(User).where(User.email == email))).scalar_one_or_none()
    if user is not None and user.is_active:
        url = await reset_link(db, user, now, base_url)
        subject, body = account_mail("reset_password", user.locale, url=url, minutes=RESET_MINUTES)
    else:
        subject, body = account_mail("reset_unknown", language)
    await enqueue(db, email, ACCOUNT_MAIL, subject, body, now)


async def complete_reset(
    db: AsyncSession, secret: str, password_hash: str, new_password: str, now: dt.datetime, key: str
) -> User:
    """Set the new password from a reset link; every session ends and the lock-outs clear."""
    row = await tokens.find(db, secret, (tokens.RESET_PASSWORD,), now)
    user = await db.get_one(User, row.user_id)
    check_password_policy(new_password, email=user.email, names=(user.display_name,))
    if not user.is_active:
        raise InvalidInput("token", tokens.NOT_VALID)
    await tokens.use(db, row, now)
    user.password_hash = password_hash
    # The link came from the mailbox, so the address is the owner's.
    user.email_confirmed_at = user.email_confirmed_at or now
    await end_all_sessions(db, user.id)
    await throttle.clear_address(db, key, user.email)
    await db.flush()
    return user


async def change_password(db: AsyncSession, actor: Actor, current: str, new_password: str, password_hash: str) -> None:
    """Replace the password when the current one is given; other sessions end."""
    user = await db.get_one(User, actor.user_id)
    if not await verify_password_off_loop(user.password_hash, current):
        raise InvalidInput("current_password", "is not your current password")
    check_password_policy(new_password, email=user.email, names=(user.display_name,), field="new_password")
    user.password_hash = password_hash
    others = delete(AuthSession).where(AuthSession.user_id == user.id)
    if actor.session_id is not None:
        others = others.where(AuthSession.id != actor.session_id)
    await db.execute(others)
    await db.flush()


async def change_email(
    db: AsyncSession, actor: Actor, password: str, new_email: str, now: dt.datetime, base_url: str
) -> None:
    """Send a confirmation link to the new address and tell the old one; nothing changes until it is opened."""
    user = await db.get_one(User, actor.user_id)
    if not await verify_password_off_loop(user.password_hash, password):
        raise InvalidInput("password", "is not your current password")
    new_email = new_email.strip().lower()
    if new_email == user.email:
        raise InvalidInput("new_email", "is your address already")
    # Whether another account uses the address is found out only when the link is opened,
    # so this answer tells nobody who has an account.
    secret = await tokens.issue(db, user.id, tokens.CHANGE_EMAIL, now, new_email=new_email)
    hours = int(tokens.LIFETIME[tokens.CHANGE_EMAIL].total_seconds() // 3600)
    subject, body = account_mail(
        "change_email", user.locale, name=user.display_name, url=f"{base_url}/confirm-email?token={secret}", hours=hours
    )
    await enqueue(db, new_email, ACCOUNT_MAIL, subject, body, now)
    subject, body = account_mail(
        "email_changing",
        user.locale,
        name=user.display_name,
        new_email=new_email,
        reset_url=f"{base_url}/forgot-password",
    )
    await enqueue(db, user.email, ACCOUNT_MAIL, subject, body, now)
