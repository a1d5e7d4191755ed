"""Outbox rows written straight into the tables, and channels that record what they receive.

The dispatcher tests must not depend on the deadline rules: they write deadline and reminder
rows as `services.deadlines.refresh_deadlines` would, and mark each project's schedule as
computed for its current version, so a tick's refresh leaves those rows alone.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, text, update

from isms_flow.bootstrap import App
from isms_flow.schedule.channels.base import DeliveryError, Notification, Recipient
from isms_flow.services.lookup import find_project
from isms_flow.store.models import ProjectRow
from isms_flow.store.tables.schedule import (
    DeadlineRow,
    RecipientRow,
    ReminderRow,
    ScheduleStateRow,
)

TOKYO = ZoneInfo("Asia/Tokyo")


def local_nine(day: date, zone: ZoneInfo = TOKYO) -> datetime:
    """09:00 on `day` where the client is, as UTC: when a reminder fires."""
    return datetime.combine(day, time(9), tzinfo=zone).astimezone(UTC)


def start_of_day_after(day: date, zone: ZoneInfo = TOKYO) -> datetime:
    """The instant a deadline on `day` becomes overdue, as UTC."""
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)


def add_deadline(
    app: App,
    ref: str,
    *,
    kind: str = "surveillance_audit",
    key: str | None = None,
    due_on: date = date(2026, 5, 1),
    on_overdue: str = "",
    status: str = "open",
) -> int:
    """One open deadline of the project; returns its id."""
    now = app.clock.now()
    with app.uow() as uow:
        project = find_project(uow.session, ref)
        row = DeadlineRow(
            project_id=project.id,
            key=key or f"{kind}:{due_on.year}",
            kind=kind,
            due_on=due_on,
            due_at=start_of_day_after(due_on),
            status=status,
            on_overdue=on_overdue,
            basis={"seeded_by": "test"},
            computed_at=now,
        )
        uow.session.add(row)
        uow.commit()
        return row.id


def add_reminder(
    app: App,
    deadline_id: int,
    *,
    offset_days: int = 30,
    channel: str = "log",
    kind: str = "reminder",
    fire_at: datetime | None = None,
) -> int:
    """One outbox row of the deadline, keyed as docs/scheduling.md §4 says; returns its id."""
    now = app.clock.now()
    with app.uow() as uow:
        deadline = uow.session.get(DeadlineRow, deadline_id)
        assert deadline is not None
        if fire_at is None:
            fire_at = (
                deadline.due_at
                if kind == "escalation"
                else local_nine(deadline.due_on - timedelta(days=offset_days))
            )
        row = ReminderRow(
            deadline_id=deadline.id,
            project_id=deadline.project_id,
            kind=kind,
            offset_days=0 if kind == "escalation" else offset_days,
            channel=channel,
            fire_at=fire_at,
            status="pending",
            attempts=0,
            next_attempt_at=fire_at,
            idempotency_key=(
                f"{deadline.project_id}:{deadline.key}:{deadline.due_on}:{kind}:"
                f"{0 if kind == 'escalation' else offset_days}:{channel}"
            ),
            late=False,
            last_error="",
            created_at=now,
        )
        uow.session.add(row)
        uow.commit()
        return row.id


def add_recipient(
    app: App,
    client_id: int,
    *,
    channel: str,
    address: str,
    role: str,
    language: str | None = None,
    secret: str = "",
) -> None:
    """A notification recipient of the client (a webhook needs a `secret` to sign with)."""
    with app.uow() as uow:
        uow.session.add(
            RecipientRow(
                client_id=client_id,
                channel=channel,
                address=address,
                role=role,
                language=language,
                secret=secret,
                created_by="test",
                created_at=app.clock.now(),
            )
        )
        uow.commit()


def hold_schedules(app: App) -> None:
    """Mark every project's deadlines as computed for its current version (refresh skips it)."""
    now = app.clock.now()
    with app.uow() as uow:
        session = uow.session
        for project in session.scalars(select(ProjectRow)).all():
            state = session.get(ScheduleStateRow, project.id)
            if state is None:
                session.add(
                    ScheduleStateRow(
                        project_id=project.id, computed_version=project.version, computed_at=now
                    )
                )
            else:
                state.computed_version, state.computed_at = project.version, now
        uow.commit()


def put_project_in(app: App, ref: str, state: str) -> None:
    """Move a project to `state` without walking the workflow (arranging a test only)."""
    with app.uow() as uow:
        project = find_project(uow.session, ref)
        uow.session.execute(
            update(ProjectRow)
            .where(ProjectRow.id == project.id)
            .values(state=state, version=ProjectRow.version + 1)
        )
        uow.commit()


def reminder(app: App, reminder_id: int) -> ReminderRow:
    """The stored row, detached."""
    with app.uow() as uow:
        row = uow.session.get(ReminderRow, reminder_id)
        assert row is not None
        uow.session.expunge(row)
        return row


def deadline(app: App, deadline_id: int) -> DeadlineRow:
    """The stored deadline, detached."""
    with app.uow() as uow:
        row = uow.session.get(DeadlineRow, deadline_id)
        assert row is not None
        uow.session.expunge(row)
        return row


def statuses(app: App) -> dict[str, int]:
    """How many outbox rows are in each status."""
    with app.engine.connect() as connection:
        rows = connection.execute(
            text("SELECT status, count(*) FROM reminders GROUP BY status")
        ).all()
    return {row[0]: row[1] for row in rows}


@dataclass
class RecordingChannel:
    """A channel that keeps what it was given; it fails while `failures` has messages left."""

    name: str = "log"
    failures: list[str] = field(default_factory=list)
    received: list[tuple[Notification, list[Recipient]]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def send(self, notification: Notification, recipients: list[Recipient]) -> None:
        """Record the delivery, or raise the next prepared failure."""
        with self._lock:
            if self.failures:
                raise DeliveryError(self.failures.pop(0))
            self.received.append((notification, list(recipients)))

    @property
    def keys(self) -> list[str]:
        """Idempotency keys in the order received."""
        return [notification.idempotency_key for notification, _ in self.received]
