"""Build the pure `ProjectSnapshot` a guard reads from the stored rows of one project."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

import structlog
from sqlalchemy import and_, bindparam, select
from sqlalchemy.orm import Session

from isms_flow.services.lookup import ProjectFacts
from isms_flow.services.registers import PartLoader, bulk_part_loaders, part_loaders
from isms_flow.store.models import (
    EvidenceApprovalRow,
    EvidenceDocumentRow,
    EvidenceVersionRow,
    ProjectRow,
)
from isms_flow.workflow.snapshot import (
    Approval,
    EvaluationContext,
    EvidenceFact,
    ProjectSnapshot,
    Scope,
)

__all__ = [
    "ProjectLike",
    "bound_project",
    "evaluation_context",
    "load_evidence",
    "load_part",
    "load_parts",
    "load_snapshot",
    "load_snapshots",
    "scope_of",
]


class ProjectLike(Protocol):
    """What snapshot building reads of a project: a ProjectRow or lookup.ProjectFacts."""

    @property
    def id(self) -> int: ...
    @property
    def state(self) -> str: ...
    @property
    def scope_whole(self) -> bool | None: ...
    @property
    def scope_units(self) -> list[str]: ...


def scope_of(project: ProjectLike) -> Scope | None:
    """The recorded scope, or None when none was recorded."""
    if project.scope_whole is None:
        return None
    return Scope(whole_organization=project.scope_whole, units=tuple(project.scope_units or ()))


# Built once: one row per (current version, approval), no ORM objects. Approvals come in id
# order, as the `approvals` relationship orders them.
_CURRENT_EVIDENCE = (
    select(
        EvidenceDocumentRow.id,
        EvidenceDocumentRow.kind,
        EvidenceDocumentRow.name,
        EvidenceVersionRow.version,
        EvidenceVersionRow.uploaded_at,
        EvidenceVersionRow.effective_date,
        EvidenceVersionRow.valid_until,
        EvidenceApprovalRow.approved_by,
        EvidenceApprovalRow.role,
        EvidenceApprovalRow.approved_at,
    )
    .join(
        EvidenceVersionRow,
        and_(
            EvidenceVersionRow.document_id == EvidenceDocumentRow.id,
            EvidenceVersionRow.version == EvidenceDocumentRow.current_version,
        ),
    )
    .outerjoin(EvidenceApprovalRow, EvidenceApprovalRow.version_id == EvidenceVersionRow.id)
    .order_by(EvidenceDocumentRow.id, EvidenceApprovalRow.id)
)
_EVIDENCE_OF_ONE = _CURRENT_EVIDENCE.where(
    EvidenceDocumentRow.project_id == bindparam("project_id")
)
_EVIDENCE_OF_MANY = _CURRENT_EVIDENCE.add_columns(EvidenceDocumentRow.project_id).where(
    EvidenceDocumentRow.project_id.in_(bindparam("project_ids", expanding=True))
)
_CHUNK = 500  # projects per IN (...) list


def load_snapshot(
    session: Session, project: ProjectLike, parts: Iterable[str] = ()
) -> ProjectSnapshot:
    """Current evidence versions with their approvals, the scope, the state, and the register
    `parts` the stage's requirements read (see `workflow.engine.parts_read`)."""
    # Core on the session's connection: plain rows, no ORM layer in between.
    rows = session.connection().execute(_EVIDENCE_OF_ONE, {"project_id": project.id})
    registers = {part: load_part(session, project, part) for part in sorted(set(parts))}
    return ProjectSnapshot(
        state=project.state,
        scope=scope_of(project),
        evidence=_evidence_facts(rows),
        registers=registers,
    )


def load_snapshots(
    session: Session, wanted: Sequence[tuple[ProjectLike, frozenset[str]]]
) -> dict[int, ProjectSnapshot]:
    """`load_snapshot` of many projects, each with the register parts it needs, by project id:
    one evidence query and one bulk load per part, whatever the number of projects (up to 500;
    more take one more round per 500)."""
    evidence = load_evidence(session, [project.id for project, _ in wanted])
    by_part: dict[str, list[ProjectLike]] = {}
    for project, parts in wanted:
        for part in parts:
            by_part.setdefault(part, []).append(project)
    loaded = {part: load_parts(session, members, part) for part, members in sorted(by_part.items())}
    return {
        project.id: ProjectSnapshot(
            state=project.state,
            scope=scope_of(project),
            evidence=evidence[project.id],
            registers={part: loaded[part][project.id] for part in sorted(parts)},
        )
        for project, parts in wanted
    }


def load_evidence(
    session: Session, project_ids: Iterable[int]
) -> dict[int, tuple[EvidenceFact, ...]]:
    """The current evidence of many projects at once (one query per 500 projects)."""
    rows_of: dict[int, list[Any]] = {project_id: [] for project_id in project_ids}
    ids = sorted(rows_of)
    connection = session.connection()
    for start in range(0, len(ids), _CHUNK):
        params = {"project_ids": ids[start : start + _CHUNK]}
        for row in connection.execute(_EVIDENCE_OF_MANY, params):
            rows_of[row.project_id].append(row)
    return {project_id: _evidence_facts(rows) for project_id, rows in rows_of.items()}


def load_part(session: Session, project: ProjectLike, part: str) -> object:
    """One register part of a project's snapshot."""
    return _part_loader(part)(session, project)


def load_parts(
    session: Session, projects: Sequence[ProjectLike], part: str
) -> Mapping[int, object]:
    """One register part of many projects' snapshots, by project id: in bulk when the register
    offers it (`SNAPSHOT_BULK_PARTS`), else project by project."""
    bulk = bulk_part_loaders().get(part)
    if bulk is None:
        return {project.id: load_part(session, project, part) for project in projects}
    found: dict[int, object] = {}
    for start in range(0, len(projects), _CHUNK):
        found.update(bulk(session, projects[start : start + _CHUNK]))
    return found


def _evidence_facts(rows: Iterable[Any]) -> tuple[EvidenceFact, ...]:
    documents: dict[int, tuple[Any, list[Approval]]] = {}
    for row in rows:
        entry = documents.setdefault(row.id, (row, []))
        if row.approved_by is not None:
            entry[1].append(Approval(by=row.approved_by, role=row.role, at=row.approved_at))
    return tuple(
        EvidenceFact(
            document_id=row.id,
            kind=row.kind,
            name=row.name,
            version=row.version,
            uploaded_at=row.uploaded_at,
            effective_date=row.effective_date,
            valid_until=row.valid_until,
            approvals=tuple(approvals),
        )
        for row, approvals in documents.values()
    )


def _part_loader(part: str) -> PartLoader:
    loaders = part_loaders()
    if part not in loaders:
        known = ", ".join(sorted(loaders)) or "none"
        raise LookupError(f"no loader for register part '{part}' (known: {known})")
    return loaders[part]


def evaluation_context(now: datetime, timezone: str) -> EvaluationContext:
    """`now`, and today's date where the client is."""
    return EvaluationContext(now=now, today=now.astimezone(ZoneInfo(timezone)).date())


@contextmanager
def bound_project(project: ProjectRow | ProjectFacts, actor: str) -> Iterator[None]:
    """Bind client, project and actor to every log line inside the block."""
    client = project.client_key if isinstance(project, ProjectFacts) else project.client.key
    with structlog.contextvars.bound_contextvars(client=client, project=project.key, actor=actor):
        yield
