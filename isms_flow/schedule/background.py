"""The scheduler on a thread of its own, for a process whose main thread serves something else.

`isms-flow serve` runs the same alarm clock and dispatcher as `isms-flow scheduler run`
(`run_scheduler`), only not on the main thread: the API server owns that one, and with it the
signals. Whoever starts this thread stops it; `stop` lets the tick in progress finish and record
its rows before it returns.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping

from isms_flow.bootstrap import App
from isms_flow.schedule.channels.base import Channel
from isms_flow.schedule.channels.registry import build_channels
from isms_flow.schedule.dispatcher import new_worker_id
from isms_flow.schedule.scheduler import run_scheduler

__all__ = ["SchedulerThread"]


class SchedulerThread:
    """`run_scheduler` on a background thread, started and stopped by its owner."""

    def __init__(
        self, app: App, *, channels: Mapping[str, Channel], worker_id: str, interval: float
    ) -> None:
        self.worker_id = worker_id
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=run_scheduler,
            args=(app,),
            kwargs={
                "channels": channels,
                "worker_id": worker_id,
                "interval": interval,
                "stop": self._stop,
            },
            name="isms-flow-scheduler",
            # Never keeps a dying process alive; `stop` is how it ends in an orderly way.
            daemon=True,
        )

    @classmethod
    def for_app(cls, app: App) -> SchedulerThread:
        """A scheduler with the channels and tick interval `app`'s settings describe."""
        return cls(
            app,
            channels=build_channels(app.settings),
            worker_id=new_worker_id(),
            interval=app.settings.scheduler.tick_seconds,
        )

    def start(self) -> None:
        """Start ticking: now, then every interval."""
        self._thread.start()

    def stop(self) -> None:
        """Ask it to stop and wait until the tick in progress (if any) has been recorded."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()
