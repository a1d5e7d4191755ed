"""Alembic environment: runs on the connection isms-flow hands it (see store/migrate.py)."""

from __future__ import annotations

from alembic import context

import isms_flow.store.tables  # noqa: F401 - registers the register tables on Base
from isms_flow.store.models import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only through isms_flow.store.migrate
    raise RuntimeError("run migrations with `isms-flow db upgrade`, not the alembic command")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
