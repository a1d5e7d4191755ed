"""Reading the quote and certificate tables: rows to pure values and views, the in-scope
headcount, and the snapshot parts "quotes" and "certificate"."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from isms_flow.errors import NotFound
from isms_flow.isms.certification import (
    Certificate,
    CertificateRegister,
    Quote,
    QuoteRegister,
    format_money,
    money,
)
from isms_flow.services.registers.certification.views import CertificateView, QuoteView
from isms_flow.store.tables.certification import CertificateRow, QuoteRow
from isms_flow.store.tables.training import StaffRow

__all__ = [
    "certificate_of",
    "certificate_rows",
    "certificate_view",
    "find_quote",
    "in_scope_headcount",
    "load_certificates",
    "load_certificates_of",
    "load_quotes",
    "load_quotes_of",
    "quote_of",
    "quote_rows",
    "quote_view",
]


def quote_of(row: QuoteRow) -> Quote:
    """The pure quote of a row."""
    return Quote(
        id=row.id,
        body=row.body,
        accreditation=row.accreditation,
        audit_days=row.audit_days.quantize(Decimal("0.1")),
        cost=money(row.cost, row.currency),
        quoted_on=row.quoted_on,
        currency=row.currency,
        note=row.note,
        selected=row.selected,
        selection_reason=row.selection_reason,
    )


def quote_view(row: QuoteRow, ref: str) -> QuoteView:
    """A quote row as shown."""
    quote = quote_of(row)
    return QuoteView(
        id=row.id,
        project=ref,
        body=row.body,
        accreditation=row.accreditation,
        audit_days=quote.audit_days,
        cost=quote.cost,
        currency=row.currency,
        price=quote.price,
        cost_per_day=money(quote.cost_per_day, row.currency),
        cost_per_day_text=format_money(quote.cost_per_day, row.currency),
        quoted_on=row.quoted_on,
        note=row.note,
        selected=row.selected,
        selection_reason=row.selection_reason,
        recorded_by=row.created_by,
        recorded_at=row.created_at,
    )


def quote_rows(session: Session, project_id: int) -> list[QuoteRow]:
    """The project's quotes in the order they were recorded."""
    query = select(QuoteRow).where(QuoteRow.project_id == project_id).order_by(QuoteRow.id)
    return list(session.scalars(query))


def find_quote(session: Session, project_id: int, quote_id: int) -> QuoteRow:
    """The quote #`quote_id` of the project, or NotFound."""
    row = session.get(QuoteRow, quote_id)
    if row is None or row.project_id != project_id:
        raise NotFound("quote", f"#{quote_id}", hint="see `isms-flow quotes list`")
    return row


def certificate_of(row: CertificateRow) -> Certificate:
    """The pure certificate of a row."""
    return Certificate(
        id=row.id,
        number=row.number,
        body=row.body,
        scope=row.scope,
        issued_on=row.issued_on,
        expires_on=row.expires_on,
        standard=row.standard,
        expiry_reason=row.expiry_reason,
    )


def certificate_view(row: CertificateRow, ref: str, today: date) -> CertificateView:
    """A certificate row as shown on `today`."""
    return CertificateView(
        id=row.id,
        project=ref,
        number=row.number,
        body=row.body,
        scope=row.scope,
        standard=row.standard,
        issued_on=row.issued_on,
        expires_on=row.expires_on,
        expiry_reason=row.expiry_reason,
        expired=certificate_of(row).expired(today),
        days_to_expiry=(row.expires_on - today).days,
        recorded_by=row.recorded_by,
        recorded_at=row.recorded_at,
    )


def certificate_rows(session: Session, project_id: int) -> list[CertificateRow]:
    """The project's certificates in issue order."""
    query = (
        select(CertificateRow)
        .where(CertificateRow.project_id == project_id)
        .order_by(CertificateRow.issued_on, CertificateRow.id)
    )
    return list(session.scalars(query))


def in_scope_headcount(session: Session, project_id: int, today: date) -> int:
    """People on the training roster inside the scope and working there on `today`."""
    count = session.scalar(
        select(func.count())
        .select_from(StaffRow)
        .where(
            StaffRow.project_id == project_id,
            StaffRow.in_scope.is_(True),
            StaffRow.joined <= today,
            or_(StaffRow.left_on.is_(None), StaffRow.left_on > today),
        )
    )
    return int(count or 0)


def load_quotes(session: Session, project: Any) -> QuoteRegister:
    """The snapshot part "quotes"."""
    return QuoteRegister(tuple(quote_of(row) for row in quote_rows(session, project.id)))


def load_certificates(session: Session, project: Any) -> CertificateRegister:
    """The snapshot part "certificate": every certificate, the latest last."""
    rows = certificate_rows(session, project.id)
    return CertificateRegister.of(certificate_of(row) for row in rows)


def load_quotes_of(session: Session, projects: Sequence[Any]) -> dict[int, QuoteRegister]:
    """`load_quotes` for many projects: one query, whatever their number."""
    ids = [project.id for project in projects]
    quotes: dict[int, list[Quote]] = {project_id: [] for project_id in ids}
    for row in session.scalars(
        select(QuoteRow).where(QuoteRow.project_id.in_(ids)).order_by(QuoteRow.id)
    ):
        quotes[row.project_id].append(quote_of(row))
    return {project_id: QuoteRegister(tuple(found)) for project_id, found in quotes.items()}


def load_certificates_of(
    session: Session, projects: Sequence[Any]
) -> dict[int, CertificateRegister]:
    """`load_certificates` for many projects: one query, whatever their number."""
    ids = [project.id for project in projects]
    certificates: dict[int, list[Certificate]] = {project_id: [] for project_id in ids}
    for row in session.scalars(
        select(CertificateRow)
        .where(CertificateRow.project_id.in_(ids))
        .order_by(CertificateRow.issued_on, CertificateRow.id)
    ):
        certificates[row.project_id].append(certificate_of(row))
    return {project_id: CertificateRegister.of(found) for project_id, found in certificates.items()}
