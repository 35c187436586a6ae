"""HTTP for invitations, roles and partnership settings (coordinators), and accepting a link (anyone)."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, Request, Response, delete, get, patch, post
from litestar.datastructures import State
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT
from sqlalchemy.ext.asyncio import AsyncSession

from volunteers.accounts.actor import Actor
from volunteers.accounts.controllers import me_of, session_cookie
from volunteers.accounts.ratelimit import RateLimiter, rate_limited
from volunteers.accounts.schemas import Me
from volunteers.accounts.sessions import actor_for_user, create_session
from volunteers.db.models import Invitation, Partner, Partnership
from volunteers.db.session import Db
from volunteers.partnerships import invitations, policy, roles, schemas
from volunteers.partnerships.mail import deliver, invitation_link, invitation_text

ActorRequest = Request[Actor, Any, Any]
# Invitations a coordinator may send in an hour, and how often one address may be mailed in an hour:
# enough for a partnership's start, too few to turn the service into a spam relay.
INVITES_PER_HOUR = 60
MAILS_PER_ADDRESS_PER_HOUR = 3


def hourly_limiter(state: State) -> RateLimiter:
    """The limiter of invitation mail, counting in windows of an hour."""
    limiter = state.get("invitation_limiter")
    if limiter is None:
        limiter = RateLimiter(state.clock, window_seconds=3600)
        state.invitation_limiter = limiter
    return limiter


async def send(
    state: State, db: AsyncSession, inv: Invitation, token: str, locale: str = "sv"
) -> schemas.InvitationSent:
    """Commit, then mail the link; without a mail server the coordinator gets it to hand over."""
    now = state.clock()
    await db.commit()  # the invitation exists before anyone can hold its link; no lock while mailing
    partnership = await db.get(Partnership, inv.partnership_id)
    partner = await db.get(Partner, inv.partner_id) if inv.partner_id else None
    link = invitation_link(state.settings, token)
    subject, body = invitation_text(
        locale, partnership.name if partnership else "", inv.role.value, partner.name if partner else None, link
    )
    mailed = await deliver(state.settings, inv.email, subject, body)
    return schemas.InvitationSent(await invitations.out(db, inv, now), mailed, None if mailed else link)


def limit_invitations(state: State, actor: Actor, email: str) -> None:
    """Count an invitation mail against the inviter's and the address's hourly limits."""
    limiter = hourly_limiter(state)
    limiter.hit("invite-by", str(actor.user_id), INVITES_PER_HOUR)
    limiter.hit("invite-to", email.strip().lower(), MAILS_PER_ADDRESS_PER_HOUR)


class InvitationController(Controller):
    path = "/api"
    tags = ["invitations"]

    @post(
        "/partnerships/{partnership_id:uuid}/invitations",
        status_code=HTTP_201_CREATED,
        summary="Invite a leader (for a partner) or a coordinator by e-mail (coordinators)",
    )
    async def create_invitation(
        self, partnership_id: uuid.UUID, data: schemas.InvitationCreate, db: Db, state: State, request: ActorRequest
    ) -> schemas.InvitationSent:
        await invitations.coordinated(db, request.user, partnership_id)
        limit_invitations(state, request.user, data.email)
        inv, token = await invitations.invite(db, request.user, partnership_id, data, state.clock())
        return await send(state, db, inv, token, data.locale)

    @get("/partnerships/{partnership_id:uuid}/invitations", summary="Pending invitations (coordinators)")
    async def list_invitations(
        self, partnership_id: uuid.UUID, db: Db, state: State, request: ActorRequest
    ) -> list[schemas.Invitation]:
        return await invitations.pending(db, request.user, partnership_id, state.clock())

    @post("/invitations/{invitation_id:uuid}/resend", status_code=200, summary="Send again, with a new link")
    async def resend_invitation(
        self, invitation_id: uuid.UUID, db: Db, state: State, request: ActorRequest
    ) -> schemas.InvitationSent:
        inv, token = await invitations.renew(db, request.user, invitation_id, state.clock())
        limit_invitations(state, request.user, inv.email)
        return await send(state, db, inv, token, request.user.locale)

    @delete("/invitations/{invitation_id:uuid}", status_code=HTTP_204_NO_CONTENT, summary="Revoke an invitation")
    async def revoke_invitation(self, invitation_id: uuid.UUID, db: Db, state: State, request: ActorRequest) -> None:
        await invitations.revoke(db, request.user, invitation_id, state.clock())

    @post(
        "/invitations/preview",
        opt={"public": True},
        guards=[rate_limited("invitation")],
        status_code=200,
        summary="What an invitation link invites to (the secret in the body, never in a URL)",
    )
    async def preview_invitation(self, data: schemas.TokenBody, db: Db, state: State) -> schemas.InvitationPreview:
        return await invitations.preview(db, data.token, state.clock())

    @post(
        "/invitations/accept",
        opt={"public": True},
        guards=[rate_limited("invitation")],
        status_code=200,
        summary="Accept an invitation: create the account or link the existing one, and log in",
    )
    async def accept_invitation(
        self, data: schemas.InvitationAccept, db: Db, state: State, request: Request[Any, Any, Any]
    ) -> Response[Me]:
        now = state.clock()
        user = await invitations.accept(db, data, now)
        token = await create_session(db, user, now, state.settings.session_days, request.headers.get("user-agent", ""))
        actor = await actor_for_user(db, user)
        return Response(me_of(actor), cookies=[session_cookie(state, token)])


class RoleController(Controller):
    path = "/api"
    tags = ["roles"]

    @get("/partnerships/{partnership_id:uuid}/roles", summary="Who holds which role for which partner")
    async def list_roles(self, partnership_id: uuid.UUID, db: Db, request: ActorRequest) -> list[schemas.RoleHolder]:
        return await roles.holders(db, request.user, partnership_id)

    @patch("/roles/{membership_id:uuid}", status_code=HTTP_204_NO_CONTENT, summary="Change a staff role")
    async def change_role(
        self, membership_id: uuid.UUID, data: schemas.RoleChange, db: Db, request: ActorRequest
    ) -> None:
        await roles.change(db, request.user, membership_id, data)

    @delete("/roles/{membership_id:uuid}", status_code=HTTP_204_NO_CONTENT, summary="Remove a staff role")
    async def remove_role(self, membership_id: uuid.UUID, db: Db, request: ActorRequest) -> None:
        await roles.remove(db, request.user, membership_id)

    @post(
        "/partnerships/{partnership_id:uuid}/staff/{user_id:uuid}/deactivate",
        status_code=HTTP_204_NO_CONTENT,
        summary="Deactivate a member of staff; their log-in sessions end at once. "
        "409 would_release lists the held future places it would release unless confirm: true",
    )
    async def deactivate(
        self,
        partnership_id: uuid.UUID,
        user_id: uuid.UUID,
        db: Db,
        state: State,
        request: ActorRequest,
        data: schemas.DeactivateIn | None = None,
    ) -> None:
        confirm = data.confirm if data else False
        await roles.set_active(db, request.user, partnership_id, user_id, False, state.clock(), confirm=confirm)

    @post(
        "/partnerships/{partnership_id:uuid}/staff/{user_id:uuid}/activate",
        status_code=HTTP_204_NO_CONTENT,
        summary="Let a deactivated member of staff log in again",
    )
    async def activate(
        self, partnership_id: uuid.UUID, user_id: uuid.UUID, db: Db, state: State, request: ActorRequest
    ) -> None:
        await roles.set_active(db, request.user, partnership_id, user_id, True, state.clock())


class SettingsController(Controller):
    path = "/api/partnerships/{partnership_id:uuid}/settings"
    tags = ["partnerships"]

    @get("/", summary="The partnership's settings (coordinators)")
    async def read_settings(
        self, partnership_id: uuid.UUID, db: Db, state: State, request: ActorRequest
    ) -> schemas.PartnershipSettings:
        return await policy.read(db, request.user, partnership_id, state.settings.retention_days)

    @patch("/", summary="Change the partnership's settings (coordinators)")
    async def change_settings(
        self, partnership_id: uuid.UUID, data: schemas.SettingsUpdate, db: Db, state: State, request: ActorRequest
    ) -> schemas.PartnershipSettings:
        return await policy.change(db, request.user, partnership_id, data, state.settings.retention_days)


partnership_routes = [InvitationController, RoleController, SettingsController]
