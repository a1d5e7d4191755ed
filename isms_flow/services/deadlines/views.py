"""Result models of the deadline use cases: what `isms-flow deadlines`, `calendar` and
`client reminders` print, or give as `--json`."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

__all__ = [
    "CalendarExportView",
    "ClientRemindersView",
    "DeadlineListView",
    "DeadlineView",
    "DisplayStatus",
    "ReminderOffsetsView",
]

DisplayStatus = Literal["open", "due_soon", "overdue", "met", "cancelled"]


class _View(BaseModel):
    model_config = ConfigDict(frozen=True)


class DeadlineView(_View):
    """One deadline of a project as of the client's today."""

    project: str
    client: str
    key: str
    kind: str
    title: str
    due_on: date
    due_at: datetime
    """The first instant it is missed: 00:00 client-local the day after `due_on`, as UTC."""
    timezone: str
    days_left: int
    """Days from the client's today to `due_on`; negative once it has passed."""
    status: DisplayStatus
    on_overdue: str
    """The trigger fired when it is missed, `escalate`, or empty."""
    on_overdue_state: str
    """Title of the stage that trigger moves the project to (empty for `escalate` or none)."""
    stage: str | None
    next_reminder_at: datetime | None
    reminders: list[datetime]
    """Every reminder not cancelled (one per offset, whatever the channels), oldest first."""
    computed_at: datetime
    """When the deadline last changed (its due date, status or basis)."""
    basis: dict[str, Any]


class DeadlineListView(_View):
    """The deadlines of one project, one client or every client, soonest first."""

    scope: str
    """`acme/isms`, `client acme` or `all clients`."""
    generated_at: datetime
    include_all: bool
    deadlines: list[DeadlineView]


class CalendarExportView(_View):
    """What `isms-flow calendar` wrote."""

    file: str
    scope: str
    events: int
    alarms: int
    language: str


class ReminderOffsetsView(_View):
    """The reminder days of one deadline kind for a client, and where they come from."""

    kind: str
    title: str
    workflow: str
    days: list[int]
    source: Literal["client", "client_default", "workflow"]


class ClientRemindersView(_View):
    """A client's reminder days: its own settings and what each deadline kind uses."""

    client: str
    settings: dict[str, list[int]]
    """The client's own offsets by deadline kind; `*` applies to every kind without its own."""
    kinds: list[ReminderOffsetsView]
