"""Certification body quotes and the certificate."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from isms_flow.store.models import Base
from isms_flow.store.types import UtcDateTime

__all__ = ["CertificateRow", "QuoteRow"]


class QuoteRow(Base):
    """A certification body's quote for the initial certification."""

    __tablename__ = "cb_quotes"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    body: Mapped[str] = mapped_column(String(200))
    accreditation: Mapped[str] = mapped_column(String(64))  # e.g. ISMS-AC, UKAS, ANAB
    audit_days: Mapped[Decimal] = mapped_column(Numeric(6, 1))
    cost: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    currency: Mapped[str] = mapped_column(String(3), default="JPY")
    quoted_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    selected: Mapped[bool] = mapped_column(Boolean, default=False)
    selection_reason: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class CertificateRow(Base):
    """An issued certificate: valid three years from issue unless a reason says otherwise."""

    __tablename__ = "certificates"
    __table_args__ = (UniqueConstraint("project_id", "number", name="uq_certificates_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    number: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(String(200))
    scope: Mapped[str] = mapped_column(Text)
    issued_on: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date] = mapped_column(Date)
    # Why the expiry is earlier than issue + 3 years (a recertification keeps the running
    # cycle's expiry); empty when it is exactly issue + 3 years.
    expiry_reason: Mapped[str] = mapped_column(Text, default="")
    standard: Mapped[str] = mapped_column(String(64))  # e.g. ISO/IEC 27001:2022
    recorded_by: Mapped[str] = mapped_column(String(100))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime())
