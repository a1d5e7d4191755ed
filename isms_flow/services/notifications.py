"""The outbox as a person sees it: what was sent, what waits, what failed, and a retry.

Delivery itself is the dispatcher's job (`schedule.dispatcher`); this module only reads the
rows and requeues a failed one on request.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

import structlog
from pydantic import BaseModel, ConfigDict
from sqlalchemy import and_, func, or_, select

from isms_flow.bootstrap import App
from isms_flow.errors import BadInput, NotFound
from isms_flow.services.lookup import find_project
from isms_flow.services.retry import VersionPin, retry_on_conflict
from isms_flow.store.events import append_event
from isms_flow.store.models import ClientRow, ProjectRow
from isms_flow.store.tables.schedule import DeadlineRow, ReminderRow

__all__ = ["NotificationList", "NotificationView", "list_notifications", "retry_notification"]

Filter = Literal["all", "failed", "pending", "sent"]
_STATUSES: dict[str, tuple[str, ...]] = {
    "failed": ("failed",),
    "pending": ("pending", "sending"),
    "sent": ("sent",),
}
_log = structlog.get_logger(__name__)


class NotificationView(BaseModel):
    """One outbox row: a reminder or escalation on one channel."""

    model_config = ConfigDict(frozen=True)

    id: int
    project: str
    timezone: str
    deadline: str
    deadline_kind: str
    due_on: date
    kind: str
    offset_days: int
    channel: str
    status: str
    fire_at: datetime
    attempts: int
    next_attempt_at: datetime | None
    sent_at: datetime | None
    late: bool
    last_error: str
    idempotency_key: str


class NotificationList(BaseModel):
    """The rows shown, and how many more matched beyond the limit."""

    model_config = ConfigDict(frozen=True)

    notifications: list[NotificationView]
    more: int


def list_notifications(
    app: App,
    *,
    show: Filter = "all",
    ref: str | None = None,
    limit: int = 100,
    client_id: int | None = None,
    after: tuple[datetime, int] | None = None,
) -> NotificationList:
    """Outbox rows by when they fire (of one project, if given), at most `limit` of them.

    `client_id` keeps to one client's projects; `after` (fire_at, id) starts after that row,
    and `more` then counts the matching rows after the ones shown.
    """
    if limit < 1:
        raise BadInput("--limit must be at least 1")
    with app.uow() as uow:
        session = uow.session
        query = (
            select(ReminderRow, DeadlineRow, ProjectRow.key, ClientRow.key, ClientRow.timezone)
            .join(DeadlineRow, DeadlineRow.id == ReminderRow.deadline_id)
            .join(ProjectRow, ProjectRow.id == ReminderRow.project_id)
            .join(ClientRow, ClientRow.id == ProjectRow.client_id)
        )
        if ref is not None:
            query = query.where(ReminderRow.project_id == find_project(session, ref).id)
        if show != "all":
            query = query.where(ReminderRow.status.in_(_STATUSES[show]))
        if client_id is not None:
            query = query.where(ProjectRow.client_id == client_id)
        if after is not None:
            at, last_id = after
            query = query.where(
                or_(
                    ReminderRow.fire_at > at,
                    and_(ReminderRow.fire_at == at, ReminderRow.id > last_id),
                )
            )
        total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = session.execute(
            query.order_by(ReminderRow.fire_at, ReminderRow.id).limit(limit)
        ).all()
        views = [
            _view(reminder, deadline, f"{client_key}/{project_key}", zone)
            for reminder, deadline, project_key, client_key, zone in rows
        ]
    return NotificationList(notifications=views, more=max(total - len(views), 0))


def retry_notification(
    app: App, *, notification_id: int, actor: str, client_id: int | None = None
) -> NotificationView:
    """Put a failed row back in the queue, due now, with a fresh set of attempts.

    With `client_id`, a notification of another client is "not found", like a missing one.
    """
    now = app.clock.now()

    def attempt(pin: VersionPin) -> NotificationView:
        with app.uow() as uow:
            session = uow.session
            reminder = session.get(ReminderRow, notification_id)
            project = session.get(ProjectRow, reminder.project_id) if reminder else None
            if reminder is None or project is None or client_id not in (None, project.client_id):
                raise NotFound(
                    "notification", f"#{notification_id}", hint="see `isms-flow notifications`"
                )
            if reminder.status != "failed":
                raise BadInput(
                    f"notification #{notification_id} is {reminder.status}, not failed; "
                    "only a failed notification can be retried"
                )
            deadline = session.get(DeadlineRow, reminder.deadline_id)
            assert deadline is not None  # foreign key
            error, attempts = reminder.last_error, reminder.attempts
            reminder.status, reminder.attempts, reminder.next_attempt_at = "pending", 0, now
            uow.flush()
            append_event(
                session,
                occurred_at=now,
                actor=actor,
                type="notification_requeued",
                client_id=project.client_id,
                project_id=project.id,
                payload={
                    "notification_id": reminder.id,
                    "idempotency_key": reminder.idempotency_key,
                    "channel": reminder.channel,
                    "deadline": deadline.key,
                    "attempts": attempts,
                    "last_error": error,
                },
            )
            uow.commit()
            _log.info("notification_requeued", notification=reminder.id, actor=actor)
            ref = f"{project.client.key}/{project.key}"
            return _view(reminder, deadline, ref, project.client.timezone)

    return retry_on_conflict(attempt)


def _view(reminder: ReminderRow, deadline: DeadlineRow, ref: str, zone: str) -> NotificationView:
    waiting = reminder.status in _STATUSES["pending"]
    return NotificationView(
        id=reminder.id,
        project=ref,
        timezone=zone,
        deadline=deadline.key,
        deadline_kind=deadline.kind,
        due_on=deadline.due_on,
        kind=reminder.kind,
        offset_days=reminder.offset_days,
        channel=reminder.channel,
        status=reminder.status,
        fire_at=reminder.fire_at,
        attempts=reminder.attempts,
        next_attempt_at=reminder.next_attempt_at if waiting else None,
        sent_at=reminder.sent_at,
        late=reminder.late,
        last_error=reminder.last_error,
        idempotency_key=reminder.idempotency_key,
    )
