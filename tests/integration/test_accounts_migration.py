"""Migration 0006 on a database that already has clients: nothing lost, everyone adopted.

An upgraded database must look like a fresh one in which every client was added without an
organization: the organization `default` owns them all, every other row is untouched, the
history still verifies, and the schema equals the models. On SQLite and, when
ISMS_FLOW_TEST_POSTGRES_URL is set, on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

import isms_flow.store.tables  # noqa: F401 - every table is part of the schema
from isms_flow.bootstrap import bootstrap
from isms_flow.clock import FrozenClock
from isms_flow.config import Settings
from isms_flow.services import accounts, clients, history, projects
from isms_flow.store.db import make_engine
from isms_flow.store.events import append_event
from isms_flow.store.migrate import alembic_config, current_revisions, upgrade_to_head
from isms_flow.store.models import Base
from isms_flow.store.types import UtcDateTime
from tests.integration.accounts_support import BACKENDS, postgres_schema

BEFORE = datetime(2026, 3, 1, 0, 0, tzinfo=UTC)

# The 0005 tables as they were, for writing rows the way an older isms-flow did.
_CLIENTS = sa.table(
    "clients",
    sa.column("key"),
    sa.column("name"),
    sa.column("timezone"),
    sa.column("language"),
    sa.column("created_at", UtcDateTime()),
)
_PROJECTS = sa.table(
    "projects",
    *(sa.column(n) for n in ("client_id", "key", "title", "workflow_name", "workflow_version")),
    *(sa.column(n) for n in ("workflow_digest", "state", "state_visit", "version")),
    sa.column("scope_units", sa.JSON()),
    *(sa.column(n, UtcDateTime()) for n in ("state_entered_at", "created_at", "updated_at")),
)
_RECIPIENTS = sa.table(
    "notification_recipients",
    *(sa.column(n) for n in ("client_id", "channel", "address", "role", "secret", "created_by")),
    sa.column("created_at", UtcDateTime()),
)
_DUMPS = {
    "clients": "SELECT id, key, name, timezone, language, created_at FROM clients ORDER BY id",
    "projects": "SELECT * FROM projects ORDER BY id",
    "recipients": "SELECT * FROM notification_recipients ORDER BY id",
    "events": "SELECT * FROM events ORDER BY seq",
}


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database: a SQLite file, or a schema of its own on the PostgreSQL server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'old.db'}"
        return
    with postgres_schema() as url:
        yield url


@pytest.fixture
def old_engine(database_url: str) -> Iterator[Engine]:
    """A database at revision 0005 holding two clients, a project, a recipient and events."""
    engine = make_engine(database_url)
    _migrate(engine, "0005")
    with engine.begin() as connection:
        for key in ("acme", "beta"):
            connection.execute(
                _CLIENTS.insert().values(
                    key=key, name=key.upper(), timezone="Asia/Tokyo", language="ja",
                    created_at=BEFORE,
                )
            )  # fmt: skip
        connection.execute(
            _PROJECTS.insert().values(
                client_id=1, key="isms", title="ISMS", workflow_name="iso27001-2022",
                workflow_version=1, workflow_digest="0" * 64, state="scoping", state_visit=0,
                version=1, scope_units=[], state_entered_at=BEFORE, created_at=BEFORE,
                updated_at=BEFORE,
            )
        )  # fmt: skip
        connection.execute(
            _RECIPIENTS.insert().values(
                client_id=2, channel="email", address="a@beta.example.jp", role="any",
                secret="", created_by="old", created_at=BEFORE,
            )
        )  # fmt: skip
    with Session(engine) as session:
        for client_id in (1, 2):
            append_event(session, occurred_at=BEFORE, actor="old", type="client_added",
                         client_id=client_id, payload={"key": "x"})  # fmt: skip
        session.commit()
    yield engine
    engine.dispose()


def _migrate(engine: Engine, revision: str, *, down: bool = False) -> None:
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(config, revision)


def _dump(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    with engine.connect() as connection:
        return {
            name: [tuple(row) for row in connection.execute(text(sql)).all()]
            for name, sql in _DUMPS.items()
        }


def test_existing_clients_are_adopted_by_the_default_organization_and_nothing_else_changes(
    old_engine: Engine,
) -> None:
    before = _dump(old_engine)
    assert upgrade_to_head(old_engine) is True
    assert _dump(old_engine) == before
    with old_engine.connect() as connection:
        organizations = connection.execute(
            text("SELECT id, key, name, created_by FROM organizations")
        ).all()
        assert [tuple(row)[1:] for row in organizations] == [
            ("default", "Default organization", "migration 0006")
        ]
        owners = connection.execute(text("SELECT organization_id FROM clients")).scalars().all()
        assert owners == [organizations[0].id] * 2
        for table in ("users", "role_grants", "api_tokens"):
            assert connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one() == 0
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_an_upgraded_database_enforces_the_owner_of_every_client(old_engine: Engine) -> None:
    upgrade_to_head(old_engine)
    with pytest.raises(IntegrityError), old_engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO clients (key, name, timezone, language, created_at, organization_id)"
                " VALUES ('x', 'X', 'UTC', 'en', :at, 999)"
            ),
            {"at": BEFORE.replace(tzinfo=None)},
        )
    with pytest.raises(IntegrityError), old_engine.begin() as connection:
        connection.execute(text("UPDATE clients SET organization_id = NULL"))
    if old_engine.dialect.name == "sqlite":
        with old_engine.connect() as connection:
            assert connection.execute(text("PRAGMA foreign_key_check")).all() == []


def test_isms_flow_works_on_an_upgraded_database(
    old_engine: Engine, database_url: str, tmp_path: Path
) -> None:
    old_engine.dispose()
    app = bootstrap(
        Settings(data_dir=tmp_path / "data", database_url=database_url, actor="t"),
        clock=FrozenClock(datetime(2026, 4, 1, tzinfo=UTC)),
    )
    try:
        assert [c.key for c in clients.list_clients(app)] == ["acme", "beta"]
        accounts.add_user(app, email="sato@example.jp", organization="default", name="Sato",
                          actor="root")  # fmt: skip
        accounts.grant_role(app, email="sato@example.jp", client_key="acme", role="admin",
                            actor="root")  # fmt: skip
        accounts.add_organization(app, key="nakano", name="Nakano", actor="root")
        clients.add_client(app, key="gamma", name="Gamma", actor="root", organization="nakano")
        projects.create_project(app, client_key="acme", key="isms-2027", title="T", actor="t")
        token = accounts.create_token(app, email="sato@example.jp", actor="root").token
        principal = accounts.authenticate(app, token, app.clock.now())
        with app.uow() as uow:
            assert accounts.visible_client_ids(uow.session, principal) == {1}
        report = history.verify_history(app)
        assert report.intact and report.events == 2 + 6
        organizations = {o.key: o.clients for o in accounts.list_organizations(app)}
        assert organizations == {"default": ["acme", "beta"], "nakano": ["gamma"]}
    finally:
        app.close()


def test_downgrading_keeps_clients_and_projects(old_engine: Engine) -> None:
    before = _dump(old_engine)
    upgrade_to_head(old_engine)
    _migrate(old_engine, "0005", down=True)
    assert current_revisions(old_engine) == {"0005"}
    assert _dump(old_engine) == before
    with old_engine.connect() as connection:
        names = set(sa.inspect(connection).get_table_names())
    assert not names & {"organizations", "users", "role_grants", "api_tokens"}
    assert upgrade_to_head(old_engine) is True
    assert _dump(old_engine) == before
