"""Server-side log-in sessions: create, load as an Actor, end."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import cast

from sqlalchemy import Table, bindparam, delete, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from volunteers.accounts.actor import Actor, MembershipInfo
from volunteers.accounts.security import new_token, token_hash
from volunteers.db.models import AuthSession, Membership, Role, User, VolunteerProfile

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


# AuthSession maps a Table (a mapped class's __table__ is typed as any FromClause).
_session_table = cast(Table, AuthSession.__table__)
_session = AuthSession.__table__.c
_user = User.__table__.c
_membership = Membership.__table__.c
_profile = VolunteerProfile.__table__.c

# Who is behind a cookie, in one query (a row per membership, or one row with none):
# asked on every request, so it is plain Core, built once.
_ACTOR = (
    select(
        _session.id,
        _session.expires_at,
        _session.last_seen_at,
        _user.id,
        _user.email,
        _user.display_name,
        _user.locale,
        _user.is_active,
        select(_profile.id).where(_profile.user_id == _user.id).scalar_subquery().label("profile_id"),
        _membership.partnership_id,
        _membership.role,
        _membership.partner_id,
    )
    .select_from(AuthSession.__table__)
    .join(User.__table__, _user.id == _session.user_id)
    .outerjoin(Membership.__table__, _membership.user_id == _user.id)
    .where(_session.token_hash == bindparam("token_hash"))
)


async def load_actor(engine: AsyncEngine, token: str, now: dt.datetime) -> Actor | None:
    """The Actor behind a session cookie, or None when unknown, expired or deactivated.

    Read from the database on every request, never remembered: a log-out, an erasure or
    a role change takes effect at once on every worker.
    """
    async with engine.connect() as conn:
        rows = (await conn.execute(_ACTOR, {"token_hash": token_hash(token)})).all()
    if not rows:
        return None
    session_id, expires_at, last_seen_at, user_id, email, display_name, locale, is_active, profile_id = rows[0][:9]
    if expires_at <= now or not is_active:
        return None
    if now - last_seen_at > TOUCH_AFTER:
        async with engine.begin() as conn:
            await conn.execute(update(_session_table).where(_session.id == session_id).values(last_seen_at=now))
    return Actor(
        user_id=user_id,
        email=email,
        display_name=display_name,
        locale=locale,
        memberships=tuple(MembershipInfo(r[9], Role(r[10]), r[11]) for r in rows if r[9] is not None),
        profile_id=profile_id,
        session_id=session_id,
    )


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
