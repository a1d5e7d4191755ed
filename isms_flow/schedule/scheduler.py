"""APScheduler 3.11 as the alarm clock only: it wakes the dispatcher's `tick`, nothing more.

The outbox rows are the truth, so the scheduler keeps nothing of its own: a memory job store,
one interval job with a fixed id (`replace_existing`), `coalesce` and `max_instances=1` so
ticks never overlap or pile up, and `misfire_grace_time=None` so a late wake-up still runs
(3.x drops a missed job after one second by default; see shared tech notes). The first tick
runs at start: whatever came due while nothing was running goes out then, marked late.

SIGTERM and SIGINT ask the scheduler to stop; the tick in progress finishes and is recorded
before the process exits.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from types import FrameType

import structlog
from apscheduler.executors.pool import ThreadPoolExecutor  # type: ignore[import-untyped]
from apscheduler.jobstores.memory import MemoryJobStore  # type: ignore[import-untyped]
from apscheduler.schedulers.background import BackgroundScheduler  # type: ignore[import-untyped]

from isms_flow.bootstrap import App
from isms_flow.schedule.channels.base import Channel
from isms_flow.schedule.dispatcher import Delivery, TickReport, tick
from isms_flow.schedule.snapshot_cache import SnapshotCache

__all__ = ["JOB_ID", "alarm_clock", "run_scheduler", "stop_on_signals"]

JOB_ID = "isms-flow-dispatch"
"""The one job's fixed id: starting twice in one process replaces it, never doubles it."""

_log = structlog.get_logger(__name__)


def alarm_clock(wake: Callable[[], None], interval: float) -> BackgroundScheduler:
    """A scheduler (not started) with the one job that calls `wake`: now, then every
    `interval` seconds, never two at once, never dropped for being late."""
    # APScheduler logs through the standard library, unconfigured here: keep its routine
    # notices (a tick skipped because the previous one still runs) off the console.
    logging.getLogger("apscheduler").setLevel(logging.ERROR)
    scheduler = BackgroundScheduler(
        jobstores={"default": MemoryJobStore()},
        executors={"default": ThreadPoolExecutor(max_workers=1)},
        timezone=UTC,
    )
    scheduler.add_job(
        wake,
        "interval",
        seconds=interval,
        id=JOB_ID,
        name="deliver due notifications",
        replace_existing=True,
        coalesce=True,
        max_instances=1,
        misfire_grace_time=None,
        # The catch-up tick. APScheduler keeps its own wall clock; it only decides when to wake.
        next_run_time=datetime.now(UTC),
    )
    return scheduler


def run_scheduler(
    app: App,
    *,
    channels: Mapping[str, Channel],
    worker_id: str,
    interval: float,
    stop: threading.Event,
    on_delivery: Callable[[Delivery], None] | None = None,
    on_tick: Callable[[TickReport], None] | None = None,
) -> None:
    """Tick now and then every `interval` seconds until `stop` is set; return after the tick
    in progress (if any) has finished."""
    # What the messages read of each project version stays true: keep it between ticks.
    snapshots = SnapshotCache()

    def wake() -> None:
        # structlog's contextvars stay in the thread that bound them: bind in the job's thread.
        with structlog.contextvars.bound_contextvars(worker=worker_id):
            try:
                report = tick(
                    app,
                    now=app.clock.now(),
                    worker_id=worker_id,
                    channels=channels,
                    on_delivery=on_delivery,
                    snapshots=snapshots,
                )
            except Exception:  # a database outage must not end the service: retry next tick
                _log.error("tick_failed", exc_info=True)
                return
            if on_tick is not None:
                on_tick(report)

    scheduler = alarm_clock(wake, interval)
    scheduler.start()
    _log.info("scheduler_started", worker=worker_id, interval=interval)
    try:
        while not stop.wait(timeout=0.5):  # a timed wait: the signal handler runs in between
            pass
    finally:
        scheduler.shutdown(wait=True)  # lets the running tick finish and record its rows
        _log.info("scheduler_stopped", worker=worker_id)


@contextmanager
def stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """Within the block, SIGTERM and SIGINT set `stop` instead of killing the process."""

    def request_stop(signum: int, frame: FrameType | None) -> None:
        _log.info("stop_requested", signal=signal.Signals(signum).name)
        stop.set()

    if threading.current_thread() is not threading.main_thread():
        yield  # signals reach only the main thread; the caller stops us another way
        return
    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
