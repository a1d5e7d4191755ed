"""Deadlines, their reminders (the outbox) and who receives them.

Deadlines are rows computed from a project's events by pure functions (`schedule.deadlines`);
each reminder or escalation is one outbox row (deadline × offset × channel) that the
dispatcher claims with a lease and delivers exactly once. See docs/scheduling.md.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from isms_flow.store.models import Base
from isms_flow.store.types import UtcDateTime

__all__ = ["DeadlineRow", "RecipientRow", "ReminderRow", "ScheduleStateRow"]


class ScheduleStateRow(Base):
    """Which project version the stored deadlines were computed from.

    The write path only bumps `projects.version`; a project whose version differs from
    `computed_version` has deadlines to recompute (done by the dispatcher's tick or on read).
    """

    __tablename__ = "schedule_state"

    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), primary_key=True)
    computed_version: Mapped[int] = mapped_column(Integer)
    computed_at: Mapped[datetime] = mapped_column(UtcDateTime())
    # Recompute then even if the version did not move: a planned audit's day comes, and from
    # then on it counts as held (added by migration 0005).
    recheck_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class DeadlineRow(Base):
    """One deadline of a project, e.g. the first surveillance audit or a finding's response."""

    __tablename__ = "deadlines"
    __table_args__ = (
        UniqueConstraint("project_id", "key", name="uq_deadlines_key"),
        # Each project's next open deadline, for the portfolio (migration 0007).
        Index("ix_deadlines_project_status_due", "project_id", "status", "due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    # Stable identity across recomputations: "surveillance_audit:2027", "ca_response:F-003".
    key: Mapped[str] = mapped_column(String(160))
    kind: Mapped[str] = mapped_column(String(64))  # the workflow's deadline kind
    due_on: Mapped[date] = mapped_column(Date)  # a calendar day in the client's time zone
    due_at: Mapped[datetime] = mapped_column(UtcDateTime())  # overdue from this instant
    status: Mapped[str] = mapped_column(String(16))  # open, met, overdue, cancelled
    on_overdue: Mapped[str] = mapped_column(String(64), default="")  # trigger, "escalate" or ""
    basis: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # what it came from
    computed_at: Mapped[datetime] = mapped_column(UtcDateTime())
    overdue_handled_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class ReminderRow(Base):
    """One delivery of the outbox: a reminder before a deadline or an escalation after it."""

    __tablename__ = "reminders"
    __table_args__ = (
        UniqueConstraint("idempotency_key", name="uq_reminders_idempotency_key"),
        Index("ix_reminders_status_next_attempt", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    deadline_id: Mapped[int] = mapped_column(ForeignKey("deadlines.id"), index=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # reminder, escalation
    offset_days: Mapped[int] = mapped_column(Integer)  # days before due; 0 for an escalation
    channel: Mapped[str] = mapped_column(String(16))  # log, email, webhook
    fire_at: Mapped[datetime] = mapped_column(UtcDateTime())  # 09:00 client-local, as UTC
    # pending → sending (claimed, leased) → sent | failed (gave up) ; or cancelled
    status: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime())
    lease_owner: Mapped[str | None] = mapped_column(String(100), nullable=True)
    lease_until: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    # Sent to the channel so a receiver can drop a repeat after a crash between send and record.
    idempotency_key: Mapped[str] = mapped_column(String(200))
    late: Mapped[bool] = mapped_column(Boolean, default=False)  # delivered after catch-up
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class RecipientRow(Base):
    """Who a client's notifications go to, per channel and role."""

    __tablename__ = "notification_recipients"
    __table_args__ = (
        UniqueConstraint("client_id", "channel", "address", "role", name="uq_recipients"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    channel: Mapped[str] = mapped_column(String(16))  # email, webhook
    address: Mapped[str] = mapped_column(String(500))  # e-mail address or https URL
    # isms_manager, top_management, risk_owner, internal_auditor… or escalation
    role: Mapped[str] = mapped_column(String(32))
    language: Mapped[str | None] = mapped_column(String(2), nullable=True)  # None: the client's
    # HMAC key of a webhook receiver (empty for e-mail); never printed back.
    secret: Mapped[str] = mapped_column(String(200), default="")
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
