"""Reading the audit tables: rows to the pure register and to views, lookups by key."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Any, cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from isms_flow.errors import NotFound
from isms_flow.i18n import Language
from isms_flow.isms.audits import AUDIT_KINDS, Audit, AuditKind, AuditRegister, control_label
from isms_flow.isms.findings import GRADES, STATUSES, Finding, FindingStatus, Grade
from isms_flow.services.registers.audits.views import AuditView, FindingView
from isms_flow.store.tables.audits import AuditRow, FindingRow

__all__ = [
    "audit_of",
    "audit_view",
    "find_audit",
    "find_finding",
    "finding_of",
    "finding_view",
    "load_audits",
    "load_audits_of",
    "next_audit_key",
    "next_finding_key",
    "project_audits",
    "project_findings",
]

_KEY_PREFIX: dict[str, str] = {
    "internal": "IA",
    "stage1": "S1",
    "stage2": "S2",
    "surveillance": "SV",
    "recertification": "RC",
    "follow_up": "FU",
}
_FINDING_NUMBER = re.compile(r"^F-(\d+)$")


def audit_of(row: AuditRow) -> Audit:
    """The pure audit of a row."""
    return Audit(
        key=row.key,
        kind=cast(AuditKind, row.kind),
        started_on=row.started_on,
        ended_on=row.ended_on,
        auditor=row.auditor,
        auditor_department=row.auditor_department,
        areas=tuple(row.areas),
        clauses=tuple(row.clauses),
        controls=tuple(row.controls),
    )


def finding_of(row: FindingRow, audit: AuditRow) -> Finding:
    """The pure finding of a row and its audit's row."""
    return Finding(
        key=row.key,
        audit_key=audit.key,
        audit_kind=audit.kind,
        grade=cast(Grade, row.grade),
        clause=row.clause,
        description=row.description,
        status=cast(FindingStatus, row.status),
        control=row.control,
        root_cause=row.root_cause,
        correction=row.correction,
        corrective_action=row.corrective_action,
        owner=row.owner,
        due=row.due,
        plan_accepted_by=row.plan_accepted_by,
        plan_accepted_at=row.plan_accepted_at,
        effectiveness=row.effectiveness,
        verified_by=row.verified_by,
        verified_at=row.verified_at,
    )


def project_audits(session: Session, project_id: int) -> list[AuditRow]:
    """The project's audits, oldest first."""
    query = (
        select(AuditRow)
        .where(AuditRow.project_id == project_id)
        .order_by(AuditRow.started_on, AuditRow.id)
    )
    return list(session.scalars(query))


def project_findings(session: Session, project_id: int) -> list[tuple[FindingRow, AuditRow]]:
    """The project's findings with their audits, in the order they were raised."""
    query = (
        select(FindingRow, AuditRow)
        .join(AuditRow, FindingRow.audit_id == AuditRow.id)
        .where(AuditRow.project_id == project_id)
        .order_by(FindingRow.id)
    )
    return [(finding, audit) for finding, audit in session.execute(query)]


def load_audits(session: Session, project: Any) -> AuditRegister:
    """The snapshot part "audits": every audit and finding of the project."""
    return AuditRegister(
        audits=tuple(audit_of(row) for row in project_audits(session, project.id)),
        findings=tuple(finding_of(f, a) for f, a in project_findings(session, project.id)),
    )


def load_audits_of(session: Session, projects: Sequence[Any]) -> dict[int, AuditRegister]:
    """`load_audits` for many projects: two queries, whatever their number."""
    ids = [project.id for project in projects]
    audits: dict[int, list[AuditRow]] = {project_id: [] for project_id in ids}
    findings: dict[int, list[tuple[FindingRow, AuditRow]]] = {project_id: [] for project_id in ids}
    for row in session.scalars(
        select(AuditRow)
        .where(AuditRow.project_id.in_(ids))
        .order_by(AuditRow.started_on, AuditRow.id)
    ):
        audits[row.project_id].append(row)
    for finding, audit in session.execute(
        select(FindingRow, AuditRow)
        .join(AuditRow, FindingRow.audit_id == AuditRow.id)
        .where(AuditRow.project_id.in_(ids))
        .order_by(FindingRow.id)
    ):
        findings[audit.project_id].append((finding, audit))
    return {
        project_id: AuditRegister(
            audits=tuple(audit_of(row) for row in audits[project_id]),
            findings=tuple(finding_of(f, a) for f, a in findings[project_id]),
        )
        for project_id in ids
    }


def find_audit(session: Session, project_id: int, key: str) -> AuditRow:
    """The audit with `key`, or NotFound naming the known ones."""
    rows = project_audits(session, project_id)
    for row in rows:
        if row.key.casefold() == key.strip().casefold():
            return row
    known = ", ".join(row.key for row in rows) or "none yet; add one with `audits add`"
    raise NotFound("audit", key, hint=f"known: {known}")


def find_finding(session: Session, project_id: int, key: str) -> tuple[FindingRow, AuditRow]:
    """The finding with `key` and its audit, or NotFound."""
    wanted = key.strip().upper()
    for finding, audit in project_findings(session, project_id):
        if finding.key == wanted:
            return finding, audit
    raise NotFound("finding", key, hint="see `isms-flow audits findings PROJECT`")


def next_audit_key(session: Session, project_id: int, kind: str, started_on: date) -> str:
    """The first free key `IA-2026-1`, `S1-2026-1`, … for an audit of `kind`."""
    taken = {row.key.casefold() for row in project_audits(session, project_id)}
    base = f"{_KEY_PREFIX[kind]}-{started_on.year}"
    return next(f"{base}-{n}" for n in range(1, 10_000) if f"{base}-{n}".casefold() not in taken)


def next_finding_key(session: Session, project_id: int) -> str:
    """`F-001`, `F-002`, …: numbered across the project so a key names one finding."""
    numbers = [
        int(match.group(1))
        for finding, _ in project_findings(session, project_id)
        if (match := _FINDING_NUMBER.match(finding.key))
    ]
    return f"F-{max(numbers, default=0) + 1:03d}"


def audit_view(row: AuditRow, findings: list[FindingRow], today: date, lang: Language) -> AuditView:
    """An audit row as shown, with its finding counts and independence warnings."""
    audit = audit_of(row)
    warnings: list[str] = []
    if audit.own_areas:
        warnings.append(
            f"not independent: {audit.auditor} of {audit.auditor_department} audits their own "
            "department"
            if lang == "en"
            else f"独立性なし: {audit.auditor_department}の{audit.auditor}が自部署を監査"
        )
    return AuditView(
        key=row.key,
        kind=row.kind,
        kind_title=AUDIT_KINDS[audit.kind].in_(lang),
        started_on=row.started_on,
        ended_on=row.ended_on,
        performed=audit.performed_by(today),
        auditor=row.auditor,
        auditor_department=row.auditor_department,
        areas=list(row.areas),
        clauses=list(row.clauses),
        controls=[control_label(c) for c in row.controls],
        findings=len(findings),
        open_findings=sum(1 for f in findings if f.status != "closed"),
        warnings=warnings,
    )


def finding_view(
    row: FindingRow, audit: AuditRow, today: date, lang: Language, note: str = ""
) -> FindingView:
    """A finding row as shown."""
    finding = finding_of(row, audit)
    return FindingView(
        key=row.key,
        audit=audit.key,
        audit_kind=audit.kind,
        grade=row.grade,
        grade_title=GRADES[finding.grade].in_(lang),
        clause=row.clause,
        control=control_label(row.control) if row.control else None,
        description=row.description,
        root_cause=row.root_cause,
        correction=row.correction,
        corrective_action=row.corrective_action,
        owner=row.owner,
        due=row.due,
        overdue=finding.overdue(today),
        status=row.status,
        status_title=STATUSES[finding.status].in_(lang),
        plan_accepted_by=row.plan_accepted_by,
        plan_accepted_at=row.plan_accepted_at,
        effectiveness=row.effectiveness,
        verified_by=row.verified_by,
        verified_at=row.verified_at,
        note=note,
    )
