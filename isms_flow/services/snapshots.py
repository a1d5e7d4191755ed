"""Build the pure `ProjectSnapshot` a guard reads from the stored rows of one project."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from zoneinfo import ZoneInfo

import structlog
from sqlalchemy import and_, select
from sqlalchemy.orm import Session, selectinload

from isms_flow.store.models import EvidenceDocumentRow, EvidenceVersionRow, ProjectRow
from isms_flow.workflow.snapshot import (
    Approval,
    EvaluationContext,
    EvidenceFact,
    ProjectSnapshot,
    Scope,
)

__all__ = ["bound_project", "evaluation_context", "load_snapshot", "scope_of"]


def scope_of(project: ProjectRow) -> Scope | None:
    """The recorded scope, or None when none was recorded."""
    if project.scope_whole is None:
        return None
    return Scope(whole_organization=project.scope_whole, units=tuple(project.scope_units or ()))


def load_snapshot(session: Session, project: ProjectRow) -> ProjectSnapshot:
    """Current evidence versions with their approvals, the scope and the state."""
    rows = session.execute(
        select(EvidenceDocumentRow, EvidenceVersionRow)
        .join(
            EvidenceVersionRow,
            and_(
                EvidenceVersionRow.document_id == EvidenceDocumentRow.id,
                EvidenceVersionRow.version == EvidenceDocumentRow.current_version,
            ),
        )
        .where(EvidenceDocumentRow.project_id == project.id)
        .options(selectinload(EvidenceVersionRow.approvals))
        .order_by(EvidenceDocumentRow.id)
    ).all()
    facts = tuple(
        EvidenceFact(
            document_id=document.id,
            kind=document.kind,
            name=document.name,
            version=version.version,
            uploaded_at=version.uploaded_at,
            effective_date=version.effective_date,
            valid_until=version.valid_until,
            approvals=tuple(
                Approval(by=a.approved_by, role=a.role, at=a.approved_at) for a in version.approvals
            ),
        )
        for document, version in rows
    )
    return ProjectSnapshot(state=project.state, scope=scope_of(project), evidence=facts)


def evaluation_context(now: datetime, timezone: str) -> EvaluationContext:
    """`now`, and today's date where the client is."""
    return EvaluationContext(now=now, today=now.astimezone(ZoneInfo(timezone)).date())


@contextmanager
def bound_project(project: ProjectRow, actor: str) -> Iterator[None]:
    """Bind client, project and actor to every log line inside the block."""
    with structlog.contextvars.bound_contextvars(
        client=project.client.key, project=project.key, actor=actor
    ):
        yield
