"""Who is asking: the logged-in user with their roles, as guards and services see them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from volunteers.db.models import Role


@dataclass(frozen=True)
class MembershipInfo:
    partnership_id: uuid.UUID
    role: Role
    partner_id: uuid.UUID | None


@dataclass(frozen=True)
class Actor:
    """The caller. Services take one and decide what it may see and do."""

    user_id: uuid.UUID
    email: str
    display_name: str
    locale: str
    memberships: tuple[MembershipInfo, ...] = ()
    profile_id: uuid.UUID | None = None
    session_id: uuid.UUID | None = field(default=None, compare=False)

    def has_role(self, role: Role, partnership_id: uuid.UUID | None = None) -> bool:
        return any(
            m.role == role and (partnership_id is None or m.partnership_id == partnership_id) for m in self.memberships
        )

    def is_coordinator(self, partnership_id: uuid.UUID | None = None) -> bool:
        return self.has_role(Role.COORDINATOR, partnership_id)

    def is_leader(self, partnership_id: uuid.UUID | None = None) -> bool:
        return self.has_role(Role.LEADER, partnership_id)

    def leads_partner(self, partner_id: uuid.UUID) -> bool:
        return any(m.role == Role.LEADER and m.partner_id == partner_id for m in self.memberships)

    @property
    def partnership_ids(self) -> set[uuid.UUID]:
        return {m.partnership_id for m in self.memberships}

    @property
    def coordinated_partnerships(self) -> set[uuid.UUID]:
        return {m.partnership_id for m in self.memberships if m.role == Role.COORDINATOR}

    @property
    def led_partners(self) -> set[uuid.UUID]:
        return {m.partner_id for m in self.memberships if m.role == Role.LEADER and m.partner_id}

    def can_manage_partner(self, partnership_id: uuid.UUID, partner_id: uuid.UUID) -> bool:
        """Coordinators manage every partner of their partnership; leaders their own partner."""
        return self.is_coordinator(partnership_id) or self.leads_partner(partner_id)

    @property
    def roles(self) -> set[str]:
        return {m.role.value for m in self.memberships}
