"""Use cases for evidence: upload versions, approve, restore an earlier version, verify files."""

from __future__ import annotations

import difflib
import mimetypes
from datetime import date
from pathlib import Path

import structlog
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from isms_flow.bootstrap import App
from isms_flow.errors import BadInput, NotFound
from isms_flow.i18n import Language
from isms_flow.services.changes import touch_project
from isms_flow.services.lookup import find_project, project_ref
from isms_flow.services.retry import VersionPin, retry_on_conflict
from isms_flow.services.snapshots import bound_project, evaluation_context
from isms_flow.services.views import (
    ApprovalView,
    EvidenceView,
    VaultCheckView,
    VaultProblemView,
)
from isms_flow.store.events import append_event
from isms_flow.store.models import (
    EvidenceApprovalRow,
    EvidenceDocumentRow,
    EvidenceVersionRow,
    ProjectRow,
)
from isms_flow.workflow.schema import WorkflowDefinition

__all__ = ["add_evidence", "approve_evidence", "list_evidence", "restore_evidence", "verify_vault"]

_log = structlog.get_logger(__name__)


def add_evidence(
    app: App,
    *,
    ref: str,
    kind: str,
    file: Path,
    actor: str,
    name: str | None = None,
    effective_date: date | None = None,
    valid_until: date | None = None,
    note: str = "",
    lang: Language = "en",
    filename: str | None = None,
    media_type: str | None = None,
) -> EvidenceView:
    """Store a file as the next version of the document (kind, name); nothing is overwritten.

    `filename` and `media_type` replace what `file`'s own name suggests (an upload's checked name
    and sniffed type).
    """
    now = app.clock.now()
    shown = filename or file.name

    def attempt(pin: VersionPin) -> EvidenceView:
        with app.uow() as uow:
            session = uow.session
            project = find_project(session, ref)
            definition = _definition(app, project)
            _check_kind(definition, kind)
            document_name = (name or kind).strip()
            if not document_name:
                raise BadInput("document name must not be empty")
            today = evaluation_context(now, project.client.timezone).today
            effective = effective_date or today
            if valid_until is not None and valid_until < effective:
                raise BadInput(
                    f"valid-until {valid_until.isoformat()} is before the effective date "
                    f"{effective.isoformat()}"
                )
            blob = app.vault.measure(file)  # stored below, once nothing can refuse the change
            document = session.scalars(
                select(EvidenceDocumentRow).where(
                    EvidenceDocumentRow.project_id == project.id,
                    EvidenceDocumentRow.kind == kind,
                    EvidenceDocumentRow.name == document_name,
                )
            ).first()
            if document is None:
                document = EvidenceDocumentRow(
                    project_id=project.id,
                    kind=kind,
                    name=document_name,
                    current_version=0,
                    created_at=now,
                )
                session.add(document)
                uow.flush()
            else:
                current = _version(session, document, document.current_version)
                if current.sha256 == blob.sha256:
                    raise BadInput(
                        f"{shown} has the same content as the current version "
                        f"v{current.version} of '{document_name}'; nothing was stored"
                    )
            number = 1 + (
                session.scalar(
                    select(func.max(EvidenceVersionRow.version)).where(
                        EvidenceVersionRow.document_id == document.id
                    )
                )
                or 0
            )
            version = EvidenceVersionRow(
                document_id=document.id,
                version=number,
                sha256=blob.sha256,
                size=blob.size,
                filename=shown,
                media_type=media_type
                or mimetypes.guess_type(shown)[0]
                or "application/octet-stream",
                effective_date=effective,
                valid_until=valid_until,
                note=note,
                uploaded_by=actor,
                uploaded_at=now,
            )
            session.add(version)
            document.current_version = number
            touch_project(project, now)
            uow.flush()
            append_event(
                session,
                occurred_at=now,
                actor=actor,
                type="evidence_uploaded",
                client_id=project.client_id,
                project_id=project.id,
                payload={
                    "document_id": document.id,
                    "kind": kind,
                    "name": document_name,
                    "version": number,
                    "sha256": blob.sha256,
                    "size": blob.size,
                    "filename": shown,
                    "effective_date": effective.isoformat(),
                    "valid_until": valid_until.isoformat() if valid_until else None,
                },
            )
            if app.vault.put_file(file) != blob:
                raise BadInput(f"{shown} changed while it was being stored; nothing was recorded")
            uow.commit()
            with bound_project(project, actor):
                _log.info("evidence_uploaded", kind=kind, document=document.id, version=number)
            return _view(project, definition, document, version, today, versions=number, lang=lang)

    return retry_on_conflict(attempt)


def approve_evidence(
    app: App,
    *,
    ref: str,
    document_id: int,
    role: str,
    actor: str,
    version: int | None = None,
    note: str = "",
    lang: Language = "en",
) -> EvidenceView:
    """Record that `actor`, acting as `role`, approved a version (default: the current one)."""
    now = app.clock.now()

    def attempt(pin: VersionPin) -> EvidenceView:
        with app.uow() as uow:
            session = uow.session
            project = find_project(session, ref)
            definition = _definition(app, project)
            if role not in definition.roles:
                known = ", ".join(definition.roles)
                raise BadInput(
                    f"unknown role '{role}' for workflow {definition.name} (known: {known})"
                )
            document = _document(session, project, document_id)
            row = _version(
                session, document, document.current_version if version is None else version
            )
            if any(a.approved_by == actor and a.role == role for a in row.approvals):
                raise BadInput(
                    f"{actor} already approved '{document.name}' v{row.version} as {role}"
                )
            approval = EvidenceApprovalRow(
                version_id=row.id, approved_by=actor, role=role, approved_at=now, note=note
            )
            session.add(approval)
            touch_project(project, now)
            uow.flush()
            append_event(
                session,
                occurred_at=now,
                actor=actor,
                type="evidence_approved",
                client_id=project.client_id,
                project_id=project.id,
                payload={
                    "document_id": document.id,
                    "kind": document.kind,
                    "name": document.name,
                    "version": row.version,
                    "sha256": row.sha256,
                    "role": role,
                    "note": note,
                },
            )
            uow.commit()
            session.refresh(row, ["approvals"])
            today = evaluation_context(now, project.client.timezone).today
            return _view(project, definition, document, row, today, versions=None, lang=lang)

    return retry_on_conflict(attempt)


def restore_evidence(
    app: App, *, ref: str, document_id: int, version: int, actor: str, lang: Language = "en"
) -> EvidenceView:
    """Make an earlier version current again; the newer versions stay stored."""
    now = app.clock.now()

    def attempt(pin: VersionPin) -> EvidenceView:
        with app.uow() as uow:
            session = uow.session
            project = find_project(session, ref)
            definition = _definition(app, project)
            document = _document(session, project, document_id)
            row = _version(session, document, version)
            if row.version == document.current_version:
                raise BadInput(f"v{version} of '{document.name}' is already the current version")
            previous = document.current_version
            document.current_version = row.version
            touch_project(project, now)
            uow.flush()
            append_event(
                session,
                occurred_at=now,
                actor=actor,
                type="evidence_restored",
                client_id=project.client_id,
                project_id=project.id,
                payload={
                    "document_id": document.id,
                    "kind": document.kind,
                    "name": document.name,
                    "from_version": previous,
                    "to_version": row.version,
                    "sha256": row.sha256,
                },
            )
            uow.commit()
            today = evaluation_context(now, project.client.timezone).today
            return _view(project, definition, document, row, today, versions=None, lang=lang)

    return retry_on_conflict(attempt)


def list_evidence(
    app: App,
    *,
    ref: str,
    kind: str | None = None,
    all_versions: bool = False,
    lang: Language = "en",
) -> list[EvidenceView]:
    """Current versions (or every version) of a project's evidence, by kind and name."""
    now = app.clock.now()
    with app.uow() as uow:
        session = uow.session
        project = find_project(session, ref)
        definition = _definition(app, project)
        today = evaluation_context(now, project.client.timezone).today
        query = (
            select(EvidenceDocumentRow)
            .where(EvidenceDocumentRow.project_id == project.id)
            .options(
                selectinload(EvidenceDocumentRow.versions).selectinload(
                    EvidenceVersionRow.approvals
                )
            )
            .order_by(EvidenceDocumentRow.kind, EvidenceDocumentRow.name)
        )
        if kind is not None:
            _check_kind(definition, kind)
            query = query.where(EvidenceDocumentRow.kind == kind)
        views: list[EvidenceView] = []
        for document in session.scalars(query).all():
            for row in document.versions:
                if all_versions or row.version == document.current_version:
                    views.append(
                        _view(
                            project,
                            definition,
                            document,
                            row,
                            today,
                            versions=len(document.versions),
                            lang=lang,
                        )
                    )
        return views


def verify_vault(app: App, *, client_id: int | None = None) -> VaultCheckView:
    """Re-hash every recorded evidence file; name each one missing or changed, and its users.

    With `client_id`, only the files that client's evidence uses, and only its own uses of them.
    """
    with app.uow() as uow:
        query = (
            select(EvidenceVersionRow, EvidenceDocumentRow, ProjectRow)
            .join(EvidenceDocumentRow, EvidenceVersionRow.document_id == EvidenceDocumentRow.id)
            .join(ProjectRow, EvidenceDocumentRow.project_id == ProjectRow.id)
        )
        if client_id is not None:
            query = query.where(ProjectRow.client_id == client_id)
        rows = uow.session.execute(query).all()
        used_by: dict[str, list[str]] = {}
        sizes: dict[str, int] = {}
        for version, document, project in rows:
            used_by.setdefault(version.sha256, []).append(
                f"{project_ref(project)} #{document.id} '{document.name}' v{version.version}"
            )
            sizes[version.sha256] = version.size
    problems = app.vault.verify(sizes.items())
    return VaultCheckView(
        intact=not problems,
        files=len(sizes),
        problems=[
            VaultProblemView(
                sha256=p.sha256, problem=p.problem, detail=p.detail, used_by=used_by[p.sha256]
            )
            for p in problems
        ],
    )


def _definition(app: App, project: ProjectRow) -> WorkflowDefinition:
    return app.catalog.get(project.workflow_name, project.workflow_version).definition


def _check_kind(definition: WorkflowDefinition, kind: str) -> None:
    if kind in definition.evidence_kinds:
        return
    close = difflib.get_close_matches(kind, list(definition.evidence_kinds), n=1)
    hint = f"did you mean '{close[0]}'? " if close else ""
    raise BadInput(
        f"unknown evidence kind '{kind}' for workflow {definition.name} v{definition.version}; "
        f"{hint}see `isms-flow workflow show {definition.name}`"
    )


def _document(session: Session, project: ProjectRow, document_id: int) -> EvidenceDocumentRow:
    document = session.get(EvidenceDocumentRow, document_id)
    if document is None or document.project_id != project.id:
        raise NotFound("evidence", f"#{document_id} of project {project_ref(project)}")
    return document


def _version(session: Session, document: EvidenceDocumentRow, number: int) -> EvidenceVersionRow:
    row = session.scalars(
        select(EvidenceVersionRow)
        .where(EvidenceVersionRow.document_id == document.id, EvidenceVersionRow.version == number)
        .options(selectinload(EvidenceVersionRow.approvals))
    ).first()
    if row is None:
        raise NotFound("version", f"v{number} of evidence #{document.id} '{document.name}'")
    return row


def _view(
    project: ProjectRow,
    definition: WorkflowDefinition,
    document: EvidenceDocumentRow,
    row: EvidenceVersionRow,
    today: date,
    *,
    versions: int | None,
    lang: Language,
) -> EvidenceView:
    return EvidenceView(
        id=document.id,
        project=project_ref(project),
        kind=document.kind,
        kind_title=definition.vocabulary.kind(document.kind).in_(lang),
        name=document.name,
        version=row.version,
        current=row.version == document.current_version,
        versions=versions if versions is not None else len(document.versions),
        filename=row.filename,
        media_type=row.media_type,
        size=row.size,
        sha256=row.sha256,
        effective_date=row.effective_date,
        valid_until=row.valid_until,
        expired=row.valid_until is not None and row.valid_until < today,
        uploaded_by=row.uploaded_by,
        uploaded_at=row.uploaded_at,
        approvals=[
            ApprovalView(by=a.approved_by, role=a.role, at=a.approved_at, note=a.note)
            for a in row.approvals
        ],
    )
