"""Run the API server (uvicorn) and the one scheduler, in one process or with worker processes.

The socket is bound first, so a busy port is one clear error before anything else happens.
One worker: uvicorn serves `asgi.factory` in this process and the app's lifespan runs the
scheduler beside it. Several workers: worker processes serve the API on the same socket (each
builds its own App from the environment, without a scheduler) and the scheduler runs once, on a
thread of this parent process. SIGINT and SIGTERM stop everything; the scheduler finishes its
tick and requests in flight are answered first.
"""

from __future__ import annotations

import errno
import os
import socket
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

from isms_flow.api.asgi import SCHEDULER_VARIABLE, serve_on
from isms_flow.api.workers import supervise_workers
from isms_flow.bootstrap import App
from isms_flow.errors import BadInput
from isms_flow.schedule.background import SchedulerThread
from isms_flow.schedule.scheduler import stop_on_signals

__all__ = ["ServerPlan", "base_url", "listening_socket", "run_server"]


@dataclass(frozen=True)
class ServerPlan:
    """How many API processes, whether the scheduler runs, how much the log says."""

    workers: int = 1
    scheduler: bool = True
    log_level: str = "warning"


def base_url(host: str, port: int) -> str:
    """The URL a browser on this machine would use."""
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


@contextmanager
def listening_socket(host: str, port: int) -> Iterator[socket.socket]:
    """A socket bound to host:port (closed after the block); BadInput, one line, when the port
    is taken or the address is not one of this machine's."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as error:
        raise BadInput(f"cannot listen on {host}: {error.strerror}") from None
    family, kind, proto, _, address = found[0]
    listener = socket.socket(family, kind, proto)
    try:
        # As uvicorn binds: a port in TIME_WAIT after a restart is free, one in use is not.
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(address)
    except OSError as error:
        listener.close()
        if error.errno == errno.EADDRINUSE:
            raise BadInput(
                f"port {port} on {host} is already in use; stop what listens there "
                "or choose another port with --port"
            ) from None
        raise BadInput(f"cannot listen on {host}:{port}: {error.strerror}") from None
    with listener:
        yield listener


def run_server(
    app: App, plan: ServerPlan, listener: socket.socket, *, environment: Mapping[str, str]
) -> bool:
    """Serve on `listener` until SIGINT or SIGTERM; False when the server could not start.

    `environment` (ISMS_FLOW_* variables) is how each server process builds its App.
    """
    here = plan.scheduler and plan.workers == 1
    variables = {**environment, SCHEDULER_VARIABLE: "1" if here else "0"}
    stop = threading.Event()
    # uvicorn re-raises the signal that stopped it once it is done; caught here, it ends the
    # command normally instead of as a KeyboardInterrupt.
    with _environment(variables), stop_on_signals(stop):
        if plan.workers == 1:
            return serve_on(listener, log_level=plan.log_level)
        clock = SchedulerThread.for_app(app) if plan.scheduler else None
        if clock is not None:
            clock.start()
        try:
            return supervise_workers(
                listener, count=plan.workers, log_level=plan.log_level, stop=stop
            )
        finally:
            if clock is not None:
                clock.stop()


@contextmanager
def _environment(variables: Mapping[str, str]) -> Iterator[None]:
    """Set variables for this process and the workers it starts; restore them after."""
    saved = {name: os.environ.get(name) for name in variables}
    os.environ.update(variables)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
