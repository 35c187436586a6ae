"""Account recovery and upkeep: forgotten password, confirming and changing the address, new password."""

from __future__ import annotations

import time
from typing import Any

from litestar import Controller, Request, post
from litestar.datastructures import State
from litestar.status_codes import HTTP_202_ACCEPTED, HTTP_204_NO_CONTENT

from volunteers.accounts import confirmation, recovery
from volunteers.accounts.actor import Actor
from volunteers.accounts.controllers import (
    RESET_FLOOR_SECONDS,
    CheckYourMail,
    account_key,
    answer_no_sooner,
    json_only,
)
from volunteers.accounts.ratelimit import rate_limited
from volunteers.accounts.schemas import EmailChange, EmailConfirmation, PasswordChange, ResetCompletion, ResetRequest
from volunteers.accounts.security import check_password_policy, hash_password_off_loop
from volunteers.accounts.throttle import address_hash
from volunteers.db.session import Db

RESET_REQUESTED = CheckYourMail(
    detail="If an account uses this address, a link to choose a new password is on its way; it works for 30 minutes."
)
# Per client: reset requests and link uses a minute (each mails or spends a hash).
PER_CLIENT = 5


def address_allowed(state: State, email: str) -> bool:
    """Whether the address may get another reset mail this hour (counted for known and unknown alike)."""
    key = address_hash(account_key(state), email)
    return bool(state.hourly_limiter.allow("reset-address", key, recovery.RESETS_PER_ADDRESS_PER_HOUR))


class AccountController(Controller):
    path = "/api/auth"
    tags = ["accounts"]

    @post(
        "/password-reset",
        opt={"public": True},
        guards=[json_only, rate_limited("reset", PER_CLIENT)],
        status_code=HTTP_202_ACCEPTED,
        summary="Forgot your password: mail a single-use link (30 minutes)",
        description="The same answer whether or not an account uses the address. At most 3 mails an hour per address.",
    )
    async def request_reset(self, data: ResetRequest, db: Db, state: State) -> CheckYourMail:
        started = time.monotonic()
        if address_allowed(state, data.email):
            await recovery.request_reset(db, data.email, data.locale, state.clock(), state.settings.base_url)
        await answer_no_sooner(db, started, RESET_FLOOR_SECONDS)
        return RESET_REQUESTED

    @post(
        "/password-reset/complete",
        opt={"public": True},
        guards=[json_only, rate_limited("reset-complete", PER_CLIENT)],
        status_code=HTTP_204_NO_CONTENT,
        summary="Choose a new password with a reset link; every log-in session of the account ends",
    )
    async def complete_reset(self, data: ResetCompletion, db: Db, state: State) -> None:
        check_password_policy(data.password)  # before hashing; the e-mail rule is checked with the account
        password_hash = await hash_password_off_loop(data.password)
        await recovery.complete_reset(db, data.token, password_hash, data.password, state.clock(), account_key(state))

    @post(
        "/confirm-email",
        opt={"public": True},
        guards=[json_only, rate_limited("confirm", PER_CLIENT)],
        status_code=HTTP_204_NO_CONTENT,
        summary="Confirm an e-mail address (a new account's, or a changed one) with the mailed link",
    )
    async def confirm_email(self, data: EmailConfirmation, db: Db, state: State) -> None:
        await confirmation.confirm(db, data.token, state.clock())

    @post(
        "/password",
        guards=[json_only, rate_limited("change-password", PER_CLIENT)],
        status_code=HTTP_204_NO_CONTENT,
        summary="Change the password (give the current one); other log-in sessions end",
    )
    async def change_password(self, data: PasswordChange, db: Db, request: Request[Actor, Any, Any]) -> None:
        password_hash = await hash_password_off_loop(data.new_password)
        await recovery.change_password(db, request.user, data.current_password, data.new_password, password_hash)

    @post(
        "/email",
        guards=[json_only, rate_limited("change-email", PER_CLIENT)],
        status_code=HTTP_202_ACCEPTED,
        summary="Change the e-mail address: a link goes to the new address, a note to the old",
    )
    async def change_email(
        self, data: EmailChange, db: Db, state: State, request: Request[Actor, Any, Any]
    ) -> CheckYourMail:
        await recovery.change_email(
            db, request.user, data.password, data.new_email, state.clock(), state.settings.base_url
        )
        return CheckYourMail(detail="A link to confirm the new address is on its way to it.")
