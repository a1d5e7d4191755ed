"""Helpers shared by the integration tests: raw looks at the SQLite file behind the services."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import text

from isms_flow.bootstrap import App, bootstrap
from isms_flow.clock import Clock
from isms_flow.config import Settings
from isms_flow.services import evidence, projects

MakeFile = Callable[..., Path]


@dataclass(frozen=True)
class StoredEvent:
    """One row of the events table, read with plain SQL."""

    seq: int
    type: str
    actor: str
    payload: dict[str, Any]
    prev_hash: str
    hash: str


def event_count(app: App) -> int:
    """How many events the database holds."""
    with app.engine.connect() as connection:
        return int(connection.execute(text("SELECT count(*) FROM events")).scalar_one())


def stored_events(app: App) -> list[StoredEvent]:
    """Every event, oldest first, straight from the table."""
    with app.engine.connect() as connection:
        rows = connection.execute(
            text("SELECT seq, type, actor, payload, prev_hash, hash FROM events ORDER BY seq")
        ).all()
    return [
        StoredEvent(row.seq, row.type, row.actor, json.loads(row.payload), row.prev_hash, row.hash)
        for row in rows
    ]


def row_count(app: App, table: str) -> int:
    """How many rows `table` holds."""
    with app.engine.connect() as connection:
        return int(connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


def project_state(app: App, key: str = "isms") -> tuple[str, int]:
    """(state, version) of the project with `key`, read with plain SQL."""
    with app.engine.connect() as connection:
        row = connection.execute(
            text("SELECT state, version FROM projects WHERE key = :key"), {"key": key}
        ).one()
    return row.state, row.version


def execute(app: App, sql: str, **params: Any) -> None:
    """Run one statement out of band, as someone with direct access to the file would."""
    with app.engine.begin() as connection:
        connection.execute(text(sql), params)


def vault_files(app: App) -> list[Path]:
    """Every file in the vault folder (including leftovers), sorted."""
    root = app.vault.root
    if not root.exists():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file())


def satisfy_scoping(app: App, ref: str, make_file: MakeFile, *, approver: str = "ceo") -> None:
    """Record a scope and the three scoping documents, the statement approved by top management."""
    projects.set_scope(app, ref=ref, actor="consultant", whole=True, units=[])
    statement = evidence.add_evidence(
        app,
        ref=ref,
        kind="scope_statement",
        file=make_file("scope.pdf", "scope: whole organization"),
        actor="consultant",
    )
    evidence.approve_evidence(
        app, ref=ref, document_id=statement.id, role="top_management", actor=approver
    )
    evidence.add_evidence(
        app,
        ref=ref,
        kind="asset_inventory",
        file=make_file("assets.xlsx", "laptops, servers, customer data"),
        actor="consultant",
    )
    evidence.add_evidence(
        app,
        ref=ref,
        kind="context_analysis",
        file=make_file("context.docx", "issues and interested parties"),
        actor="consultant",
    )


def app_on_copy(
    template: Path,
    data_dir: Path,
    clock: Clock,
    *,
    workflow_dirs: list[Path] | None = None,
) -> App:
    """A second App on its own copy of the migrated template, optionally with other workflows."""
    data_dir.mkdir(parents=True, exist_ok=True)
    database = data_dir / "isms-flow.db"
    if not database.exists():
        shutil.copyfile(template, database)
    settings = Settings(data_dir=data_dir, actor="tester", workflow_dirs=workflow_dirs or [])
    return bootstrap(settings, clock=clock)
