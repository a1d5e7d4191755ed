"""Run in a separate process: one dispatcher ticking a shared database, delivering to a file.

Each delivery appends one line `KEY<TAB>WORKER` to a file opened for appending (one `write`
per line, so lines of concurrent processes never interleave). The tests count the lines per
key afterwards.
"""

from __future__ import annotations

import os
import time
from datetime import datetime
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier
from pathlib import Path

from isms_flow.bootstrap import bootstrap
from isms_flow.clock import FrozenClock
from isms_flow.config import SchedulerSettings, Settings
from isms_flow.schedule.channels.base import Notification, Recipient
from isms_flow.schedule.dispatcher import tick


class FileChannel:
    """Appends the key of each notification to a file; slow enough to overlap with others."""

    name = "log"

    def __init__(self, path: Path, worker: str) -> None:
        self.path = path
        self.worker = worker

    def send(self, notification: Notification, recipients: list[Recipient]) -> None:
        """Append one line and pause a moment, as a real receiver would take time."""
        line = f"{notification.idempotency_key}\t{self.worker}\n".encode()
        descriptor = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
        try:
            os.write(descriptor, line)
        finally:
            os.close(descriptor)
        time.sleep(0.002)


def dispatch_after_barrier(
    database_url: str,
    data_dir: str,
    now_iso: str,
    worker: str,
    out_file: str,
    barrier: Barrier,
    results: Queue,
) -> None:
    """Wait until every worker is ready, tick once (it drains what is due), report counts."""
    app = bootstrap(
        Settings(
            data_dir=Path(data_dir),
            database_url=database_url,
            actor=worker,
            scheduler=SchedulerSettings(batch_size=5),
        ),
        clock=FrozenClock(datetime.fromisoformat(now_iso)),
        migrate=False,
    )
    try:
        channel = FileChannel(Path(out_file), worker)
        barrier.wait(timeout=60)
        report = tick(app, now=app.clock.now(), worker_id=worker, channels={"log": channel})
        results.put((worker, "done", report.count("sent")))
    except BaseException as error:  # reported to the test, which fails on it
        results.put((worker, "error", repr(error)))
    finally:
        app.close()
