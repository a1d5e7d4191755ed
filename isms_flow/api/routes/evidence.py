"""Evidence: list, upload a version, download a version, approve, restore an earlier version."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import (
    APIRouter,
    Depends,
    File,
    Form,
    Path,
    Query,
    UploadFile,
    status,
)
from fastapi.responses import FileResponse
from pydantic import Field

from isms_flow.accounts import Action
from isms_flow.api.context import (
    PageRequestDep,
    ProjectChange,
    ProjectRead,
    project_change,
    project_read,
)
from isms_flow.api.deps import LangDep, requires
from isms_flow.api.files import UploadLimitedRoute, attachment
from isms_flow.api.pagination import Page
from isms_flow.api.registers import Body
from isms_flow.services import evidence, evidence_files
from isms_flow.services.accounts import ProjectAccess
from isms_flow.services.views import EvidenceView

router = APIRouter(
    prefix="/clients/{client}/projects/{project}/evidence",
    tags=["evidence"],
    route_class=UploadLimitedRoute,
)

ReadEvidence = Annotated[ProjectRead, Depends(project_read(Action.READ_EVIDENCE))]
ChangeProject = Annotated[ProjectChange, Depends(project_change(Action.CHANGE_PROJECT))]
DocumentId = Annotated[int, Path(ge=1, le=2**31 - 1, description="The evidence number")]
VersionNumber = Annotated[int, Path(ge=1, le=2**31 - 1)]

_FILE: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/octet-stream": {}}, "description": "The stored file"}
}


class NewApproval(Body):
    """An approval of one version, in a role the workflow names."""

    role: str = Field(description="The role you approve in, e.g. `top_management`")
    version: int | None = Field(default=None, ge=1, description="Default: the current version")
    note: str = Field(default="", max_length=2000)


class Restoration(Body):
    """The earlier version to make current again."""

    version: int = Field(ge=1)


@router.get("", openapi_extra=requires(Action.READ_EVIDENCE))
def list_evidence(
    lang: LangDep,
    read: ReadEvidence,
    paging: PageRequestDep,
    kind: Annotated[str | None, Query(max_length=64, description="Only this kind")] = None,
    all_versions: Annotated[bool, Query(description="Every version, not only current")] = False,
) -> Page[EvidenceView]:
    """The project's documents by kind and name (current versions unless `all_versions`)."""
    views = evidence.list_evidence(
        read.app, ref=read.ref, kind=kind, all_versions=all_versions, lang=lang
    )
    return paging.page(views, key=lambda v: (v.kind, v.name, v.id, v.version))


@router.post("", status_code=status.HTTP_201_CREATED, openapi_extra=requires(Action.CHANGE_PROJECT))
def upload_evidence(
    lang: LangDep,
    change: ChangeProject,
    file: Annotated[UploadFile, File(description="The file; its content decides its type")],
    kind: Annotated[str, Form(max_length=64, description="Evidence kind, e.g. scope_statement")],
    name: Annotated[str | None, Form(max_length=200, description="Default: the kind")] = None,
    effective_date: Annotated[date | None, Form(description="Default: today")] = None,
    valid_until: Annotated[date | None, Form(description="The last day it counts")] = None,
    note: Annotated[str, Form(max_length=2000)] = "",
) -> EvidenceView:
    """Store a file as the next version of a document; refused whole if anything is wrong."""
    with change.applying():
        view = evidence_files.upload_evidence(
            change.app,
            ref=change.ref,
            kind=kind,
            content=file.file,
            filename=file.filename or "",
            declared_type=file.content_type,
            actor=change.actor,
            name=name,
            effective_date=effective_date,
            valid_until=valid_until,
            note=note,
            lang=lang,
        )
    change.response.headers["Location"] = _location(change.access, view)
    return view


@router.get(
    "/{document_id}/versions/{version}/content",
    response_class=FileResponse,
    responses=_FILE,
    openapi_extra=requires(Action.READ_EVIDENCE),
)
def download_evidence(
    read: ReadEvidence, document_id: DocumentId, version: VersionNumber
) -> FileResponse:
    """The stored file of a version, after checking it still matches its SHA-256 (the ETag)."""
    stored = evidence_files.evidence_content(
        read.app, ref=read.ref, document_id=document_id, version=version
    )
    headers = {
        "Content-Disposition": attachment(stored.filename),
        "ETag": f'"{stored.sha256}"',
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private",
    }
    return FileResponse(stored.path, media_type=stored.media_type, headers=headers)


@router.post(
    "/{document_id}/approvals",
    status_code=status.HTTP_201_CREATED,
    openapi_extra=requires(Action.CHANGE_PROJECT),
)
def approve_evidence(
    lang: LangDep, change: ChangeProject, document_id: DocumentId, body: NewApproval
) -> EvidenceView:
    """Approve a version (default: the current one) in a role."""
    with change.applying():
        return evidence.approve_evidence(
            change.app,
            ref=change.ref,
            document_id=document_id,
            role=body.role,
            actor=change.actor,
            version=body.version,
            note=body.note,
            lang=lang,
        )


@router.post("/{document_id}/restore", openapi_extra=requires(Action.CHANGE_PROJECT))
def restore_evidence(
    lang: LangDep, change: ChangeProject, document_id: DocumentId, body: Restoration
) -> EvidenceView:
    """Make an earlier version current again; the newer versions stay stored."""
    with change.applying():
        return evidence.restore_evidence(
            change.app,
            ref=change.ref,
            document_id=document_id,
            version=body.version,
            actor=change.actor,
            lang=lang,
        )


def _location(access: ProjectAccess, view: EvidenceView) -> str:
    client, project = access.ref.split("/", 1)
    return (
        f"/clients/{client}/projects/{project}/evidence/{view.id}/versions/{view.version}/content"
    )
