"""Invitations: issue, list, send again, revoke, preview and accept.

A link's secret (`secrets.token_urlsafe`) leaves the service once, in the mail or to
the inviting coordinator when no mail server is configured; the database keeps only
its SHA-256. A link is bound to its address, valid for seven days and used once: the
accepting write claims it with a conditional UPDATE, so two tabs cannot both use it.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from volunteers.accounts.actor import Actor
from volunteers.accounts.security import (
    check_password_policy,
    hash_password_off_loop,
    new_token,
    token_hash,
    verify_password_off_loop,
)
from volunteers.db.models import AuditEntry, Consent, Invitation, Membership, Partner, Partnership, Role, User
from volunteers.errors import Forbidden, InvalidInput, NotAuthenticated, NotFound
from volunteers.partnerships import schemas

VALID_FOR = dt.timedelta(days=7)
# The password of an account made for someone (an imported volunteer) who has not chosen one:
# not an argon2 hash, so no password ever matches it.
UNUSABLE_PASSWORD = "!invited"  # noqa: S105 - a marker, not a secret


def has_password(user: User) -> bool:
    """Whether the account has a password its owner chose."""
    return not user.password_hash.startswith("!")


async def coordinated(db: AsyncSession, actor: Actor, partnership_id: uuid.UUID) -> Partnership:
    """The partnership, if the caller coordinates it (others are told it does not exist)."""
    partnership = await db.get(Partnership, partnership_id)
    if partnership is None or partnership_id not in actor.partnership_ids:
        raise NotFound(f"partnership {partnership_id} not found")
    if not actor.is_coordinator(partnership_id):
        raise Forbidden("only coordinators manage the partnership's people and settings")
    return partnership


async def _partner_of(db: AsyncSession, partnership_id: uuid.UUID, partner_id: uuid.UUID | None) -> Partner:
    partner = await db.get(Partner, partner_id) if partner_id else None
    if partner is None or partner.partnership_id != partnership_id:
        raise InvalidInput("partner_id", "a leader's invitation names one of the partnership's partners")
    return partner


async def issue(
    db: AsyncSession,
    partnership_id: uuid.UUID,
    email: str,
    role: Role,
    partner_id: uuid.UUID | None,
    invited_by: uuid.UUID | None,
    now: dt.datetime,
) -> tuple[Invitation, str]:
    """A new invitation and its secret; an earlier pending one for the same place is revoked."""
    email = email.strip().lower()
    await db.execute(
        update(Invitation)
        .where(
            Invitation.partnership_id == partnership_id,
            Invitation.email == email,
            Invitation.role == role,
            (Invitation.partner_id == partner_id) if partner_id else Invitation.partner_id.is_(None),
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
        )
        .values(revoked_at=now)
    )
    token = new_token()
    invitation = Invitation(
        id=uuid.uuid4(),
        partnership_id=partnership_id,
        email=email,
        role=role,
        partner_id=partner_id,
        token_hash=token_hash(token),
        invited_by_id=invited_by,
        expires_at=now + VALID_FOR,
        sent_count=1,
    )
    db.add(invitation)
    db.add(
        AuditEntry(
            actor_id=invited_by,
            partnership_id=partnership_id,
            action="invitation.issued",
            subject_type="invitation",
            subject_id=str(invitation.id),
            detail={"role": role.value},
        )
    )
    await db.flush()
    return invitation, token


async def invite(
    db: AsyncSession, actor: Actor, partnership_id: uuid.UUID, data: schemas.InvitationCreate, now: dt.datetime
) -> tuple[Invitation, str]:
    """A coordinator invites a leader (for a partner) or another coordinator."""
    await coordinated(db, actor, partnership_id)
    role = Role(data.role)
    partner_id = None
    if role == Role.LEADER:
        partner_id = (await _partner_of(db, partnership_id, data.partner_id)).id
    elif data.partner_id is not None:
        raise InvalidInput("partner_id", "a coordinator serves the whole partnership, not one partner")
    return await issue(db, partnership_id, data.email, role, partner_id, actor.user_id, now)


async def out(db: AsyncSession, inv: Invitation, now: dt.datetime) -> schemas.Invitation:
    partner = await db.get(Partner, inv.partner_id) if inv.partner_id else None
    inviter = await db.get(User, inv.invited_by_id) if inv.invited_by_id else None
    return schemas.Invitation(
        id=inv.id,
        partnership_id=inv.partnership_id,
        email=inv.email,
        role=inv.role.value,
        partner_id=inv.partner_id,
        partner_name=partner.name if partner else None,
        invited_by=inviter.display_name if inviter else None,
        created_at=inv.created_at,
        expires_at=inv.expires_at,
        expired=inv.expires_at <= now,
        sent_count=inv.sent_count,
    )


async def pending(
    db: AsyncSession, actor: Actor, partnership_id: uuid.UUID, now: dt.datetime
) -> list[schemas.Invitation]:
    """Invitations not yet accepted or revoked (expired ones too, to be sent again)."""
    await coordinated(db, actor, partnership_id)
    rows = (
        await db.execute(
            select(Invitation)
            .where(
                Invitation.partnership_id == partnership_id,
                Invitation.accepted_at.is_(None),
                Invitation.revoked_at.is_(None),
            )
            .order_by(Invitation.created_at.desc())
        )
    ).scalars()
    return [await out(db, inv, now) for inv in rows]


async def _pending_one(db: AsyncSession, actor: Actor, invitation_id: uuid.UUID) -> Invitation:
    inv = await db.get(Invitation, invitation_id)
    if inv is None or not actor.is_coordinator(inv.partnership_id):
        raise NotFound(f"invitation {invitation_id} not found")
    if inv.accepted_at is not None or inv.revoked_at is not None:
        raise NotFound(f"invitation {invitation_id} is no longer pending")
    return inv


async def renew(db: AsyncSession, actor: Actor, invitation_id: uuid.UUID, now: dt.datetime) -> tuple[Invitation, str]:
    """Send again: a new secret and seven more days; the old link stops working."""
    inv = await _pending_one(db, actor, invitation_id)
    token = new_token()
    inv.token_hash = token_hash(token)
    inv.expires_at = now + VALID_FOR
    inv.sent_count += 1
    await db.flush()
    return inv, token


async def revoke(db: AsyncSession, actor: Actor, invitation_id: uuid.UUID, now: dt.datetime) -> None:
    """The link stops working."""
    inv = await _pending_one(db, actor, invitation_id)
    inv.revoked_at = now
    db.add(
        AuditEntry(
            actor_id=actor.user_id,
            partnership_id=inv.partnership_id,
            action="invitation.revoked",
            subject_type="invitation",
            subject_id=str(inv.id),
            detail={},
        )
    )
    await db.flush()


async def _usable(db: AsyncSession, token: str, now: dt.datetime) -> Invitation:
    inv = (await db.execute(select(Invitation).where(Invitation.token_hash == token_hash(token)))).scalar_one_or_none()
    if inv is None or inv.accepted_at is not None or inv.revoked_at is not None or inv.expires_at <= now:
        # One answer for unknown, used, revoked and expired: the holder asks for a new link either way.
        raise InvalidInput("token", "this invitation link is not valid any more; ask for a new one")
    return inv


async def preview(db: AsyncSession, token: str, now: dt.datetime) -> schemas.InvitationPreview:
    """What a link invites to, for the page that accepts it."""
    inv = await _usable(db, token, now)
    partnership = await db.get(Partnership, inv.partnership_id)
    partner = await db.get(Partner, inv.partner_id) if inv.partner_id else None
    user = (await db.execute(select(User).where(User.email == inv.email))).scalar_one_or_none()
    return schemas.InvitationPreview(
        partnership_name=partnership.name if partnership else "",
        role=inv.role.value,
        partner_name=partner.name if partner else None,
        email=inv.email,
        has_account=user is not None and has_password(user),
        needs_consent=inv.role == Role.VOLUNTEER,
    )


async def accept(db: AsyncSession, data: schemas.InvitationAccept, now: dt.datetime) -> User:
    """Use a link once: make the account (or link the existing one) and give it the role."""
    inv = await _usable(db, data.token, now)
    claimed = await db.execute(
        update(Invitation)
        .where(Invitation.id == inv.id, Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None))
        .values(accepted_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        raise InvalidInput("token", "this invitation link is not valid any more; ask for a new one")
    if inv.role == Role.VOLUNTEER and not data.consent:
        raise InvalidInput("consent", "consent to the processing of your data is required")
    user = (await db.execute(select(User).where(User.email == inv.email))).scalar_one_or_none()
    if user is not None and has_password(user):
        # An existing account is linked only by its owner: the link proves the mailbox, the password the account.
        if not await verify_password_off_loop(user.password_hash, data.password):
            raise NotAuthenticated("wrong password for the existing account with this address")
        if not user.is_active:
            # A deactivation is lifted only by whoever deactivated (roles page), never by a new invitation.
            raise Forbidden("this account is deactivated; a coordinator can let it log in again")
    else:
        check_password_policy(data.password, email=inv.email)
        name = data.display_name.strip()
        if user is None:
            if not name:
                raise InvalidInput("display_name", "your name is required")
            password_hash = await hash_password_off_loop(data.password)
            user = User(id=uuid.uuid4(), email=inv.email, password_hash=password_hash, display_name=name)
            db.add(user)
            await db.flush()
        else:
            user.password_hash = await hash_password_off_loop(data.password)
            if name:
                user.display_name = name
    user.is_active = True  # a new account, or an imported one whose owner now consents
    user.email_confirmed_at = user.email_confirmed_at or now  # the link came to this address: it is proven
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    held = (
        await db.execute(
            select(Membership.id).where(
                Membership.user_id == user.id,
                Membership.partnership_id == inv.partnership_id,
                Membership.role == inv.role,
                (Membership.partner_id == inv.partner_id) if inv.partner_id else Membership.partner_id.is_(None),
            )
        )
    ).scalar_one_or_none()
    if held is None:
        db.add(Membership(user_id=user.id, partnership_id=inv.partnership_id, role=inv.role, partner_id=inv.partner_id))
    if inv.role == Role.VOLUNTEER:
        db.add(Consent(user_id=user.id, kind="data_processing", wording_version=data.consent_version, given_at=now))
    db.add(
        AuditEntry(
            actor_id=user.id,
            partnership_id=inv.partnership_id,
            action="invitation.accepted",
            subject_type="invitation",
            subject_id=str(inv.id),
            detail={"role": inv.role.value},
        )
    )
    await db.flush()
    return user
