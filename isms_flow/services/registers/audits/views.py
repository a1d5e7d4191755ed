"""Result models of the audits register: what the CLI prints as tables or `--json`."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict

__all__ = [
    "AuditView",
    "ClauseCoverageView",
    "CoverageView",
    "FindingView",
    "ThemeCoverageView",
]


class _View(BaseModel):
    model_config = ConfigDict(frozen=True)


class AuditView(_View):
    """An audit as listed; `warnings` name what an auditor of the audit would object to."""

    key: str
    kind: str
    kind_title: str
    started_on: date
    ended_on: date
    performed: bool
    auditor: str
    auditor_department: str | None
    areas: list[str]
    clauses: list[str]
    controls: list[str]
    findings: int
    open_findings: int
    warnings: list[str]


class FindingView(_View):
    """A finding with its corrective-action record."""

    key: str
    audit: str
    audit_kind: str
    grade: str
    grade_title: str
    clause: str
    control: str | None
    description: str
    root_cause: str
    correction: str
    corrective_action: str
    owner: str | None
    due: date | None
    overdue: bool
    status: str
    status_title: str
    plan_accepted_by: str | None
    plan_accepted_at: datetime | None
    effectiveness: str
    verified_by: str | None
    verified_at: datetime | None
    note: str = ""


class ClauseCoverageView(_View):
    """One clause 4–10 and the internal audits of the period that covered it."""

    clause: str
    title: str
    covered: bool
    audits: list[str]


class ThemeCoverageView(_View):
    """One Annex A theme: applicable controls, how many were audited, which were not."""

    theme: str
    title: str
    applicable: int
    covered: int
    missing: list[str]


class CoverageView(_View):
    """What the internal audit programme of a period covered."""

    as_of: date
    since: date
    within_months: int
    audits: list[str]
    soa_applicable: bool
    clauses: list[ClauseCoverageView]
    themes: list[ThemeCoverageView]
    missing_clauses: list[str]
    missing_controls: list[str]
    have: int
    need: int
    complete: bool
