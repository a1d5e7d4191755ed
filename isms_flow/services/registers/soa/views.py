"""Result models of the SoA use cases: what the CLI prints as tables or `--json`."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

__all__ = [
    "SoaChangeView",
    "SoaEntryView",
    "SoaExportView",
    "SoaImportView",
    "SoaView",
    "Verdict",
]

Verdict = Literal["applicable", "excluded", "undecided"]


class _View(BaseModel):
    model_config = ConfigDict(frozen=True)


class SoaEntryView(_View):
    """One control's line of the SoA."""

    control: str
    title: str
    theme: str
    verdict: Verdict
    applicable: bool | None
    justification: str
    status: str | None
    status_title: str | None
    risk_keys: list[str]
    evidence_ids: list[int]
    evidence: list[str]
    """The linked evidence as `#id name`, for people."""
    chosen_in_risk_treatment: bool
    decided_by: str | None
    decided_at: datetime | None


class SoaView(_View):
    """A project's SoA with its progress and what still keeps it from being complete."""

    project: str
    client: str
    timezone: str
    edition: str
    as_of: date
    total: int
    decided: int
    applicable: int
    excluded: int
    undecided: int
    statuses: dict[str, int]
    progress: str
    """E.g. `SoA 71/93 decided`."""
    complete: bool
    problems: list[str]
    """The `soa_complete` blocker, in the requested language, when the SoA is incomplete."""
    risk_register_linked: bool
    """Whether the risk register was read to check the controls its treatments chose."""
    filters: dict[str, str]
    entries: list[SoaEntryView]


class SoaChangeView(_View):
    """What an init or a decision changed, and the progress after it."""

    project: str
    action: Literal["init", "decide"]
    controls: list[str]
    """The controls this call changed (or added, for init)."""
    unchanged: list[str]
    """Controls named in the call that already stood as decided."""
    verdict: Verdict | None
    justification: str | None
    status: str | None
    decided: int
    total: int
    saved: bool


class SoaImportView(_View):
    """What an import changed; `saved` is false when the file changed nothing."""

    project: str
    file: str
    sha256: str
    rows: int
    changed: list[str]
    unchanged: int
    skipped: int
    """Rows that left `applicable` empty and so decided nothing."""
    decided: int
    total: int
    saved: bool


class SoaExportView(_View):
    """The file an export wrote."""

    project: str
    file: str
    format: Literal["xlsx", "csv"]
    language: str
    rows: int
    decided: int
    total: int
