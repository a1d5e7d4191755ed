"""Management reviews (clause 9.3): attendees, the 9.3.2 inputs, and the decisions."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from isms_flow.store.models import Base
from isms_flow.store.types import UtcDateTime

__all__ = ["ManagementReviewRow"]


class ManagementReviewRow(Base):
    """One management review meeting."""

    __tablename__ = "management_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    held_on: Mapped[date] = mapped_column(Date)
    # [{"name": …, "role": …, "top_management": bool}]
    attendees: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # {"a": "notes", … "g": "notes"}: the inputs of 9.3.2 considered, with notes
    inputs: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    # [{"decision": …, "kind": "improvement"|"change", "owner": …, "due": "YYYY-MM-DD"}]
    outputs: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
