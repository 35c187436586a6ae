"""Writes to the audit log, in the same transaction as the action it records."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from volunteers.accounts.actor import Actor
from volunteers.db.models import AuditEntry


def audit(
    db: AsyncSession,
    actor: Actor | None,
    action: str,
    subject_type: str,
    subject_id: uuid.UUID | str,
    partnership_id: uuid.UUID | None = None,
    **detail: Any,
) -> None:
    """Record a sensitive action (never the sensitive data itself)."""
    db.add(
        AuditEntry(
            actor_id=actor.user_id if actor else None,
            partnership_id=partnership_id,
            action=action,
            subject_type=subject_type,
            subject_id=str(subject_id),
            detail={k: (str(v) if isinstance(v, uuid.UUID) else v) for k, v in detail.items()},
        )
    )
