"""Two dispatcher processes on one database never deliver a row twice: SQLite and PostgreSQL.

Both processes start ticking at the same moment (a barrier) over many due rows, in small
batches, with a channel slow enough that their claims interleave. Every row must be
delivered by exactly one of them, and recorded `sent` once.
"""

from __future__ import annotations

import multiprocessing
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from isms_flow.bootstrap import App, bootstrap
from isms_flow.clock import FrozenClock
from isms_flow.config import Settings
from isms_flow.services import clients, projects
from tests.backends import fresh_postgres_url
from tests.integration.dispatch_support import (
    add_deadline,
    add_reminder,
    hold_schedules,
    statuses,
)
from tests.integration.dispatch_worker import dispatch_after_barrier

ROWS_PER_PROJECT = 60
WORKERS = ("north", "south")


def _seed(app: App) -> set[str]:
    """Three projects with 60 due rows each; returns their idempotency keys."""
    clients.add_client(app, key="acme", name="ACME", actor="consultant")
    for key in ("isms-a", "isms-b", "isms-c"):
        projects.create_project(app, client_key="acme", key=key, title=key, actor="consultant")
        deadline_id = add_deadline(app, f"acme/{key}", due_on=date(2026, 12, 1))
        for offset in range(ROWS_PER_PROJECT):
            add_reminder(app, deadline_id, offset_days=200 + offset, fire_at=app.clock.now())
    hold_schedules(app)
    with app.engine.connect() as connection:
        return set(connection.execute(text("SELECT idempotency_key FROM reminders")).scalars())


def _run_two_dispatchers(
    app: App, database_url: str, tmp_path: Path, now: datetime
) -> Counter[str]:
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(len(WORKERS))
    results = context.Queue()
    out_file = tmp_path / "deliveries.txt"
    processes = [
        context.Process(
            target=dispatch_after_barrier,
            args=(
                database_url,
                str(tmp_path),
                now.isoformat(),
                worker,
                str(out_file),
                barrier,
                results,
            ),
        )
        for worker in WORKERS
    ]
    for process in processes:
        process.start()
    outcomes = [results.get(timeout=120) for _ in processes]
    for process in processes:
        process.join(timeout=60)
        assert process.exitcode == 0
    assert all(kind == "done" for _, kind, _ in outcomes), outcomes
    sent_by = {worker: sent for worker, _, sent in outcomes}
    lines = out_file.read_text(encoding="utf-8").splitlines()
    by_worker = Counter(line.split("\t")[1] for line in lines)
    assert by_worker == Counter(sent_by), (by_worker, sent_by)  # each recorded what it sent
    # Whether both took part depends on how the two processes are scheduled (on a loaded
    # machine one may drain every batch before the other starts), so it is not asserted; a
    # dispatcher that loses a batch going on with the next one is tested in test_dispatcher.py.
    return Counter(line.split("\t")[0] for line in lines)


@pytest.mark.sqlite_only("the same race on PostgreSQL is the test below")
def test_two_dispatchers_on_one_sqlite_file_deliver_each_row_exactly_once(
    app: App, clock: FrozenClock, tmp_path: Path
) -> None:
    keys = _seed(app)
    url = app.settings.effective_database_url

    delivered = _run_two_dispatchers(app, url, tmp_path, clock.now())

    assert set(delivered) == keys
    assert max(delivered.values()) == 1
    assert statuses(app) == {"sent": len(keys)}


@pytest.fixture
def pg_app(tmp_path: Path, clock: FrozenClock) -> Iterator[App]:
    """The application on this test process's schema on the PostgreSQL server, emptied."""
    url = fresh_postgres_url()
    application = bootstrap(
        Settings(data_dir=tmp_path, database_url=url, actor="tester"), clock=clock
    )
    yield application
    application.close()


@pytest.mark.postgresql
def test_two_dispatchers_on_postgresql_deliver_each_row_exactly_once(
    pg_app: App, clock: FrozenClock, tmp_path: Path
) -> None:
    keys = _seed(pg_app)
    url = pg_app.settings.effective_database_url

    delivered = _run_two_dispatchers(pg_app, url, tmp_path, clock.now())

    assert set(delivered) == keys
    assert max(delivered.values()) == 1
    assert statuses(pg_app) == {"sent": len(keys)}
