"""Audits (internal and certification body) and their findings."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from isms_flow.store.models import Base
from isms_flow.store.types import UtcDateTime

__all__ = ["AuditRow", "FindingRow"]


class AuditRow(Base):
    """An audit: kind, dates, auditor, and what it covered."""

    __tablename__ = "audits"
    __table_args__ = (UniqueConstraint("project_id", "key", name="uq_audits_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    key: Mapped[str] = mapped_column(String(32))  # e.g. IA-2026-1
    kind: Mapped[str] = mapped_column(String(16))  # internal/stage1/stage2/surveillance/…
    started_on: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date] = mapped_column(Date)
    auditor: Mapped[str] = mapped_column(String(100))
    auditor_department: Mapped[str | None] = mapped_column(String(200), nullable=True)
    areas: Mapped[list[str]] = mapped_column(JSON, default=list)  # departments/sites audited
    clauses: Mapped[list[str]] = mapped_column(JSON, default=list)  # "4".."10" or "9.2"
    controls: Mapped[list[str]] = mapped_column(JSON, default=list)  # Annex A ids
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class FindingRow(Base):
    """A finding of an audit; a nonconformity carries its corrective-action lifecycle."""

    __tablename__ = "findings"
    __table_args__ = (UniqueConstraint("audit_id", "key", name="uq_findings_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audits.id"), index=True)
    key: Mapped[str] = mapped_column(String(32))  # e.g. F-001
    grade: Mapped[str] = mapped_column(String(16))  # major/minor/observation/improvement
    clause: Mapped[str] = mapped_column(String(16))
    control: Mapped[str | None] = mapped_column(String(8), nullable=True)
    description: Mapped[str] = mapped_column(Text)
    root_cause: Mapped[str] = mapped_column(Text, default="")
    correction: Mapped[str] = mapped_column(Text, default="")
    corrective_action: Mapped[str] = mapped_column(Text, default="")
    owner: Mapped[str | None] = mapped_column(String(100), nullable=True)
    due: Mapped[date | None] = mapped_column(Date, nullable=True)
    status: Mapped[str] = mapped_column(String(16))  # open/plan_accepted/corrected/verified/closed
    plan_accepted_by: Mapped[str | None] = mapped_column(String(100), nullable=True)
    plan_accepted_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    effectiveness: Mapped[str] = mapped_column(Text, default="")
    verified_by: Mapped[str | None] = mapped_column(String(100), nullable=True)
    verified_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
