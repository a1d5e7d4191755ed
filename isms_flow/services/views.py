"""Result models returned by services: what adapters print as tables or `--json`."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict

__all__ = [
    "ApprovalView",
    "ChainView",
    "CheckView",
    "ClientView",
    "EventView",
    "EvidenceView",
    "OverrideView",
    "ProjectView",
    "StatusView",
    "TransitionView",
    "TriggerView",
    "VaultCheckView",
    "VaultProblemView",
]


class _View(BaseModel):
    model_config = ConfigDict(frozen=True)


class ClientView(_View):
    """A client as listed."""

    key: str
    name: str
    timezone: str
    language: str
    projects: int
    created_at: datetime


class ProjectView(_View):
    """A project as listed."""

    ref: str
    client: str
    key: str
    title: str
    workflow: str
    workflow_version: int
    state: str
    state_title: str
    scope: str | None
    version: int
    state_entered_at: datetime
    updated_at: datetime


class CheckView(_View):
    """One requirement of the current stage."""

    label: str
    met: bool
    have: int
    need: int
    blockers: list[str]


class TriggerView(_View):
    """A trigger possible from the current stage."""

    trigger: str
    title: str
    dest: str
    dest_title: str
    open: bool
    blockers: list[str]


class OverrideView(_View):
    """An override request and, once approved, who approved it."""

    id: int
    project: str
    trigger: str
    from_state: str
    reason: str
    blockers: list[str]
    status: str
    requested_by: str
    requested_at: datetime
    approved_by: str | None
    approved_at: datetime | None


class StatusView(_View):
    """The current stage of a project: checklist, triggers and pending overrides."""

    project: ProjectView
    stage_title: str
    stage_description: str | None
    final: bool
    checklist: list[CheckView]
    triggers: list[TriggerView]
    pending_overrides: list[OverrideView]
    workflow_file_changed: bool = False


class TransitionView(_View):
    """A project that moved."""

    project: str
    trigger: str
    from_state: str
    to_state: str
    to_title: str
    version: int
    override_id: int | None = None
    overridden_blockers: list[str] = []


class EventView(_View):
    """One history entry."""

    seq: int
    occurred_at: datetime
    actor: str
    type: str
    summary: str
    payload: dict[str, object]
    hash: str


class ApprovalView(_View):
    """An approval of one evidence version."""

    by: str
    role: str
    at: datetime
    note: str


class EvidenceView(_View):
    """One evidence document at one version (the current one unless listing all)."""

    id: int
    project: str
    kind: str
    kind_title: str
    name: str
    version: int
    current: bool
    versions: int
    filename: str
    media_type: str
    size: int
    sha256: str
    effective_date: date
    valid_until: date | None
    expired: bool
    uploaded_by: str
    uploaded_at: datetime
    approvals: list[ApprovalView]


class ChainView(_View):
    """The verdict on the event history."""

    intact: bool
    events: int
    head: str
    problem: str | None


class VaultProblemView(_View):
    """One evidence file that is missing or changed, and where it is used."""

    sha256: str
    problem: str
    detail: str
    used_by: list[str]


class VaultCheckView(_View):
    """The verdict on the evidence vault."""

    intact: bool
    files: int
    problems: list[VaultProblemView]
