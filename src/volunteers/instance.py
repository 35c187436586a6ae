"""Which instance of the service this process belongs to (for the match runs it owns)."""

from __future__ import annotations

_current: str | None = None


def set_running_instance(instance_id: str) -> None:
    """Called when the app is made: runs created from now on belong to this instance."""
    global _current
    _current = instance_id


def running_instance() -> str | None:
    """The instance of this process, or None outside a served app (a CLI command, a script)."""
    return _current
