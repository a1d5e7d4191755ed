"""Reading and writing deadline and outbox rows in bulk: plain Core statements on the unit of
work's connection, a fixed number per batch of projects however many rows they touch."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from isms_flow.store.bulk import insert_many
from isms_flow.store.models import Base
from isms_flow.store.tables.schedule import DeadlineRow, ReminderRow

__all__ = [
    "StoredDeadline",
    "StoredReminder",
    "Writes",
    "apply_writes",
    "insert_deadlines",
    "stored_deadlines",
    "stored_reminders",
]

_DEADLINES = Base.metadata.tables[DeadlineRow.__tablename__]
_REMINDERS = Base.metadata.tables[ReminderRow.__tablename__]
_CHUNK = 500  # ids per IN (...) list


@dataclass(frozen=True)
class StoredDeadline:
    """A deadline row as stored."""

    id: int
    key: str
    kind: str
    due_on: date
    due_at: datetime
    status: str
    on_overdue: str
    basis: dict[str, Any]
    overdue_handled_at: datetime | None


@dataclass(frozen=True)
class StoredReminder:
    """An outbox row as stored; `key` is its idempotency key."""

    id: int
    deadline_id: int
    key: str
    status: str


@dataclass
class Writes:
    """What a batch changes, written together by `apply_writes`."""

    new_deadlines: list[dict[str, Any]] = field(default_factory=list)
    changed_deadlines: list[dict[str, Any]] = field(default_factory=list)
    new_reminders: list[dict[str, Any]] = field(default_factory=list)
    cancelled_reminders: list[int] = field(default_factory=list)
    revived_reminders: list[dict[str, Any]] = field(default_factory=list)


# Built once with expanding IN lists: building a statement costs more than running it, and
# a refresh runs these for every batch of projects.
_STORED_DEADLINES = select(
    _DEADLINES.c.project_id,
    _DEADLINES.c.id,
    _DEADLINES.c.key,
    _DEADLINES.c.kind,
    _DEADLINES.c.due_on,
    _DEADLINES.c.due_at,
    _DEADLINES.c.status,
    _DEADLINES.c.on_overdue,
    _DEADLINES.c.basis,
    _DEADLINES.c.overdue_handled_at,
).where(_DEADLINES.c.project_id.in_(bindparam("ids", expanding=True)))
_STORED_REMINDERS = select(
    _REMINDERS.c.id,
    _REMINDERS.c.deadline_id,
    _REMINDERS.c.idempotency_key,
    _REMINDERS.c.status,
).where(_REMINDERS.c.project_id.in_(bindparam("ids", expanding=True)))
_INSERT_DEADLINES = insert(_DEADLINES).returning(
    _DEADLINES.c.id, _DEADLINES.c.project_id, _DEADLINES.c.key
)
# Only a row still pending is cancelled: one being sent right now is left to finish.
_CANCEL_REMINDERS = (
    update(_REMINDERS)
    .where(
        _REMINDERS.c.id.in_(bindparam("ids", expanding=True)),
        _REMINDERS.c.status == "pending",
    )
    .values(status="cancelled")
)


def stored_deadlines(session: Session, ids: list[int]) -> dict[int, dict[str, StoredDeadline]]:
    """The stored deadlines of these projects, by project id and key."""
    found: dict[int, dict[str, StoredDeadline]] = defaultdict(dict)
    rows = session.connection().execute(_STORED_DEADLINES, {"ids": ids})
    for project_id, *values in rows:  # the other columns in the order of StoredDeadline
        deadline = StoredDeadline(*values)
        found[project_id][deadline.key] = deadline
    return found


def stored_reminders(session: Session, ids: list[int]) -> dict[int, dict[str, StoredReminder]]:
    """The outbox rows of these projects, by deadline id and idempotency key."""
    found: dict[int, dict[str, StoredReminder]] = defaultdict(dict)
    rows = session.connection().execute(_STORED_REMINDERS, {"ids": ids})
    for row_id, deadline_id, key, status in rows:
        found[deadline_id][key] = StoredReminder(row_id, deadline_id, key, status)
    return found


def insert_deadlines(session: Session, rows: list[dict[str, Any]]) -> dict[tuple[int, str], int]:
    """Insert deadline rows; return each new row's id by (project id, key)."""
    if not rows:
        return {}
    result = session.connection().execute(_INSERT_DEADLINES, rows)
    return {(row.project_id, row.key): row.id for row in result}


# Only while the row still has the status it was read with: the dispatcher flips a missed
# deadline to `overdue` in its own transaction, and that flip must not be undone.
_UPDATE_DEADLINE = (
    update(_DEADLINES)
    .where(_DEADLINES.c.id == bindparam("row_id"), _DEADLINES.c.status == bindparam("was"))
    .values(
        {
            name: bindparam(name)
            for name in (
                "kind",
                "due_on",
                "due_at",
                "status",
                "on_overdue",
                "basis",
                "computed_at",
                "overdue_handled_at",
            )
        }
    )
)
_REVIVE_REMINDER = (
    update(_REMINDERS)
    .where(_REMINDERS.c.id == bindparam("row_id"), _REMINDERS.c.status == "cancelled")
    .values(
        status="pending",
        attempts=0,
        last_error="",
        fire_at=bindparam("fire_at"),
        next_attempt_at=bindparam("next_attempt_at"),
    )
)


def apply_writes(session: Session, writes: Writes) -> None:
    """Write what a batch changed besides new deadlines (inserted first, for their ids)."""
    connection = session.connection()
    if writes.changed_deadlines:
        connection.execute(_UPDATE_DEADLINE, writes.changed_deadlines)
    # Thousands of rows per batch, most values shared (one fire time for every project
    # decided the same day): each distinct value is converted for the database once.
    insert_many(connection, _REMINDERS, writes.new_reminders)
    cancelled = writes.cancelled_reminders
    for start in range(0, len(cancelled), _CHUNK):
        connection.execute(_CANCEL_REMINDERS, {"ids": cancelled[start : start + _CHUNK]})
    if writes.revived_reminders:
        connection.execute(_REVIVE_REMINDER, writes.revived_reminders)
