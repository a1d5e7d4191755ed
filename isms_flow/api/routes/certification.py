"""Certification: the bodies' quotes (compared with ISO/IEC 27006), the one selected, the
certificate issued and where it stands."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
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
    RowId,
    changing,
)
from isms_flow.isms.certification import DEFAULT_CURRENCY, DEFAULT_STANDARD
from isms_flow.services.registers import certification as service
from isms_flow.services.registers.certification.views import (
    CertificateStatusView,
    CertificateView,
    ComparisonView,
    QuoteView,
    SelectionView,
)

router = APIRouter(prefix=PROJECT_PATH, tags=["certification"])


class NewQuote(Body):
    """A certification body's quote; amounts as strings keep every digit."""

    body: str = Field(description="The certification body, e.g. JQA")
    accreditation: str = Field(description="ISMS-AC, UKAS, ANAB…")
    audit_days: Decimal = Field(description="Audit days quoted (Stage 1 + 2), e.g. 8.5")
    cost: Decimal = Field(description="Total cost, e.g. 1650000")
    currency: str = Field(default=DEFAULT_CURRENCY, description="ISO 4217 code")
    quoted_on: date | None = Field(default=None, description="Today if unset")
    note: str = Field(default="", description="What the price includes, conditions")


class Selection(Body):
    """Why this certification body (kept in the history)."""

    reason: str


class NewCertificate(Body):
    """An issued certificate; it expires three years after issue."""

    number: str = Field(description="The certificate (registration) number")
    issued_on: date
    body: str | None = Field(default=None, description="The selected quote's body if unset")
    scope: str | None = Field(default=None, description="The project's scope if unset")
    standard: str = DEFAULT_STANDARD
    expires_on: date | None = Field(
        default=None, description="Only an earlier expiry than issue + 3 years, with a reason"
    )
    expiry_reason: str = ""


@router.get("/quotes", openapi_extra=READ)
def list_quotes(
    app: AppDep,
    access: ReadRegister,
    request: Request,
    response: Response,
    cursor: Cursor = None,
    limit: Limit = 50,
) -> Page[QuoteView]:
    """Every quote, in the order recorded."""
    set_etag(response, access.version)
    return paginate(
        service.list_quotes(app, ref=access.ref),
        key=lambda v: (v.id,),
        cursor=cursor,
        limit=limit,
        request=request,
        response=response,
    )


@router.post("/quotes", status_code=status.HTTP_201_CREATED, openapi_extra=CHANGE)
def add_quote(
    app: AppDep,
    principal: PrincipalDep,
    access: ChangeRegister,
    body: NewQuote,
    response: Response,
    if_match: IfMatch = None,
) -> QuoteView:
    """Record a certification body's quote."""
    with changing(app, access, if_match, response):
        return service.add_quote(app, ref=access.ref, actor=principal.actor, **body.model_dump())


@router.get("/quotes/comparison", openapi_extra=READ)
def compare_quotes(
    app: AppDep,
    lang: LangDep,
    access: ReadRegister,
    response: Response,
    headcount: Annotated[
        int | None,
        Query(ge=1, le=10**6, description="Persons in scope (default: the training roster's)"),
    ] = None,
) -> ComparisonView:
    """The quotes side by side with the ISO/IEC 27006 audit days; outliers stand out."""
    set_etag(response, access.version)
    return service.compare_quotes(app, ref=access.ref, headcount=headcount, lang=lang)


@router.post("/quotes/{quote_id}/selection", openapi_extra=CHANGE)
def select_quote(
    app: AppDep,
    principal: PrincipalDep,
    access: ChangeRegister,
    quote_id: RowId,
    body: Selection,
    response: Response,
    if_match: IfMatch = None,
) -> SelectionView:
    """Choose the certification body of a quote; a body chosen before is unselected."""
    with changing(app, access, if_match, response):
        return service.select_quote(
            app, ref=access.ref, quote_id=quote_id, reason=body.reason, actor=principal.actor
        )


@router.get("/certificate", openapi_extra=READ)
def show_certificate(
    app: AppDep, access: ReadRegister, response: Response
) -> CertificateStatusView:
    """The current certificate (null before the first) and the earlier ones."""
    set_etag(response, access.version)
    return service.show_certificate(app, ref=access.ref)


@router.post("/certificate", status_code=status.HTTP_201_CREATED, openapi_extra=CHANGE)
def record_certificate(
    app: AppDep,
    principal: PrincipalDep,
    access: ChangeRegister,
    body: NewCertificate,
    response: Response,
    if_match: IfMatch = None,
) -> CertificateView:
    """Record an issued certificate."""
    with changing(app, access, if_match, response):
        return service.record_certificate(
            app, ref=access.ref, actor=principal.actor, **body.model_dump()
        )
