"""The Statement of Applicability (6.1.3 d): the 93 Annex A controls decided, exported, imported."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response
from pydantic import Field

from isms_flow.api.concurrency import IfMatch, set_etag
from isms_flow.api.deps import AppDep, LangDep, PrincipalDep
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
    changing,
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
    app: AppDep,
    lang: LangDep,
    access: ReadRegister,
    response: Response,
    undecided: Annotated[bool, Query(description="Only the controls still undecided")] = False,
    theme: Annotated[
        str | None, Query(max_length=100, description="Only one theme: 5–8 or its name")
    ] = None,
) -> SoaView:
    """The SoA with its progress (e.g. `SoA 71/93 decided`) and what is still missing."""
    set_etag(response, access.version)
    return service.show_soa(app, ref=access.ref, undecided_only=undecided, theme=theme, lang=lang)


@router.post("/init", openapi_extra=CHANGE)
def init_soa(
    app: AppDep,
    principal: PrincipalDep,
    access: ChangeRegister,
    response: Response,
    if_match: IfMatch = None,
) -> SoaChangeView:
    """List all 93 controls as undecided; decided ones are kept."""
    with changing(app, access, if_match, response):
        return service.init_soa(app, ref=access.ref, actor=principal.actor)


@router.post("/decisions", openapi_extra=CHANGE)
def decide_controls(
    app: AppDep,
    principal: PrincipalDep,
    access: ChangeRegister,
    body: Decision,
    response: Response,
    if_match: IfMatch = None,
) -> SoaChangeView:
    """Decide one or more controls; the progress after the decision comes back."""
    with changing(app, access, if_match, response):
        return service.decide_controls(
            app, ref=access.ref, actor=principal.actor, **body.model_dump()
        )


@router.post("/import", openapi_extra=CHANGE)
def import_soa(
    app: AppDep,
    principal: PrincipalDep,
    access: ChangeRegister,
    upload: CsvUploadDep,
    response: Response,
    if_match: IfMatch = None,
) -> SoaImportView:
    """Decide controls from CSV (columns as the CSV export writes them); all rows or none."""
    with changing(app, access, if_match, response):
        return service.import_soa_data(
            app,
            ref=access.ref,
            data=upload.data,
            name=upload.name,
            encoding=upload.encoding,
            actor=principal.actor,
        )


@router.get("/export", response_class=Response, responses=DOWNLOADS, openapi_extra=READ)
def export_soa(
    app: AppDep,
    lang: LangDep,
    access: ReadRegister,
    format: Annotated[service.SoaFormat, Query(description="A styled sheet, or CSV")] = "xlsx",
) -> Response:
    """The SoA for an auditor, as XLSX or CSV (UTF-8 with BOM), in the requested language."""
    file = download(service.export_soa_data(app, ref=access.ref, format=format, lang=lang))
    set_etag(file, access.version)
    return file
