"""Load the timelines of many projects at once: a fixed number of queries per batch, never one
per project (the scheduler refreshes thousands of projects per tick)."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import BindParameter, bindparam, or_, select
from sqlalchemy.orm import Session

from isms_flow.schedule.timeline import (
    AuditFact,
    CertificateFact,
    EvidenceFact,
    FindingFact,
    Timeline,
    Transition,
)
from isms_flow.store.models import (
    ClientRow,
    EventRow,
    EvidenceDocumentRow,
    EvidenceVersionRow,
    ProjectRow,
)
from isms_flow.store.tables.audits import AuditRow, FindingRow
from isms_flow.store.tables.certification import CertificateRow, QuoteRow
from isms_flow.store.tables.reviews import ManagementReviewRow
from isms_flow.store.tables.schedule import ScheduleStateRow

__all__ = ["ProjectHead", "load_timelines", "stale_projects"]


@dataclass(frozen=True)
class ProjectHead:
    """The columns of a project a refresh needs, read without ORM objects."""

    id: int
    key: str
    client_id: int
    client_key: str
    timezone: str
    state: str
    version: int
    workflow_name: str
    workflow_version: int

    @property
    def ref(self) -> str:
        """`client/project`."""
        return f"{self.client_key}/{self.key}"


_HEADS = (
    select(
        ProjectRow.id,
        ProjectRow.key,
        ProjectRow.client_id,
        ClientRow.key.label("client_key"),
        ClientRow.timezone,
        ProjectRow.state,
        ProjectRow.version,
        ProjectRow.workflow_name,
        ProjectRow.workflow_version,
    )
    .join(ClientRow, ClientRow.id == ProjectRow.client_id)
    .outerjoin(ScheduleStateRow, ScheduleStateRow.project_id == ProjectRow.id)
    .where(
        or_(
            ScheduleStateRow.project_id.is_(None),
            ScheduleStateRow.computed_version != ProjectRow.version,
            ScheduleStateRow.recheck_at <= bindparam("now"),
        )
    )
    .where(ProjectRow.id > bindparam("after"))
    .order_by(ProjectRow.id)
    .limit(bindparam("limit"))
)
_HEADS_AMONG = _HEADS.where(ProjectRow.id.in_(bindparam("among", expanding=True)))


def stale_projects(
    session: Session,
    *,
    now: datetime,
    after: int,
    limit: int,
    among: Collection[int] | None = None,
) -> list[ProjectHead]:
    """Projects (id > `after`) whose version moved since their deadlines were computed, or
    whose recheck time (a planned audit's day) has come."""
    params: dict[str, Any] = {"now": now, "after": after, "limit": limit}
    statement = _HEADS
    if among is not None:
        statement, params["among"] = _HEADS_AMONG, sorted(among)
    rows = session.connection().execute(statement, params)
    return [ProjectHead(*row) for row in rows]  # columns in the order of its fields


@dataclass
class _Facts:
    transitions: list[Transition] = field(default_factory=list)
    certificates: list[CertificateFact] = field(default_factory=list)
    audits: list[AuditFact] = field(default_factory=list)
    findings: list[FindingFact] = field(default_factory=list)
    evidence: list[EvidenceFact] = field(default_factory=list)
    reviews: list[date] = field(default_factory=list)
    body: str | None = None


_IDS: BindParameter[list[int]] = bindparam("ids", expanding=True)
# Built once, run with parameters: a refresh runs these for every batch of projects, and
# building a statement costs more than running it.
_TRANSITIONS = (
    select(EventRow.project_id, EventRow.occurred_at, EventRow.payload)
    .where(EventRow.type == "state_changed", EventRow.project_id.in_(_IDS))
    .order_by(EventRow.seq)
)
_CERTIFICATES = (
    select(
        CertificateRow.project_id,
        CertificateRow.number,
        CertificateRow.body,
        CertificateRow.issued_on,
        CertificateRow.expires_on,
    )
    .where(CertificateRow.project_id.in_(_IDS))
    .order_by(CertificateRow.id)  # recorded order: a reissue comes after what it replaces
)
_AUDITS = (
    select(AuditRow.project_id, AuditRow.key, AuditRow.kind, AuditRow.started_on, AuditRow.ended_on)
    .where(AuditRow.project_id.in_(_IDS))
    .order_by(AuditRow.started_on, AuditRow.id)
)
_FINDINGS = (
    select(
        AuditRow.project_id,
        AuditRow.key.label("audit_key"),
        AuditRow.kind,
        AuditRow.ended_on,
        FindingRow.key,
        FindingRow.grade,
        FindingRow.status,
        FindingRow.due,
    )
    .join(AuditRow, AuditRow.id == FindingRow.audit_id)
    .where(AuditRow.project_id.in_(_IDS))
    .order_by(AuditRow.started_on, AuditRow.id, FindingRow.id)
)
_REVIEWS = (
    select(ManagementReviewRow.project_id, ManagementReviewRow.held_on)
    .where(ManagementReviewRow.project_id.in_(_IDS))
    .order_by(ManagementReviewRow.held_on)
)
_SELECTED_BODIES = select(QuoteRow.project_id, QuoteRow.body).where(
    QuoteRow.project_id.in_(_IDS), QuoteRow.selected.is_(True)
)
_EVIDENCE = (
    select(
        EvidenceDocumentRow.project_id,
        EvidenceDocumentRow.id,
        EvidenceDocumentRow.kind,
        EvidenceDocumentRow.name,
        EvidenceDocumentRow.current_version,
        EvidenceVersionRow.version,
        EvidenceVersionRow.effective_date,
        EvidenceVersionRow.valid_until,
    )
    .join(EvidenceVersionRow, EvidenceVersionRow.document_id == EvidenceDocumentRow.id)
    .order_by(EvidenceDocumentRow.id, EvidenceVersionRow.version)
)
_EVIDENCE_EXPIRING = _EVIDENCE.where(
    EvidenceDocumentRow.project_id.in_(_IDS), EvidenceVersionRow.valid_until.is_not(None)
)
_EVIDENCE_EXPIRING_OR_OF_KINDS = _EVIDENCE.where(
    EvidenceDocumentRow.project_id.in_(_IDS),
    or_(
        EvidenceVersionRow.valid_until.is_not(None),
        EvidenceDocumentRow.kind.in_(bindparam("kinds", expanding=True)),
    ),
)


def load_timelines(
    session: Session,
    heads: Sequence[ProjectHead],
    evidence_kinds: Collection[str],
    *,
    now: datetime,
) -> dict[int, Timeline]:
    """The timeline of each project in `heads`, by project id.

    Evidence versions are loaded when they carry a valid-until date or are of one of
    `evidence_kinds` (documents that also date a recurring duty, e.g. internal audit reports).
    """
    ids = {"ids": [head.id for head in heads]}
    zones = {head.id: ZoneInfo(head.timezone) for head in heads}
    facts: dict[int, _Facts] = defaultdict(_Facts)
    connection = session.connection()

    def local(project_id: int, moment: datetime) -> date:
        return moment.astimezone(zones[project_id]).date()

    for event in connection.execute(_TRANSITIONS, ids):
        project_id = int(event.project_id or 0)  # never None: selected by project
        data: dict[str, Any] = json.loads(event.payload)
        facts[project_id].transitions.append(
            Transition(
                local(project_id, event.occurred_at),
                str(data.get("trigger", "")),
                str(data.get("from", "")),
                str(data.get("to", "")),
            )
        )
    for cert in connection.execute(_CERTIFICATES, ids):
        facts[cert.project_id].certificates.append(
            CertificateFact(cert.number, cert.body, cert.issued_on, cert.expires_on)
        )
    for audit in connection.execute(_AUDITS, ids):
        facts[audit.project_id].audits.append(
            AuditFact(audit.key, audit.kind, audit.started_on, audit.ended_on)
        )
    for row in connection.execute(_FINDINGS, ids):
        facts[row.project_id].findings.append(
            FindingFact(
                row.audit_key, row.kind, row.ended_on, row.key, row.grade, row.status, row.due
            )
        )
    if evidence_kinds:
        evidence = connection.execute(
            _EVIDENCE_EXPIRING_OR_OF_KINDS, {**ids, "kinds": sorted(evidence_kinds)}
        )
    else:
        evidence = connection.execute(_EVIDENCE_EXPIRING, ids)
    for found in evidence:
        facts[found.project_id].evidence.append(
            EvidenceFact(
                document_id=found.id,
                kind=found.kind,
                name=found.name,
                version=found.version,
                current_version=found.current_version,
                effective_on=found.effective_date,
                valid_until=found.valid_until,
            )
        )
    for project_id, held_on in connection.execute(_REVIEWS, ids):
        facts[project_id].reviews.append(held_on)
    for project_id, body in connection.execute(_SELECTED_BODIES, ids):
        facts[project_id].body = body
    return {
        head.id: _timeline(head, facts[head.id], now.astimezone(zones[head.id]).date())
        for head in heads
    }


def _timeline(head: ProjectHead, facts: _Facts, today: date) -> Timeline:
    return Timeline(
        today=today,
        state=head.state,
        transitions=tuple(facts.transitions),
        certificates=tuple(facts.certificates),
        audits=tuple(facts.audits),
        findings=tuple(facts.findings),
        evidence=tuple(facts.evidence),
        reviews=tuple(facts.reviews),
        certification_body=facts.body,
    )
