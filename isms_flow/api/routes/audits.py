"""Audits (9.2) and findings (10.2): programme, nonconformities, corrective actions, coverage."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status
from pydantic import Field

from isms_flow.api.concurrency import IfMatch, set_etag
from isms_flow.api.deps import AppDep, LangDep, PrincipalDep
from isms_flow.api.pagination import Cursor, Limit, Page, paginate
from isms_flow.api.registers import (
    CHANGE,
    PROJECT_PATH,
    READ,
    Body,
    ChangeRegister,
    ReadRegister,
    changing,
)
from isms_flow.services.registers import audits as service
from isms_flow.services.registers.audits.views import AuditView, CoverageView, FindingView

router = APIRouter(prefix=PROJECT_PATH, tags=["audits"])

Filter = Annotated[str | None, Query(max_length=100)]


class NewAudit(Body):
    """An audit to plan (dates ahead) or record (dates past), with what it covers."""

    kind: str = Field(description="internal, stage1, stage2, surveillance, recertification, …")
    started_on: date
    ended_on: date | None = Field(default=None, description="The first day if unset")
    auditor: str = Field(description="Who audits (lead auditor)")
    auditor_department: str | None = Field(
        default=None, description="The auditor's own department (required for internal audits)"
    )
    areas: list[str] = Field(default=[], description="Departments or sites audited")
    clauses: list[str] = Field(default=[], description="e.g. ['4-10'] or ['4', '6.1.2']")
    controls: list[str] = Field(default=[], description="e.g. ['A.5.1-A.5.37'] or ['all']")
    key: str | None = Field(default=None, description="e.g. IA-2026-1 if unset")


class AuditChange(Body):
    """New dates, auditor or coverage of an audit; lists given replace the stored ones."""

    started_on: date | None = None
    ended_on: date | None = None
    auditor: str | None = None
    auditor_department: str | None = None
    areas: list[str] | None = None
    clauses: list[str] | None = None
    controls: list[str] | None = None


class NewFinding(Body):
    """A finding raised in an audit, with its corrective action plan so far."""

    grade: str = Field(description="major, minor, observation or improvement")
    description: str = Field(description="What was found, with the evidence sampled")
    clause: str | None = Field(default=None, description="e.g. 9.2")
    control: str | None = Field(default=None, description="e.g. A.8.8")
    root_cause: str = ""
    correction: str = Field(default="", description="The immediate fix")
    corrective_action: str = Field(default="", description="What removes the cause")
    owner: str | None = Field(default=None, description="Who carries out the action")
    due: date | None = None


class FindingChange(Body):
    """New values for a finding; an accepted plan that changes must be accepted again."""

    description: str | None = None
    clause: str | None = Field(default=None, description='"" clears')
    control: str | None = Field(default=None, description='"" clears')
    root_cause: str | None = None
    correction: str | None = None
    corrective_action: str | None = None
    owner: str | None = None
    due: date | None = None


class PlanAcceptance(Body):
    """Who accepted a corrective action plan (the caller if unset)."""

    by: str | None = None


class Verification(Body):
    """How the effectiveness of a corrective action was checked, and by whom (the caller if
    unset; never the finding's owner)."""

    effectiveness: str
    by: str | None = None


@router.get("/audits", openapi_extra=READ)
def list_audits(
    app: AppDep,
    lang: LangDep,
    access: ReadRegister,
    request: Request,
    response: Response,
    kind: Filter = None,
    cursor: Cursor = None,
    limit: Limit = 50,
) -> Page[AuditView]:
    """The audits, oldest first, optionally of one kind."""
    set_etag(response, access.version)
    return paginate(
        service.list_audits(app, ref=access.ref, kind=kind, lang=lang),
        key=lambda v: (v.started_on.isoformat(), v.key),
        cursor=cursor,
        limit=limit,
        request=request,
        response=response,
    )


@router.post("/audits", status_code=status.HTTP_201_CREATED, openapi_extra=CHANGE)
def add_audit(
    app: AppDep,
    principal: PrincipalDep,
    lang: LangDep,
    access: ChangeRegister,
    body: NewAudit,
    response: Response,
    if_match: IfMatch = None,
) -> AuditView:
    """Plan or record an audit; `warnings` say what an auditor of the audit would object to."""
    with changing(app, access, if_match, response):
        return service.add_audit(
            app, ref=access.ref, actor=principal.actor, lang=lang, **body.model_dump()
        )


@router.patch("/audits/{audit}", openapi_extra=CHANGE)
def update_audit(
    app: AppDep,
    principal: PrincipalDep,
    lang: LangDep,
    access: ChangeRegister,
    audit: str,
    body: AuditChange,
    response: Response,
    if_match: IfMatch = None,
) -> AuditView:
    """Change an audit's dates, auditor or coverage (e.g. after a planned audit took place)."""
    with changing(app, access, if_match, response):
        return service.update_audit(
            app, ref=access.ref, key=audit, actor=principal.actor, lang=lang, **body.model_dump()
        )


@router.get("/audits/coverage", openapi_extra=READ)
def audit_coverage(
    app: AppDep,
    lang: LangDep,
    access: ReadRegister,
    response: Response,
    months: Annotated[int, Query(ge=1, le=36, description="Programme period up to today")] = 12,
) -> CoverageView:
    """Which clauses 4–10 and Annex A controls the internal audits of the period covered."""
    set_etag(response, access.version)
    return service.audit_coverage(app, ref=access.ref, within_months=months, lang=lang)


@router.get("/findings", openapi_extra=READ)
def list_findings(
    app: AppDep,
    lang: LangDep,
    access: ReadRegister,
    request: Request,
    response: Response,
    open_only: Annotated[bool, Query(alias="open", description="Only findings not closed")] = False,
    grade: Filter = None,
    finding_status: Annotated[str | None, Query(alias="status", max_length=100)] = None,
    kind: Annotated[str | None, Query(max_length=100, description="Of audits of this kind")] = None,
    audit: Annotated[str | None, Query(max_length=100, description="Of this audit")] = None,
    cursor: Cursor = None,
    limit: Limit = 50,
) -> Page[FindingView]:
    """The findings by key (F-001, F-002, … in the order raised), filtered as asked."""
    set_etag(response, access.version)
    views = service.list_findings(
        app,
        ref=access.ref,
        open_only=open_only,
        grade=grade,
        status=finding_status,
        audit_kind=kind,
        audit=audit,
        lang=lang,
    )
    return paginate(
        views,
        key=lambda v: (v.key,),
        cursor=cursor,
        limit=limit,
        request=request,
        response=response,
    )


@router.post("/audits/{audit}/findings", status_code=status.HTTP_201_CREATED, openapi_extra=CHANGE)
def add_finding(
    app: AppDep,
    principal: PrincipalDep,
    lang: LangDep,
    access: ChangeRegister,
    audit: str,
    body: NewFinding,
    response: Response,
    if_match: IfMatch = None,
) -> FindingView:
    """Raise a finding in an audit that has started."""
    with changing(app, access, if_match, response):
        return service.add_finding(
            app, ref=access.ref, audit=audit, actor=principal.actor, lang=lang, **body.model_dump()
        )


@router.patch("/findings/{finding}", openapi_extra=CHANGE)
def update_finding(
    app: AppDep,
    principal: PrincipalDep,
    lang: LangDep,
    access: ChangeRegister,
    finding: str,
    body: FindingChange,
    response: Response,
    if_match: IfMatch = None,
) -> FindingView:
    """Change a finding or its corrective action plan."""
    with changing(app, access, if_match, response):
        return service.update_finding(
            app, ref=access.ref, key=finding, actor=principal.actor, lang=lang, **body.model_dump()
        )


@router.post("/findings/{finding}/plan-acceptance", openapi_extra=CHANGE)
def accept_plan(
    app: AppDep,
    principal: PrincipalDep,
    lang: LangDep,
    access: ChangeRegister,
    finding: str,
    body: PlanAcceptance,
    response: Response,
    if_match: IfMatch = None,
) -> FindingView:
    """Accept a nonconformity's corrective action plan."""
    with changing(app, access, if_match, response):
        return service.accept_plan(
            app, ref=access.ref, key=finding, by=body.by, actor=principal.actor, lang=lang
        )


@router.post("/findings/{finding}/correction", openapi_extra=CHANGE)
def mark_corrected(
    app: AppDep,
    principal: PrincipalDep,
    lang: LangDep,
    access: ChangeRegister,
    finding: str,
    response: Response,
    if_match: IfMatch = None,
) -> FindingView:
    """Mark a nonconformity corrected: its accepted plan was carried out."""
    with changing(app, access, if_match, response):
        return service.mark_corrected(
            app, ref=access.ref, key=finding, actor=principal.actor, lang=lang
        )


@router.post("/findings/{finding}/verification", openapi_extra=CHANGE)
def verify_finding(
    app: AppDep,
    principal: PrincipalDep,
    lang: LangDep,
    access: ChangeRegister,
    finding: str,
    body: Verification,
    response: Response,
    if_match: IfMatch = None,
) -> FindingView:
    """Verify the effectiveness of a corrected nonconformity."""
    with changing(app, access, if_match, response):
        return service.verify_finding(
            app,
            ref=access.ref,
            key=finding,
            effectiveness=body.effectiveness,
            by=body.by,
            actor=principal.actor,
            lang=lang,
        )


@router.post("/findings/{finding}/closure", openapi_extra=CHANGE)
def close_finding(
    app: AppDep,
    principal: PrincipalDep,
    lang: LangDep,
    access: ChangeRegister,
    finding: str,
    response: Response,
    if_match: IfMatch = None,
) -> FindingView:
    """Close a verified nonconformity, or an observation or improvement."""
    with changing(app, access, if_match, response):
        return service.close_finding(
            app, ref=access.ref, key=finding, actor=principal.actor, lang=lang
        )
