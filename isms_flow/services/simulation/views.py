"""What `isms-flow simulate` prints, or gives as `--json`."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict

__all__ = ["ProjectOutcomeView", "SimulatedNotificationView", "SimulationView"]


class _View(BaseModel):
    model_config = ConfigDict(frozen=True)


class SimulatedNotificationView(_View):
    """A reminder or escalation that would fire, on every channel it would go out on."""

    at: datetime
    """When it would go out (UTC)."""
    local_time: str
    """The same instant where the client is, e.g. `2027-01-01 09:00 JST`."""
    timezone: str
    project: str
    deadline: str
    deadline_kind: str
    due_on: date
    kind: str
    """`reminder` or `escalation`."""
    offset_days: int
    """Days before `due_on` (0 for an escalation)."""
    channels: list[str]
    recipients: int
    """Addresses it would reach on the channels that have recipients (e-mail, webhook)."""
    late: bool
    """Already due when the simulation began: it would go out late, at once."""
    escalation: str | None
    """What the deadline's `on_overdue` did: `fired`, `escalated`, `not_applicable` or `none`."""
    trigger: str | None
    from_state: str | None
    to_state: str | None
    subject: str
    """The message's subject in the client's language."""


class ProjectOutcomeView(_View):
    """Where a project stands before and after the simulated time."""

    project: str
    state_before: str
    state_after: str


class SimulationView(_View):
    """Everything that would fire between now and the end of `until`, in order."""

    scope: str
    started_at: datetime
    until: date
    ends_at: datetime
    """The first instant after `until` where the scope's clients are (UTC)."""
    timezone: str
    notifications: list[SimulatedNotificationView]
    projects: list[ProjectOutcomeView]
    reminders: int
    escalations: int
    ticks: int
    """Moments at which the simulated scheduler had something to do."""
