"""Partnerships, their partners, users, roles, log-in sessions and consents."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import UTC, Base, str_enum
from .enums import Role


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Partnership(Base):
    """An idea-based public partnership (IOP) and its policy settings."""

    __tablename__ = "partnership"

    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    area: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(String(4000), default="")
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Stockholm")
    starts_on: Mapped[dt.date | None] = mapped_column(Date)
    ends_on: Mapped[dt.date | None] = mapped_column(Date)
    background_check_valid_days: Mapped[int] = mapped_column(Integer, default=365)
    background_check_min_age: Mapped[int] = mapped_column(Integer, default=15)
    certificate_threshold_minutes: Mapped[int] = mapped_column(Integer, default=600)
    leader_requests_publish_directly: Mapped[bool] = mapped_column(Boolean, default=False)
    cancel_deadline_hours: Mapped[int] = mapped_column(Integer, default=24)
    followup_interval_months: Mapped[int] = mapped_column(Integer, default=6)
    # None: the installation's SAMVERKA_RETENTION_DAYS applies.
    retention_days: Mapped[int | None] = mapped_column(Integer)
    # What the impact report values a volunteer hour at, in whole kronor; None: no value
    # is shown (no default: the partnership chooses and cites its own source).
    hour_value_sek: Mapped[int | None] = mapped_column(Integer)
    # Who signs certificates a volunteer issues to themself; None: the first coordinator.
    signatory_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    # A sign-up to an open place waits for a leader's yes (else it is accepted at once).
    signup_leader_confirms: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
    # How long an offer of a freed place waits for an answer before it passes to the next (never past the start).
    offer_hours: Mapped[int] = mapped_column(Integer, default=24, server_default="24")

    partners: Mapped[list[Partner]] = relationship(back_populates="partnership", lazy="noload")


class Partner(Base):
    """A partner organisation or association taking part in a partnership."""

    __tablename__ = "partner"
    __table_args__ = (UniqueConstraint("partnership_id", "slug"),)

    partnership_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("partnership.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(String(2000), default="")

    partnership: Mapped[Partnership] = relationship(back_populates="partners", lazy="noload")


class User(Base):
    """Anyone who logs in: volunteer, leader or coordinator (roles are memberships)."""

    __tablename__ = "user_account"

    email: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    display_name: Mapped[str] = mapped_column(String(201))  # a first and a last name of 100 each
    locale: Mapped[str] = mapped_column(String(8), default="sv")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(UTC)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(UTC)
    anonymised_at: Mapped[dt.datetime | None] = mapped_column(UTC)
    # When the owner proved the address (accounts/confirmation.py); while it is empty the
    # outbox sends the address nothing but account mail. Accounts made from a link sent to
    # the address (invitations) or by the seed count as confirmed when made; only
    # self-registration starts with it empty.
    email_confirmed_at: Mapped[dt.datetime | None] = mapped_column(UTC, default=_now)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", lazy="selectin", cascade="all, delete-orphan"
    )


class Membership(Base):
    """A user's role in a partnership; a leader's membership names their partner."""

    __tablename__ = "membership"
    __table_args__ = (UniqueConstraint("user_id", "partnership_id", "role", "partner_id"),)

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    partnership_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("partnership.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(str_enum(Role, "role"))
    partner_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("partner.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200), default="")

    user: Mapped[User] = relationship(back_populates="memberships", lazy="noload")


class AuthSession(Base):
    """A server-side log-in session; the cookie holds a secret whose hash is `token_hash`.

    Kept in the database so that app instances stay stateless behind a load balancer.
    """

    __tablename__ = "auth_session"

    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    expires_at: Mapped[dt.datetime] = mapped_column(UTC, index=True)
    last_seen_at: Mapped[dt.datetime] = mapped_column(UTC)
    user_agent: Mapped[str] = mapped_column(String(300), default="")


class Consent(Base):
    """A consent given (or withdrawn) with the time and the version of the wording shown."""

    __tablename__ = "consent"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))  # data_processing, guardian, referee, followup
    wording_version: Mapped[str] = mapped_column(String(40))
    given_at: Mapped[dt.datetime] = mapped_column(UTC)
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(UTC)
    given_by: Mapped[str] = mapped_column(String(200), default="")  # a guardian's name, for minors


class AccountToken(Base):
    """A single-use link sent by mail: confirm an address, reset a password, change the address.

    Only the SHA-256 of the secret is kept; the secret exists in the mail alone.
    """

    __tablename__ = "account_token"

    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(20))  # confirm_email, reset_password, change_email
    new_email: Mapped[str | None] = mapped_column(String(320))  # for change_email only
    expires_at: Mapped[dt.datetime] = mapped_column(UTC, index=True)
    used_at: Mapped[dt.datetime | None] = mapped_column(UTC)


class LoginThrottle(Base):
    """Failed log-ins counted per (address, client) together, so nobody can lock another out.

    Keys are keyed hashes (HMAC with the instance secret): the table holds no address,
    and unknown addresses are counted exactly as known ones are.
    """

    __tablename__ = "login_throttle"

    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    address_hash: Mapped[str] = mapped_column(String(64), index=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(UTC)
    last_failure_at: Mapped[dt.datetime] = mapped_column(UTC, index=True)
