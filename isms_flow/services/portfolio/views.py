"""Result models of the portfolio: what `isms-flow portfolio` prints and `GET /portfolio`
returns."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict

__all__ = ["NextDeadlineView", "PortfolioPage", "PortfolioRow"]


class _View(BaseModel):
    model_config = ConfigDict(frozen=True)


class NextDeadlineView(_View):
    """The soonest deadline of a project that is still open (or already missed)."""

    key: str
    kind: str
    title: str
    due_on: date
    """A calendar day in the client's time zone."""
    due_at: datetime
    """The first instant it is missed: 00:00 client-local the day after `due_on`, as UTC."""


class PortfolioRow(_View):
    """One project as a consultant's portfolio shows it."""

    client: str
    client_name: str
    project: str
    """`client/project`, the reference every other command takes."""
    key: str
    title: str
    workflow: str
    workflow_version: int
    stage: str
    stage_title: str
    timezone: str
    """The client's time zone: days are counted in it."""
    entered_stage_at: datetime
    days_in_stage: int
    """Calendar days (client-local) since the project entered its current stage."""
    forward_trigger: str | None
    """The trigger that moves the project on (e.g. `advance`); None when the stage is final
    or is left only by side paths."""
    blockers: int | None
    """How many blockers `forward_trigger` has now (what `project status` lists for it); None
    without a forward trigger or when the project's workflow is not installed."""
    next_deadline: NextDeadlineView | None
    days_left: int | None
    """Days from the client's today to the next deadline; negative once it has passed."""
    overdue: bool
    """The next deadline has passed unmet."""


class PortfolioPage(_View):
    """One page of the portfolio, soonest deadline first, and how to get the next one."""

    generated_at: datetime
    client: str | None
    stage: str | None
    overdue: bool | None
    total: int
    """Projects matching the filters among those the caller may see, over every page."""
    rows: list[PortfolioRow]
    next_cursor: str | None
    """Pass it back as `cursor` for the next page; None on the last page."""
