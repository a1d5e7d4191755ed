"""Two organizations with clients, projects, users and roles, for the account tests.

nakano (a consultancy) owns clients acme and beta; kita owns gamma. Each client has a project
`isms`. At nakano: boss@ is admin of acme, pm@ its project manager, view@ its viewer;
kita's own admin is boss@kita. Nobody at nakano holds a role on beta.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text

from isms_flow.accounts import Principal
from isms_flow.bootstrap import App, bootstrap
from isms_flow.clock import Clock
from isms_flow.config import Settings
from isms_flow.services import accounts, clients, projects
from tests.backends import BACKENDS as BACKENDS  # re-exported: the account tests use it
from tests.backends import fresh_postgres_url
from tests.backends import postgres_schema as postgres_schema
from tests.integration.support import app_on_copy

ADMIN = "boss@nakano.example.jp"
PM = "pm@nakano.example.jp"
VIEWER = "view@nakano.example.jp"
KITA_ADMIN = "boss@kita.example.jp"


@dataclass(frozen=True)
class Tenants:
    """Ids of what `make_tenants` created."""

    acme: int
    beta: int
    gamma: int


def make_tenants(app: App) -> Tenants:
    """Create the two organizations described in the module docstring."""
    accounts.add_organization(app, key="nakano", name="Nakano Consulting", actor="root")
    accounts.add_organization(app, key="kita", name="Kita Security", actor="root")
    for client, org in (("acme", "nakano"), ("beta", "nakano"), ("gamma", "kita")):
        clients.add_client(app, key=client, name=client.title(), actor="root", organization=org)
        projects.create_project(app, client_key=client, key="isms", title="ISMS", actor="root")
    for email, org in ((ADMIN, "nakano"), (PM, "nakano"), (VIEWER, "nakano"), (KITA_ADMIN, "kita")):
        accounts.add_user(
            app, email=email, organization=org, name=email.split("@")[0], actor="root"
        )
    for email, client, role in (
        (ADMIN, "acme", "admin"),
        (PM, "acme", "project_manager"),
        (VIEWER, "acme", "viewer"),
        (KITA_ADMIN, "gamma", "admin"),
    ):
        accounts.grant_role(app, email=email, client_key=client, role=role, actor="root")
    return Tenants(*(_client_id(app, key) for key in ("acme", "beta", "gamma")))


def principal_of(app: App, email: str) -> Principal:
    """The principal a fresh token of `email` authenticates as, right now."""
    token = accounts.create_token(app, email=email, actor="root").token
    return accounts.authenticate(app, token, app.clock.now())


def _client_id(app: App, key: str) -> int:
    with app.engine.connect() as connection:
        return int(
            connection.execute(
                text("SELECT id FROM clients WHERE key = :k"), {"k": key}
            ).scalar_one()
        )


@contextmanager
def app_on(backend: str, folder: Path, clock: Clock, template: Path) -> Iterator[App]:
    """A migrated App on a SQLite copy of the template, or on an emptied PostgreSQL schema."""
    if backend == "sqlite":
        application = app_on_copy(template, folder / "data", clock)
        try:
            yield application
        finally:
            application.close()
        return
    url = fresh_postgres_url()
    settings = Settings(data_dir=folder / "data", database_url=url, actor="tester")
    application = bootstrap(settings, clock=clock)
    try:
        yield application
    finally:
        application.close()
