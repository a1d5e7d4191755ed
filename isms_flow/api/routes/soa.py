"""The Statement of Applicability (6.1.3 d): the 93 Annex A controls decided, exported, imported."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response
from pydantic import Field

from isms_flow.api.concurrency import set_etag
from isms_flow.api.deps import LangDep
from isms_flow.api.files import UploadLimitedRoute
from isms_flow.api.registers import (
    CHANGE,
    DOWNLOADS,
    PROJECT_PATH,
    READ,
    Body,
    ChangeRegister,
    CsvUploadDep,
    ReadRegister,
    download,
)
from isms_flow.services.registers import soa as service
from isms_flow.services.registers.soa.views import SoaChangeView, SoaImportView, SoaView

# Imports come as uploads: bodies are limited while they stream in.
router = APIRouter(prefix=f"{PROJECT_PATH}/soa", tags=["soa"], route_class=UploadLimitedRoute)

EvidenceId = Annotated[int, Field(ge=1, le=2**31 - 1)]


class Decision(Body):
    """One decision for one or more controls: applicable (with a status) or excluded, and why."""

    controls: list[str] = Field(
        min_length=1, description="Controls: 5.15, a range 7.1-7.14, or a theme 7"
    )
    applicable: bool
    justification: str = Field(description="Why (required either way)")
    status: str | None = Field(
        default=None, description="planned, partial or implemented (required when applicable)"
    )
    risk_keys: list[str] = Field(default=[], description="Risks it treats, e.g. R-004")
    evidence_ids: list[EvidenceId] = Field(default=[], description="Evidence numbers")


@router.get("", openapi_extra=READ)
def show_soa(
    lang: LangDep,
    read: ReadRegister,
    undecided: Annotated[bool, Query(description="Only the controls still undecided")] = False,
    theme: Annotated[
        str | None, Query(max_length=100, description="Only one theme: 5–8 or its name")
    ] = None,
) -> SoaView:
    """The SoA with its progress (e.g. `SoA 71/93 decided`) and what is still missing."""
    return service.show_soa(
        read.app, ref=read.ref, undecided_only=undecided, theme=theme, lang=lang
    )


@router.post("/init", openapi_extra=CHANGE)
def init_soa(change: ChangeRegister) -> SoaChangeView:
    """List all 93 controls as undecided; decided ones are kept."""
    with change.applying():
        return service.init_soa(change.app, ref=change.ref, actor=change.actor)


@router.post("/decisions", openapi_extra=CHANGE)
def decide_controls(change: ChangeRegister, body: Decision) -> SoaChangeView:
    """Decide one or more controls; the progress after the decision comes back."""
    with change.applying():
        return service.decide_controls(
            change.app, ref=change.ref, actor=change.actor, **body.model_dump()
        )


@router.post("/import", openapi_extra=CHANGE)
def import_soa(change: ChangeRegister, upload: CsvUploadDep) -> SoaImportView:
    """Decide controls from CSV (columns as the CSV export writes them); all rows or none."""
    with change.applying():
        return service.import_soa_data(
            change.app,
            ref=change.ref,
            data=upload.data,
            name=upload.name,
            encoding=upload.encoding,
            actor=change.actor,
        )


@router.get("/export", response_class=Response, responses=DOWNLOADS, openapi_extra=READ)
def export_soa(
    lang: LangDep,
    read: ReadRegister,
    format: Annotated[service.SoaFormat, Query(description="A styled sheet, or CSV")] = "xlsx",
) -> Response:
    """The SoA for an auditor, as XLSX or CSV (UTF-8 with BOM), in the requested language."""
    file = download(service.export_soa_data(read.app, ref=read.ref, format=format, lang=lang))
    set_etag(file, read.access.version)
    return file
