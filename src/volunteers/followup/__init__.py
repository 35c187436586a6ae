"""Follow-up of a volunteer's situation: their own answers over time, given with consent.

Only the volunteer reads their answers; coordinators see them only counted, in the
impact report (`volunteers.reports`), with small numbers suppressed.
"""

from __future__ import annotations

from volunteers.followup.reminders import queue_followup_reminders

__all__ = ["queue_followup_reminders"]
