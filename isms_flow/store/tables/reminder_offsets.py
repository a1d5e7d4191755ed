"""A client's own reminder offsets, replacing the workflow's for one deadline kind or for all.

The workflow file says when each kind of deadline is reminded of (e.g. 90, 30, 7 and 1 days
before); a client may want other days (`isms-flow client reminders acme --days 60,14,3`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from isms_flow.store.models import Base
from isms_flow.store.types import UtcDateTime

__all__ = ["ALL_KINDS", "ClientReminderOffsetsRow"]

ALL_KINDS = ""
"""The `kind` of a row that applies to every deadline kind without a row of its own."""


class ClientReminderOffsetsRow(Base):
    """Days before the due date a client's reminders fire, for one deadline kind or all."""

    __tablename__ = "client_reminder_offsets"

    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(64), primary_key=True)  # ALL_KINDS or a rule name
    days: Mapped[list[int]] = mapped_column(JSON)  # descending, e.g. [60, 14, 3]
    set_by: Mapped[str] = mapped_column(String(100))
    set_at: Mapped[datetime] = mapped_column(UtcDateTime())
