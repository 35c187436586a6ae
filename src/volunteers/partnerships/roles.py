"""Who holds which role: list, change, remove; deactivate and reactivate staff.

A partnership always keeps one coordinator who can log in, so nobody locks the
partnership out of its own settings.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from volunteers.accounts.actor import Actor
from volunteers.accounts.sessions import end_all_sessions
from volunteers.db.models import AuditEntry, Invitation, Membership, Partner, Role, User
from volunteers.errors import Forbidden, InvalidInput, NotFound, RuleBroken
from volunteers.partnerships import schemas
from volunteers.partnerships.invitations import coordinated

STAFF = (Role.LEADER, Role.COORDINATOR)


async def holders(db: AsyncSession, actor: Actor, partnership_id: uuid.UUID) -> list[schemas.RoleHolder]:
    """Every leader and coordinator of the partnership, with the partner a leader serves."""
    await coordinated(db, actor, partnership_id)
    rows = (
        await db.execute(
            select(Membership, User, Partner.name)
            .join(User, User.id == Membership.user_id)
            .outerjoin(Partner, Partner.id == Membership.partner_id)
            .where(Membership.partnership_id == partnership_id, Membership.role.in_(STAFF))
            .order_by(Membership.role, Partner.name, User.display_name)
        )
    ).all()
    return [
        schemas.RoleHolder(m.id, u.id, u.display_name, u.email, m.role.value, m.partner_id, pname, u.is_active)
        for m, u, pname in rows
    ]


async def _active_coordinators(db: AsyncSession, partnership_id: uuid.UUID, without: uuid.UUID | None = None) -> int:
    stmt = (
        select(func.count(func.distinct(Membership.user_id)))
        .join(User, User.id == Membership.user_id)
        .where(
            Membership.partnership_id == partnership_id,
            Membership.role == Role.COORDINATOR,
            User.is_active.is_(True),
        )
    )
    if without is not None:
        stmt = stmt.where(Membership.user_id != without)
    return int((await db.execute(stmt)).scalar_one())


async def _staff_membership(db: AsyncSession, actor: Actor, membership_id: uuid.UUID) -> Membership:
    m = await db.get(Membership, membership_id)
    if m is None or not actor.is_coordinator(m.partnership_id) or m.role not in STAFF:
        raise NotFound(f"role {membership_id} not found")
    return m


def _audit(actor: Actor, m: Membership, action: str, detail: dict[str, str | None]) -> AuditEntry:
    return AuditEntry(
        actor_id=actor.user_id,
        partnership_id=m.partnership_id,
        action=action,
        subject_type="user",
        subject_id=str(m.user_id),
        detail=detail,
    )


async def change(db: AsyncSession, actor: Actor, membership_id: uuid.UUID, data: schemas.RoleChange) -> None:
    """Make a leader a coordinator or the other way round, or move a leader to another partner."""
    m = await _staff_membership(db, actor, membership_id)
    role = Role(data.role)
    partner_id: uuid.UUID | None = None
    if role == Role.LEADER:
        partner = await db.get(Partner, data.partner_id) if data.partner_id else None
        if partner is None or partner.partnership_id != m.partnership_id:
            raise InvalidInput("partner_id", "a leader serves one of the partnership's partners")
        partner_id = partner.id
    elif data.partner_id is not None:
        raise InvalidInput("partner_id", "a coordinator serves the whole partnership, not one partner")
    if m.role == Role.COORDINATOR and role != Role.COORDINATOR:
        if await _active_coordinators(db, m.partnership_id, without=m.user_id) == 0:
            raise RuleBroken("last_coordinator", "the partnership would have no coordinator left")
    clash = (
        await db.execute(
            select(Membership.id).where(
                Membership.user_id == m.user_id,
                Membership.partnership_id == m.partnership_id,
                Membership.role == role,
                (Membership.partner_id == partner_id) if partner_id else Membership.partner_id.is_(None),
                Membership.id != m.id,
            )
        )
    ).scalar_one_or_none()
    before = m.role.value
    if clash is not None:  # they already hold the new role: the old one simply goes
        await db.delete(m)
    else:
        m.role, m.partner_id = role, partner_id
    db.add(_audit(actor, m, "role.changed", {"from": before, "to": role.value}))
    await db.flush()


async def remove(db: AsyncSession, actor: Actor, membership_id: uuid.UUID) -> None:
    """Take a staff role away (the account and its other roles stay)."""
    m = await _staff_membership(db, actor, membership_id)
    if m.role == Role.COORDINATOR and await _active_coordinators(db, m.partnership_id, without=m.user_id) == 0:
        raise RuleBroken("last_coordinator", "the partnership would have no coordinator left")
    db.add(_audit(actor, m, "role.removed", {"role": m.role.value}))
    await db.delete(m)
    await db.flush()


async def set_active(
    db: AsyncSession,
    actor: Actor,
    partnership_id: uuid.UUID,
    user_id: uuid.UUID,
    active: bool,
    now: dt.datetime,
    *,
    confirm: bool = False,
) -> None:
    """Deactivate a member of staff (every log-in session ends at once) or let them in again.

    Only an account whose every role is in partnerships the caller coordinates: a
    coordinator cannot lock someone out of another partnership. If the account also
    volunteers and holds future places, deactivating it is refused with the list
    (WouldRelease) unless `confirm`, which releases them with the deactivation as the reason.
    """
    await coordinated(db, actor, partnership_id)
    user = await db.get(User, user_id)
    memberships = (await db.execute(select(Membership).where(Membership.user_id == user_id))).scalars().all()
    if user is None or not any(m.partnership_id == partnership_id and m.role in STAFF for m in memberships):
        raise NotFound(f"staff member {user_id} not found")
    if any(not actor.is_coordinator(m.partnership_id) for m in memberships):
        raise Forbidden("this person also has roles in a partnership you do not coordinate")
    if not active:
        if user_id == actor.user_id:
            raise RuleBroken("self_deactivation", "you cannot deactivate yourself")
        is_coordinator = any(m.partnership_id == partnership_id and m.role == Role.COORDINATOR for m in memberships)
        if is_coordinator and await _active_coordinators(db, partnership_id, without=user_id) == 0:
            raise RuleBroken("last_coordinator", "the partnership would have no coordinator left")
        from volunteers.staffing.deactivation import account_deactivated  # staffing builds on partnerships

        user.is_active = False
        await account_deactivated(db, user_id, now, actor.user_id, confirm=confirm)
        await end_all_sessions(db, user_id)
        # Their pending invitations die with the access they would give.
        await db.execute(
            update(Invitation)
            .where(Invitation.email == user.email, Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None))
            .values(revoked_at=now)
        )
    user.is_active = active
    db.add(
        AuditEntry(
            actor_id=actor.user_id,
            partnership_id=partnership_id,
            action="user.reactivated" if active else "user.deactivated",
            subject_type="user",
            subject_id=str(user_id),
            detail={},
        )
    )
    await db.flush()
