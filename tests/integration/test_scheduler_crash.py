"""A dispatcher killed with SIGKILL in the middle of delivering loses nothing, repeats nothing.

`isms-flow scheduler run --once` runs in a real subprocess and POSTs webhooks to a real HTTP
receiver on 127.0.0.1. The receiver keeps every request it gets and, on the third, stops
answering; the test kills the dispatcher right then — after the receiver has the message,
before the dispatcher could record it. After the leases run out a second run delivers the
rest. The receiver has then seen every reminder; the only repeat carries the same
idempotency key and is the row whose record was cut off, so dropping repeats by key leaves
each reminder exactly once.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select

from isms_flow.bootstrap import App
from isms_flow.clock import FrozenClock
from isms_flow.schedule.claims import LIVE
from isms_flow.store.tables.schedule import ReminderRow
from tests.conftest import REPO
from tests.integration.dispatch_support import (
    add_deadline,
    add_recipient,
    add_reminder,
    hold_schedules,
    reminder,
    statuses,
)

ROWS = 5
STALL_AT = 3  # the receiver stops answering at this request
# Long enough that a batch of two is delivered well inside a third of it even on a busy CI
# machine running tests in parallel (past two thirds the dispatcher stops handing rows out).
LEASE_SECONDS = 5


class Receiver:
    """A webhook receiver that records each request's key before it answers."""

    def __init__(self) -> None:
        self.keys: list[str] = []
        self.stalled = threading.Event()  # the stalling request has arrived
        self.release = threading.Event()  # let the stalled handler finish
        self.stall_at: int | None = STALL_AT
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers["Content-Length"]))
                receiver.keys.append(self.headers["Idempotency-Key"])
                if receiver.stall_at is not None and len(receiver.keys) == receiver.stall_at:
                    receiver.stalled.set()
                    receiver.release.wait(timeout=60)
                    return  # the sender is dead by now: nobody reads an answer
                self.send_response(204)
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/isms"

    def __enter__(self) -> Receiver:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A running receiver on a free loopback port."""
    with Receiver() as running:
        yield running


def _dispatcher(app: App) -> subprocess.Popen[str]:
    """`isms-flow scheduler run --once` on the test's database, with short leases."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("ISMS_FLOW_")}
    environment.update(
        {
            "ISMS_FLOW_SCHEDULER__LEASE_SECONDS": str(LEASE_SECONDS),
            "ISMS_FLOW_SCHEDULER__BATCH_SIZE": "2",
            "NO_COLOR": "1",
            "COLUMNS": "250",
        }
    )
    url = app.settings.effective_database_url
    return subprocess.Popen(
        [sys.executable, "-m", "isms_flow", "--db", url, "scheduler", "run", "--once"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
        env=environment,
    )


def _wait_for_leases_to_run_out(app: App) -> None:
    """Sleep until no row is leased any more (leases run on the real clock)."""
    with app.uow() as uow:
        leases = uow.session.scalars(
            select(ReminderRow.lease_until).where(ReminderRow.status.in_(LIVE))
        ).all()
    latest = max((lease for lease in leases if lease is not None), default=None)
    if latest is not None:
        time.sleep(max((latest - datetime.now(UTC)).total_seconds(), 0) + 0.1)


def test_a_dispatcher_killed_mid_delivery_loses_nothing_and_repeats_only_the_cut_off_row(
    app: App, clock: FrozenClock, project_ref: str, receiver: Receiver
) -> None:
    add_recipient(
        app, 1, channel="webhook", address=receiver.url, role="isms_manager", secret="s3cret"
    )
    deadline_id = add_deadline(app, project_ref)
    rows = [
        add_reminder(
            app,
            deadline_id,
            offset_days=offset,
            channel="webhook",
            fire_at=clock.now() - timedelta(days=offset),
        )
        for offset in (90, 60, 30, 14, 7)
    ]
    keys = [reminder(app, row).idempotency_key for row in rows]  # in delivery order
    hold_schedules(app)

    first = _dispatcher(app)
    try:
        while not receiver.stalled.wait(timeout=0.2):
            if first.poll() is not None:  # it ended without reaching the stalling request
                pytest.fail(f"dispatcher exited {first.returncode}: {first.communicate()}")
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=60)
    finally:
        if first.poll() is None:
            first.kill()
    assert first.returncode == -signal.SIGKILL
    cut_off = rows[STALL_AT - 1]
    assert reminder(app, cut_off).status == "sending"  # delivered, never recorded
    assert statuses(app)["sent"] == STALL_AT - 1

    receiver.stall_at = None
    receiver.release.set()
    _wait_for_leases_to_run_out(app)
    second = _dispatcher(app)
    out, err = second.communicate(timeout=120)
    assert second.returncode == 0, err
    assert out.count("sent  webhook  acme/isms") == ROWS - (STALL_AT - 1)

    assert statuses(app) == {"sent": ROWS}
    assert set(receiver.keys) == set(keys)  # none lost
    repeats = {key: n for key, n in Counter(receiver.keys).items() if n > 1}
    assert repeats == {keys[STALL_AT - 1]: 2}  # only the cut-off row, under its own key
    assert reminder(app, cut_off).attempts == 2
