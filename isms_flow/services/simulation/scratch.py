"""A throwaway copy of the database for a simulation: what it does never reaches the real one.

SQLite: the `sqlite3` backup API copies the file page by page from a consistent snapshot (a
scheduler writing meanwhile does no harm). Any other database (PostgreSQL): an empty SQLite
file is migrated to the same schema and every table is copied into it row by row, in
foreign-key order. Copying rather than refusing keeps the forecast available to the
installations that most need it; the scheduler's code is the same on both databases except
for the claim's `SKIP LOCKED`, which a single simulated dispatcher never needs.

The copy runs with the user's settings except where a scratch file differs: no fsync on
commit (nothing here must survive a crash) and large dispatcher batches.
"""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from sqlalchemy import Engine, delete, insert, select

from isms_flow.bootstrap import App, bootstrap
from isms_flow.clock import FrozenClock
from isms_flow.store.db import make_engine
from isms_flow.store.migrate import upgrade_to_head
from isms_flow.store.models import Base

__all__ = ["SCRATCH_BATCH", "scratch_copy"]

SCRATCH_BATCH = 500
"""Rows a simulated dispatcher claims at once: nobody else claims, and nothing can crash."""

_ROWS_PER_COPY = 5000


@contextmanager
def scratch_copy(app: App, clock: FrozenClock) -> Iterator[App]:
    """The application on a temporary copy of `app`'s database, running on `clock`; the copy
    and its folder are gone when the block ends."""
    with tempfile.TemporaryDirectory(prefix="isms-flow-simulation-") as folder:
        target = Path(folder) / "scratch.db"
        if app.engine.dialect.name == "sqlite":
            _backup(app.engine, target)
        else:
            _copy_rows(app.engine, target)
        scheduler = app.settings.scheduler.model_copy(
            update={"batch_size": max(app.settings.scheduler.batch_size, SCRATCH_BATCH)}
        )
        settings = app.settings.model_copy(
            update={
                "database_url": f"sqlite:///{target}",
                "data_dir": Path(folder),
                "vault_dir": Path(folder) / "vault",  # nothing in the scheduler reads files
                "sqlite_synchronous": "NORMAL",
                "scheduler": scheduler,
            }
        )
        scratch = bootstrap(settings, clock=clock, migrate=False)
        try:
            yield scratch
        finally:
            scratch.close()


def _backup(engine: Engine, target: Path) -> None:
    with engine.connect() as connection, closing(sqlite3.connect(target)) as copy:
        source = connection.connection.driver_connection
        assert isinstance(source, sqlite3.Connection)  # the sqlite dialect's driver
        source.backup(copy)


def _copy_rows(engine: Engine, target: Path) -> None:
    scratch = make_engine(f"sqlite:///{target}", sqlite_synchronous="NORMAL")
    try:
        upgrade_to_head(scratch)
        tables = Base.metadata.sorted_tables  # parents before children
        with engine.connect() as source, scratch.begin() as copy:
            for table in reversed(tables):  # what migrations seed (a default organization)
                copy.execute(delete(table))
            for table in tables:
                rows = source.execution_options(yield_per=_ROWS_PER_COPY).execute(select(table))
                for chunk in rows.mappings().partitions():
                    copy.execute(insert(table), [dict(row) for row in chunk])
    finally:
        scratch.dispose()
