"""Shared setup of the deadline integration tests: a project walked to `certified` once per
session by the demo, copied for each test, and plain-SQL looks at the deadline tables."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select, text

from isms_flow.bootstrap import App, bootstrap
from isms_flow.clock import FrozenClock
from isms_flow.config import Settings
from isms_flow.services.demo import run_demo
from isms_flow.store.tables.schedule import DeadlineRow, ReminderRow
from tests.conftest import START

REF = "demo-corp/isms-cert"


@dataclass(frozen=True)
class StoredReminder:
    """One outbox row, read with plain SQL."""

    id: int
    kind: str
    offset_days: int
    channel: str
    fire_at: datetime
    status: str
    idempotency_key: str


@pytest.fixture(scope="session")
def certified_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder whose project was walked to `certified` at START (2026-04-01, Tokyo)."""
    folder = tmp_path_factory.mktemp("certified")
    app = bootstrap(Settings(data_dir=folder, actor="tester"), clock=FrozenClock(START))
    try:
        for _ in run_demo(app):
            pass
    finally:
        app.close()
    return folder


@pytest.fixture
def certified(certified_template: Path, tmp_path: Path, clock: FrozenClock) -> Iterator[App]:
    """A copy of the certified project's database and vault, on the test's clock."""
    folder = tmp_path / "certified"
    shutil.copytree(certified_template, folder)
    app = bootstrap(Settings(data_dir=folder, actor="tester"), clock=clock)
    yield app
    app.close()


def deadline(app: App, key: str) -> DeadlineRow:
    """The deadline row with `key`."""
    with app.uow() as uow:
        row = uow.session.scalars(select(DeadlineRow).where(DeadlineRow.key == key)).one()
        uow.session.expunge(row)
        return row


def deadline_keys(app: App, status: str | None = None) -> set[str]:
    """Keys of every deadline (with `status`)."""
    with app.uow() as uow:
        rows = uow.session.execute(select(DeadlineRow.key, DeadlineRow.status)).all()
    return {row.key for row in rows if status is None or row.status == status}


def reminders(app: App, key: str) -> list[StoredReminder]:
    """The outbox rows of the deadline with `key`, by fire time, kind, offset and channel."""
    with app.uow() as uow:
        rows = uow.session.execute(
            select(
                ReminderRow.id,
                ReminderRow.kind,
                ReminderRow.offset_days,
                ReminderRow.channel,
                ReminderRow.fire_at,
                ReminderRow.status,
                ReminderRow.idempotency_key,
            )
            .join(DeadlineRow, DeadlineRow.id == ReminderRow.deadline_id)
            .where(DeadlineRow.key == key)
            .order_by(
                ReminderRow.fire_at,
                ReminderRow.kind.desc(),
                ReminderRow.offset_days.desc(),
                ReminderRow.channel,
            )
        ).all()
    return [StoredReminder(*row) for row in rows]


def statuses(app: App, key: str) -> list[tuple[str, int, str, str]]:
    """(kind, offset, channel, status) of each outbox row of a deadline."""
    return [(r.kind, r.offset_days, r.channel, r.status) for r in reminders(app, key)]


def mark_sent(app: App, reminder_id: int) -> None:
    """Do what the dispatcher does once it delivered a row."""
    with app.engine.begin() as connection:
        connection.execute(
            text("UPDATE reminders SET status = 'sent' WHERE id = :id"), {"id": reminder_id}
        )


def tokyo_nine(day: date) -> datetime:
    """09:00 in Tokyo on `day`, as UTC."""
    return datetime(day.year, day.month, day.day, tzinfo=UTC)
