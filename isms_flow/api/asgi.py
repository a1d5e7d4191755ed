"""The ASGI entry point of a server process: `uvicorn isms_flow.api.asgi:factory --factory`.

Each server process (the one of `isms-flow serve`, or each of its `--workers`) builds its own
App from the environment and config file exactly as the CLI does: `serve` hands its --config,
--db, --lang, --actor and --log-level over as ISMS_FLOW_* variables. `ISMS_FLOW_SERVE_SCHEDULER`
says whether this process also runs the scheduler (default yes: the embedded single-process
setup); `serve --workers N` sets it to 0 for the workers and runs the one scheduler itself.
"""

from __future__ import annotations

import os
import socket
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

import anyio.to_thread
import uvicorn
from fastapi import FastAPI

from isms_flow.api.app import create_app
from isms_flow.bootstrap import App, bootstrap
from isms_flow.config import load_settings
from isms_flow.logging import configure_logging, route_stdlib_logger
from isms_flow.schedule.background import SchedulerThread

__all__ = ["FACTORY", "SCHEDULER_VARIABLE", "factory", "lifespan_of", "serve_on"]

FACTORY = "isms_flow.api.asgi:factory"
"""Where uvicorn finds the factory (it imports it by name in every worker process)."""

SCHEDULER_VARIABLE = "ISMS_FLOW_SERVE_SCHEDULER"
"""`0` keeps the scheduler out of this server process; anything else (or unset) runs it."""

_GRACE_SECONDS = 30  # how long a stopping server lets requests in flight finish


def factory() -> FastAPI:
    """The API of one server process: settings from the environment, the App, the lifespan."""
    settings = load_settings()
    configure_logging(settings.log_level)
    route_stdlib_logger("uvicorn")
    app = bootstrap(settings)
    with_scheduler = os.environ.get(SCHEDULER_VARIABLE, "1").strip() != "0"
    return create_app(app, lifespan=lifespan_of(app, scheduler=with_scheduler))


def lifespan_of(
    app: App, *, scheduler: bool
) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """Start the scheduler (if asked) with the server, stop it and close `app` after it."""

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        clock = SchedulerThread.for_app(app) if scheduler else None
        if clock is not None:
            clock.start()
        try:
            yield
        finally:
            if clock is not None:
                # Waiting for a tick to finish must not block the event loop meanwhile.
                await anyio.to_thread.run_sync(clock.stop)
            app.close()

    return lifespan


def serve_on(listener: socket.socket, *, log_level: str) -> bool:
    """Serve the factory's API on a bound socket until SIGINT or SIGTERM; False when the
    server did not start (the reason is in the log)."""
    route_stdlib_logger("uvicorn")
    config = uvicorn.Config(
        FACTORY,
        factory=True,
        log_config=None,  # uvicorn's records go through structlog (route_stdlib_logger)
        log_level=log_level,
        access_log=False,  # the API logs each request itself, with its request id
        server_header=False,
        lifespan="on",
        timeout_graceful_shutdown=_GRACE_SECONDS,
    )
    server = uvicorn.Server(config)
    server.run(sockets=[listener])
    return bool(server.started)
