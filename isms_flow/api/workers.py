"""API worker processes of `isms-flow serve --workers N`: the parent starts and watches them.

The parent binds the socket once; each worker (`python -m isms_flow.api.workers FD LEVEL
PARENT_PID`) serves the API on that inherited socket and the kernel spreads connections among
them. Workers run in a session of their own, so a Ctrl-C in the terminal reaches only the
parent, which then asks each worker to stop (SIGTERM: uvicorn's graceful shutdown) and waits
for them; a worker whose parent is gone stops itself. This is uvicorn's multi-process mode
minus its health-check pings, which kill workers still importing on a busy machine (and start
them again, forever), and minus the Ctrl-C tracebacks of workers caught mid-import.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time

import structlog

from isms_flow.logging import configure_logging

__all__ = ["STARTUP_FAILURE", "supervise_workers"]

STARTUP_FAILURE = 3
"""A worker's exit status when it could not start: starting it again would fail the same way."""

_log = structlog.get_logger(__name__)


def supervise_workers(
    listener: socket.socket, *, count: int, log_level: str, stop: threading.Event
) -> bool:
    """Run `count` workers on `listener` until `stop` is set, replacing one that dies; False
    (and every worker stopped) as soon as one could not start."""
    descriptor = listener.fileno()

    def start() -> subprocess.Popen[bytes]:
        worker = subprocess.Popen(
            [sys.executable, "-m", __name__, str(descriptor), log_level, str(os.getpid())],
            pass_fds=(descriptor,),
            start_new_session=True,
        )
        _log.info("worker_started", pid=worker.pid)
        return worker

    workers = [start() for _ in range(count)]
    started = True
    try:
        while started and not stop.wait(timeout=0.5):
            for index, worker in enumerate(workers):
                status = worker.poll()
                if status is None:
                    continue
                if status == STARTUP_FAILURE:
                    _log.error("worker_failed_to_start", pid=worker.pid)
                    started = False
                    break
                _log.warning("worker_died", pid=worker.pid, exit_status=status)
                workers[index] = start()
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.terminate()
        for worker in workers:
            worker.wait()
    return started


def _stop_when_orphaned(parent: int) -> None:
    """SIGTERM this worker once its parent is gone (killed outright, it could not stop us)."""
    while os.getppid() == parent:
        time.sleep(1)
    os.kill(os.getpid(), signal.SIGTERM)


def _main(argv: list[str]) -> None:
    """A worker: serve the API on the inherited socket until SIGTERM."""
    # Imported here: the parent needs none of the API to start and watch workers.
    from isms_flow.api.asgi import serve_on

    descriptor, log_level, parent = int(argv[0]), argv[1], int(argv[2])
    configure_logging(log_level)
    watch = threading.Thread(target=_stop_when_orphaned, args=(parent,), daemon=True)
    watch.start()
    try:
        started = serve_on(socket.socket(fileno=descriptor), log_level=log_level)
    except Exception as error:  # the app could not be built: say so once, do not restart
        _log.error("worker_failed_to_start", error=f"{type(error).__name__}: {error}")
        started = False
    sys.exit(0 if started else STARTUP_FAILURE)


if __name__ == "__main__":
    _main(sys.argv[1:])
