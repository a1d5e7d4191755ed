"""Statement of Applicability: one decision per Annex A control and project."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from isms_flow.store.models import Base
from isms_flow.store.types import UtcDateTime

__all__ = ["SoaEntryRow"]


class SoaEntryRow(Base):
    """Whether a control applies, why, how far it is implemented, and what it links to."""

    __tablename__ = "soa_entries"
    __table_args__ = (UniqueConstraint("project_id", "control_id", name="uq_soa_entries_control"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    control_id: Mapped[str] = mapped_column(String(8))  # Annex A id, e.g. "5.15"
    applicable: Mapped[bool | None] = mapped_column(Boolean, nullable=True)  # None: undecided
    justification: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str | None] = mapped_column(
        String(16), nullable=True
    )  # planned/partial/implemented
    risk_keys: Mapped[list[str]] = mapped_column(JSON, default=list)  # risks it treats, e.g. R-004
    evidence_ids: Mapped[list[int]] = mapped_column(JSON, default=list)  # evidence documents
    decided_by: Mapped[str | None] = mapped_column(String(100), nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
