"""The two databases the tests run on: a SQLite file always, PostgreSQL when a server is named.

ISMS_FLOW_TEST_POSTGRES_URL names the server (CI sets it). Each test process migrates one
schema of its own on it once and empties it back to its just-migrated rows before every test:
migrating costs seconds, emptying tens of milliseconds, and parallel test processes
(pytest-xdist workers) never share a schema.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import Engine, MetaData, Table, create_engine, text
from sqlalchemy.engine import make_url

from isms_flow.store.migrate import upgrade_to_head

__all__ = [
    "BACKENDS",
    "HOW_TO_RUN",
    "POSTGRES_URL",
    "SKIPPED",
    "drop_worker_schema",
    "fresh_postgres_url",
    "postgres_schema",
    "shown_url",
]

POSTGRES_URL = os.environ.get("ISMS_FLOW_TEST_POSTGRES_URL", "")
BACKENDS = ["sqlite", "postgresql"]
HOW_TO_RUN = "set ISMS_FLOW_TEST_POSTGRES_URL=postgresql+psycopg://... to run it (CI does)"
SKIPPED = f"PostgreSQL half skipped: {HOW_TO_RUN}"
_SCHEMA_PREFIX = "isms_flow_test_"


def shown_url() -> str:
    """The server URL as it may be printed: any password masked."""
    return make_url(POSTGRES_URL).render_as_string(hide_password=True)


def _schema_url(schema: str) -> str:
    separator = "&" if "?" in POSTGRES_URL else "?"
    # No test needs a commit to outlive a server crash: not waiting for the WAL flush makes
    # commit-heavy tests about a third faster.
    options = f"-csearch_path%3D{schema}%20-csynchronous_commit%3Doff"
    return f"{POSTGRES_URL}{separator}options={options}"


def _new_schema(admin: Engine) -> str:
    schema = f"{_SCHEMA_PREFIX}{uuid.uuid4().hex[:12]}"
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    return schema


def _drop_schema(admin: Engine, schema: str) -> None:
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))


@contextmanager
def postgres_schema() -> Iterator[str]:
    """A URL of an empty schema of its own on the server, dropped afterwards (or skip)."""
    if not POSTGRES_URL:
        pytest.skip(SKIPPED)
    admin = create_engine(POSTGRES_URL)
    schema = _new_schema(admin)
    try:
        yield _schema_url(schema)
    finally:
        _drop_schema(admin, schema)
        admin.dispose()


@dataclass
class _MigratedSchema:
    """One migrated schema, and what it takes to bring it back to just after the migration."""

    schema: str
    engine: Engine
    children_first: Sequence[Table]
    seed: Mapping[Table, Sequence[dict[str, Any]]]
    serials: Sequence[tuple[str, str, str]]  # (table, column, sequence)

    @classmethod
    def create(cls, admin: Engine) -> _MigratedSchema:
        """Create a schema, migrate it with Alembic, and note the rows the migrations wrote."""
        schema = _new_schema(admin)
        engine = create_engine(_schema_url(schema))
        upgrade_to_head(engine)
        metadata = MetaData()
        metadata.reflect(engine)
        tables = [t for t in reversed(metadata.sorted_tables) if t.name != "alembic_version"]
        with engine.connect() as connection:
            seed = {t: [dict(r) for r in connection.execute(t.select()).mappings()] for t in tables}
            serials = connection.execute(text(_SERIALS)).all()
        return cls(
            schema=schema,
            engine=engine,
            children_first=tables,
            seed={table: rows for table, rows in seed.items() if rows},
            serials=[(row.table_name, row.column_name, row.sequence) for row in serials],
        )

    def empty(self) -> None:
        """Delete every row, restart every sequence, and put back what the migrations wrote."""
        # DELETE in foreign-key order beats TRUNCATE here: TRUNCATE swaps every table's files
        # and waits for the disk, about a second for the whole schema against ~50 ms.
        with self.engine.begin() as connection:
            connection.execute(text("SET LOCAL lock_timeout = '60s'"))
            for table in self.children_first:
                connection.execute(table.delete())
            for _table, _column, sequence in self.serials:
                connection.execute(text("SELECT setval(:s, 1, false)"), {"s": sequence})
            for table in reversed(self.children_first):
                if table in self.seed:
                    connection.execute(table.insert(), list(self.seed[table]))
            for table_name, column, sequence in self.serials:
                if any(t.name == table_name for t in self.seed):
                    connection.execute(
                        text(f'SELECT setval(:s, (SELECT max("{column}") FROM "{table_name}"))'),
                        {"s": sequence},
                    )


_SERIALS = """
SELECT c.relname AS table_name, a.attname AS column_name,
       pg_get_serial_sequence(format('%I.%I', n.nspname, c.relname), a.attname) AS sequence
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')
  AND pg_get_serial_sequence(format('%I.%I', n.nspname, c.relname), a.attname) IS NOT NULL
"""


class _WorkerDatabase:
    """This process's migrated schema, created on first use and dropped at the session's end."""

    def __init__(self) -> None:
        self._admin: Engine | None = None
        self._schema: _MigratedSchema | None = None

    def fresh_url(self) -> str:
        """A URL of the schema, empty and migrated, as a new installation would find it."""
        if self._schema is None:
            self._admin = create_engine(POSTGRES_URL)
            self._schema = _MigratedSchema.create(self._admin)
        else:
            self._schema.empty()
        return _schema_url(self._schema.schema)

    def drop(self) -> None:
        """Drop the schema, if this process made one."""
        if self._schema is None or self._admin is None:
            return
        self._schema.engine.dispose()
        _drop_schema(self._admin, self._schema.schema)
        self._admin.dispose()
        self._schema = self._admin = None


_WORKER = _WorkerDatabase()


def fresh_postgres_url() -> str:
    """A URL of this process's schema on the server, empty and migrated (or skip)."""
    if not POSTGRES_URL:
        pytest.skip(SKIPPED)
    return _WORKER.fresh_url()


def drop_worker_schema() -> None:
    """Drop this process's schema; called once when the test session ends."""
    _WORKER.drop()
