"""structlog setup: console lines on a terminal, JSON lines otherwise; always to stderr."""

from __future__ import annotations

import logging
import sys

import structlog

__all__ = ["configure_logging", "route_stdlib_logger"]


class _CurrentStderr:
    """Writes to whatever `sys.stderr` is at the moment of writing.

    Binding the stream object at configure time breaks when it is later replaced and closed
    (test runners capturing output, daemons redirecting it).
    """

    def write(self, text: str) -> int:
        return sys.stderr.write(text)

    def flush(self) -> None:
        sys.stderr.flush()


def configure_logging(level: str = "warning") -> None:
    """Configure structlog once per process; `client`, `project`, `actor` come from contextvars."""
    numeric = logging.getLevelName(level.upper())
    renderers: list[structlog.typing.Processor] = (
        [structlog.dev.ConsoleRenderer(colors=True)]
        if sys.stderr.isatty()
        # JSON drops `exc_info=True` unless the exception is turned into data first.
        else [
            structlog.processors.dict_tracebacks,
            structlog.processors.JSONRenderer(ensure_ascii=False),
        ]
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            *renderers,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(numeric),
        logger_factory=structlog.PrintLoggerFactory(file=_CurrentStderr()),  # type: ignore[arg-type]
        cache_logger_on_first_use=False,
    )
    logging.getLogger("transitions").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)


class _ToStructlog(logging.Handler):
    """Hands a standard-library record to structlog, so it reads like every other log line."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            structlog.get_logger(record.name).log(
                record.levelno, record.getMessage(), exc_info=record.exc_info or None
            )
        except Exception:  # a log line must never take the server down
            self.handleError(record)


def route_stdlib_logger(name: str) -> None:
    """Send a library's standard-library logger (e.g. `uvicorn`) through structlog; idempotent."""
    logger = logging.getLogger(name)
    if not any(isinstance(handler, _ToStructlog) for handler in logger.handlers):
        logger.addHandler(_ToStructlog())
    logger.propagate = False  # once is enough: not also through the root logger's handlers
