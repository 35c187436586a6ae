"""Start a partnership on an empty installation: the partnership and its first coordinator's invitation."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from volunteers.db.models import Invitation, Partnership, Role
from volunteers.errors import Conflict, InvalidInput
from volunteers.partnerships.invitations import issue
from volunteers.partnerships.policy import valid_timezone

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def slug_of(name: str) -> str:
    """A URL-safe slug from a name (å, ä, ö folded to a, a, o)."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:64] or "partnership"


async def found(
    db: AsyncSession, name: str, timezone: str, coordinator_email: str, now: dt.datetime, slug: str | None = None
) -> tuple[Partnership, Invitation, str]:
    """Create the partnership and invite its first coordinator; returns the link's secret once."""
    name = name.strip()
    if not name or len(name) > 200:
        raise InvalidInput("name", "a name of 1 to 200 characters is required")
    valid_timezone(timezone)
    email = coordinator_email.strip().lower()
    if not EMAIL.match(email) or len(email) > 320:
        raise InvalidInput("coordinator", f"'{coordinator_email}' is not an e-mail address")
    slug = slug or slug_of(name)
    if not re.fullmatch(r"[a-z0-9-]{2,64}", slug):
        raise InvalidInput("slug", "2 to 64 of a-z, 0-9 and -")
    if (await db.execute(select(Partnership.id).where(Partnership.slug == slug))).first():
        raise Conflict(f"a partnership with the slug '{slug}' exists", field="slug")
    partnership = Partnership(slug=slug, name=name, timezone=timezone)
    db.add(partnership)
    await db.flush()
    invitation, token = await issue(db, partnership.id, email, Role.COORDINATOR, None, None, now)
    return partnership, invitation, token


async def invite_coordinator(
    db: AsyncSession, slug: str, email: str, now: dt.datetime
) -> tuple[Partnership, Invitation, str]:
    """A new first-coordinator link from the command line (lost link, or everyone locked out)."""
    partnership = (await db.execute(select(Partnership).where(Partnership.slug == slug))).scalar_one_or_none()
    if partnership is None:
        raise InvalidInput("partnership", f"no partnership with the slug '{slug}'")
    address = email.strip().lower()
    if not EMAIL.match(address):
        raise InvalidInput("coordinator", f"'{email}' is not an e-mail address")
    invitation, token = await issue(db, partnership.id, address, Role.COORDINATOR, None, None, now)
    return partnership, invitation, token
