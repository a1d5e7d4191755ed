"""Engine and session factory; SQLite gets WAL, foreign keys, a busy timeout and real BEGINs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker

from isms_flow.errors import BadInput

__all__ = ["make_engine", "make_session_factory"]


def make_engine(url: str, *, sqlite_synchronous: str = "FULL") -> Engine:
    """Create an engine for `url`; for a SQLite file, create its folder and set pragmas."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise BadInput(f"database URL '{url}' is not a SQLAlchemy URL") from None
    if parsed.get_backend_name() != "sqlite":
        try:
            return create_engine(parsed, pool_pre_ping=True)
        except ModuleNotFoundError as error:
            raise BadInput(
                f"database driver for '{parsed.drivername}' missing: {error.name}"
            ) from None
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(parsed, connect_args={"timeout": 30})
    _configure_sqlite(engine, sqlite_synchronous)
    return engine


def _configure_sqlite(engine: Engine, synchronous: str) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin, so reads
        # inside a unit of work see one consistent snapshot (SQLAlchemy's documented recipe).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA synchronous={synchronous}")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN")


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded objects usable after commit (results are built after it)."""
    return sessionmaker(engine, expire_on_commit=False)
