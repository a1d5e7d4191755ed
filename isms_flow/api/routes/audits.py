"""Audits (9.2) and findings (10.2): programme, nonconformities, corrective actions, coverage."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, status
from pydantic import Field

from isms_flow.api.context import PageRequestDep
from isms_flow.api.deps import LangDep
from isms_flow.api.pagination import Page
from isms_flow.api.registers import (
    CHANGE,
    PROJECT_PATH,
    READ,
    Body,
    ChangeRegister,
    ReadRegister,
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
    lang: LangDep, read: ReadRegister, paging: PageRequestDep, kind: Filter = None
) -> Page[AuditView]:
    """The audits, oldest first, optionally of one kind."""
    return paging.page(
        service.list_audits(read.app, ref=read.ref, kind=kind, lang=lang),
        key=lambda v: (v.started_on.isoformat(), v.key),
    )


@router.post("/audits", status_code=status.HTTP_201_CREATED, openapi_extra=CHANGE)
def add_audit(lang: LangDep, change: ChangeRegister, body: NewAudit) -> AuditView:
    """Plan or record an audit; `warnings` say what an auditor of the audit would object to."""
    with change.applying():
        return service.add_audit(
            change.app, ref=change.ref, actor=change.actor, lang=lang, **body.model_dump()
        )


@router.patch("/audits/{audit}", openapi_extra=CHANGE)
def update_audit(lang: LangDep, change: ChangeRegister, audit: str, body: AuditChange) -> AuditView:
    """Change an audit's dates, auditor or coverage (e.g. after a planned audit took place)."""
    with change.applying():
        return service.update_audit(
            change.app,
            ref=change.ref,
            key=audit,
            actor=change.actor,
            lang=lang,
            **body.model_dump(),
        )


@router.get("/audits/coverage", openapi_extra=READ)
def audit_coverage(
    lang: LangDep,
    read: ReadRegister,
    months: Annotated[int, Query(ge=1, le=36, description="Programme period up to today")] = 12,
) -> CoverageView:
    """Which clauses 4–10 and Annex A controls the internal audits of the period covered."""
    return service.audit_coverage(read.app, ref=read.ref, within_months=months, lang=lang)


@router.get("/findings", openapi_extra=READ)
def list_findings(
    lang: LangDep,
    read: ReadRegister,
    paging: PageRequestDep,
    open_only: Annotated[bool, Query(alias="open", description="Only findings not closed")] = False,
    grade: Filter = None,
    finding_status: Annotated[str | None, Query(alias="status", max_length=100)] = None,
    kind: Annotated[str | None, Query(max_length=100, description="Of audits of this kind")] = None,
    audit: Annotated[str | None, Query(max_length=100, description="Of this audit")] = None,
) -> Page[FindingView]:
    """The findings by key (F-001, F-002, … in the order raised), filtered as asked."""
    views = service.list_findings(
        read.app,
        ref=read.ref,
        open_only=open_only,
        grade=grade,
        status=finding_status,
        audit_kind=kind,
        audit=audit,
        lang=lang,
    )
    return paging.page(views, key=lambda v: (v.key,))


@router.post("/audits/{audit}/findings", status_code=status.HTTP_201_CREATED, openapi_extra=CHANGE)
def add_finding(lang: LangDep, change: ChangeRegister, audit: str, body: NewFinding) -> FindingView:
    """Raise a finding in an audit that has started."""
    with change.applying():
        return service.add_finding(
            change.app,
            ref=change.ref,
            audit=audit,
            actor=change.actor,
            lang=lang,
            **body.model_dump(),
        )


@router.patch("/findings/{finding}", openapi_extra=CHANGE)
def update_finding(
    lang: LangDep, change: ChangeRegister, finding: str, body: FindingChange
) -> FindingView:
    """Change a finding or its corrective action plan."""
    with change.applying():
        return service.update_finding(
            change.app,
            ref=change.ref,
            key=finding,
            actor=change.actor,
            lang=lang,
            **body.model_dump(),
        )


@router.post("/findings/{finding}/plan-acceptance", openapi_extra=CHANGE)
def accept_plan(
    lang: LangDep, change: ChangeRegister, finding: str, body: PlanAcceptance
) -> FindingView:
    """Accept a nonconformity's corrective action plan."""
    with change.applying():
        return service.accept_plan(
            change.app, ref=change.ref, key=finding, by=body.by, actor=change.actor, lang=lang
        )


@router.post("/findings/{finding}/correction", openapi_extra=CHANGE)
def mark_corrected(lang: LangDep, change: ChangeRegister, finding: str) -> FindingView:
    """Mark a nonconformity corrected: its accepted plan was carried out."""
    with change.applying():
        return service.mark_corrected(
            change.app, ref=change.ref, key=finding, actor=change.actor, lang=lang
        )


@router.post("/findings/{finding}/verification", openapi_extra=CHANGE)
def verify_finding(
    lang: LangDep, change: ChangeRegister, finding: str, body: Verification
) -> FindingView:
    """Verify the effectiveness of a corrected nonconformity."""
    with change.applying():
        return service.verify_finding(
            change.app,
            ref=change.ref,
            key=finding,
            effectiveness=body.effectiveness,
            by=body.by,
            actor=change.actor,
            lang=lang,
        )


@router.post("/findings/{finding}/closure", openapi_extra=CHANGE)
def close_finding(lang: LangDep, change: ChangeRegister, finding: str) -> FindingView:
    """Close a verified nonconformity, or an observation or improvement."""
    with change.applying():
        return service.close_finding(
            change.app, ref=change.ref, key=finding, actor=change.actor, lang=lang
        )
