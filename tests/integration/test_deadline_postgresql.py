"""Deadline refresh on a real PostgreSQL server: the same rows as on SQLite, and two refreshes
racing (two dispatchers' ticks) write each deadline and reminder once.

Runs when ISMS_FLOW_TEST_POSTGRES_URL names a server; otherwise skipped.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from isms_flow.bootstrap import App, bootstrap
from isms_flow.clock import FrozenClock
from isms_flow.config import Settings
from isms_flow.services.deadlines import refresh_deadlines
from isms_flow.services.demo import run_demo
from isms_flow.services.registers.audits.programme import add_audit
from isms_flow.store.tables.schedule import DeadlineRow, ReminderRow
from tests.integration.deadline_support import REF, deadline, statuses
from tests.integration.test_postgresql import pg_url

__all__ = ["pg_url"]  # the fixture used below

pytestmark = pytest.mark.postgresql


@pytest.fixture
def pg_certified(pg_url: str, tmp_path: Path, clock: FrozenClock) -> Iterator[App]:
    """The demo's certified project on PostgreSQL."""
    app = bootstrap(Settings(data_dir=tmp_path, database_url=pg_url, actor="tester"), clock=clock)
    for _ in run_demo(app):
        pass
    yield app
    app.close()


def _counts(app: App) -> tuple[int, int]:
    with app.uow() as uow:
        deadlines = uow.session.scalar(select(func.count()).select_from(DeadlineRow))
        reminders = uow.session.scalar(select(func.count()).select_from(ReminderRow))
    return int(deadlines or 0), int(reminders or 0)


def test_refresh_and_an_early_audit_on_postgresql(pg_certified: App, clock: FrozenClock) -> None:
    assert refresh_deadlines(pg_certified, now=clock.now()) == 1
    assert deadline(pg_certified, "surveillance_audit:2027").due_on == date(2027, 4, 1)
    assert refresh_deadlines(pg_certified, now=clock.now()) == 0
    clock.current = datetime(2027, 2, 1, tzinfo=UTC)
    add_audit(
        pg_certified,
        ref=REF,
        kind="surveillance",
        started_on=date(2027, 1, 25),
        ended_on=date(2027, 1, 26),
        auditor="JQA lead auditor",
        actor="sato.isms",
    )
    refresh_deadlines(pg_certified, now=clock.now())
    assert deadline(pg_certified, "surveillance_audit:2027").status == "met"
    assert {status for *_, status in statuses(pg_certified, "surveillance_audit:2027")} == {
        "cancelled"
    }


def test_two_refreshes_racing_on_postgresql_write_everything_once(
    pg_certified: App, pg_url: str, tmp_path: Path, clock: FrozenClock
) -> None:
    other = bootstrap(
        Settings(data_dir=tmp_path / "other", database_url=pg_url, actor="other"), clock=clock
    )
    start = threading.Barrier(2)
    done: list[int] = []
    failures: list[BaseException] = []

    def refresh(app: App) -> None:
        start.wait()
        try:
            done.append(refresh_deadlines(app, now=clock.now()))
        except BaseException as error:  # reported by the assertion below
            failures.append(error)

    threads = [threading.Thread(target=refresh, args=(app,)) for app in (pg_certified, other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    other.close()
    assert failures == []
    assert sum(done) >= 1
    racing = _counts(pg_certified)
    assert refresh_deadlines(pg_certified, now=clock.now()) == 0
    assert _counts(pg_certified) == racing
    keys = [r[0] for r in _keys(pg_certified)]
    assert len(keys) == len(set(keys))


def _keys(app: App) -> list[tuple[str]]:
    with app.uow() as uow:
        return [(key,) for key in uow.session.scalars(select(ReminderRow.idempotency_key)).all()]
