"""Use cases of deadlines: refresh them from what happened, list them, export them as a
calendar, and set a client's reminder days. See docs/scheduling.md."""

from __future__ import annotations

from isms_flow.services.deadlines.calendar import calendar_ics, event_uid, export_calendar
from isms_flow.services.deadlines.listing import DUE_SOON_DAYS, display_status, list_deadlines
from isms_flow.services.deadlines.offsets import (
    mark_client_stale,
    set_client_reminders,
    show_client_reminders,
)
from isms_flow.services.deadlines.refresh import refresh_deadlines

__all__ = [
    "DUE_SOON_DAYS",
    "calendar_ics",
    "display_status",
    "event_uid",
    "export_calendar",
    "list_deadlines",
    "mark_client_stale",
    "refresh_deadlines",
    "set_client_reminders",
    "show_client_reminders",
]
