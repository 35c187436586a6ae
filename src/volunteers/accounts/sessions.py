"""Server-side log-in sessions: create, load as an Actor, end."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from volunteers.accounts.actor import Actor, MembershipInfo
from volunteers.accounts.security import new_token, token_hash
from volunteers.db.models import AuthSession, Membership, User, VolunteerProfile

TOUCH_AFTER = dt.timedelta(minutes=5)


async def create_session(db: AsyncSession, user: User, now: dt.datetime, days: int, user_agent: str = "") -> str:
    """Start a session for the user; returns the secret for the cookie."""
    token = new_token()
    db.add(
        AuthSession(
            token_hash=token_hash(token),
            user_id=user.id,
            expires_at=now + dt.timedelta(days=days),
            last_seen_at=now,
            user_agent=user_agent[:300],
        )
    )
    return token


async def end_session(db: AsyncSession, token: str) -> None:
    """Forget the session behind this cookie."""
    await db.execute(delete(AuthSession).where(AuthSession.token_hash == token_hash(token)))


async def end_all_sessions(db: AsyncSession, user_id: uuid.UUID) -> None:
    """Log the user out everywhere (password change, erasure)."""
    await db.execute(delete(AuthSession).where(AuthSession.user_id == user_id))


async def load_actor(db: AsyncSession, token: str, now: dt.datetime) -> Actor | None:
    """The Actor behind a session cookie, or None when unknown, expired or deactivated."""
    row = (
        await db.execute(
            select(AuthSession, User)
            .join(User, User.id == AuthSession.user_id)
            .where(AuthSession.token_hash == token_hash(token))
        )
    ).first()
    if row is None:
        return None
    session, user = row
    if session.expires_at <= now or not user.is_active:
        return None
    if now - session.last_seen_at > TOUCH_AFTER:
        await db.execute(update(AuthSession).where(AuthSession.id == session.id).values(last_seen_at=now))
    return await actor_for_user(db, user, session_id=session.id)


async def actor_for_user(db: AsyncSession, user: User, session_id: uuid.UUID | None = None) -> Actor:
    """Build the Actor (roles and volunteer profile) for a user."""
    memberships = (
        await db.execute(
            select(Membership.partnership_id, Membership.role, Membership.partner_id).where(
                Membership.user_id == user.id
            )
        )
    ).all()
    profile_id = (
        await db.execute(select(VolunteerProfile.id).where(VolunteerProfile.user_id == user.id))
    ).scalar_one_or_none()
    return Actor(
        user_id=user.id,
        email=user.email,
        display_name=user.display_name,
        locale=user.locale,
        memberships=tuple(MembershipInfo(p, r, pa) for p, r, pa in memberships),
        profile_id=profile_id,
        session_id=session_id,
    )
