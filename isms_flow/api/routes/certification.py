"""Certification: the bodies' quotes (compared with ISO/IEC 27006), the one selected, the
certificate issued and where it stands."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
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
    RowId,
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
def list_quotes(read: ReadRegister, paging: PageRequestDep) -> Page[QuoteView]:
    """Every quote, in the order recorded."""
    return paging.page(service.list_quotes(read.app, ref=read.ref), key=lambda v: (v.id,))


@router.post("/quotes", status_code=status.HTTP_201_CREATED, openapi_extra=CHANGE)
def add_quote(change: ChangeRegister, body: NewQuote) -> QuoteView:
    """Record a certification body's quote."""
    with change.applying():
        return service.add_quote(
            change.app, ref=change.ref, actor=change.actor, **body.model_dump()
        )


@router.get("/quotes/comparison", openapi_extra=READ)
def compare_quotes(
    lang: LangDep,
    read: ReadRegister,
    headcount: Annotated[
        int | None,
        Query(ge=1, le=10**6, description="Persons in scope (default: the training roster's)"),
    ] = None,
) -> ComparisonView:
    """The quotes side by side with the ISO/IEC 27006 audit days; outliers stand out."""
    return service.compare_quotes(read.app, ref=read.ref, headcount=headcount, lang=lang)


@router.post("/quotes/{quote_id}/selection", openapi_extra=CHANGE)
def select_quote(change: ChangeRegister, quote_id: RowId, body: Selection) -> SelectionView:
    """Choose the certification body of a quote; a body chosen before is unselected."""
    with change.applying():
        return service.select_quote(
            change.app, ref=change.ref, quote_id=quote_id, reason=body.reason, actor=change.actor
        )


@router.get("/certificate", openapi_extra=READ)
def show_certificate(read: ReadRegister) -> CertificateStatusView:
    """The current certificate (null before the first) and the earlier ones."""
    return service.show_certificate(read.app, ref=read.ref)


@router.post("/certificate", status_code=status.HTTP_201_CREATED, openapi_extra=CHANGE)
def record_certificate(change: ChangeRegister, body: NewCertificate) -> CertificateView:
    """Record an issued certificate."""
    with change.applying():
        return service.record_certificate(
            change.app, ref=change.ref, actor=change.actor, **body.model_dump()
        )
