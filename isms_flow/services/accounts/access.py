"""Access checks an adapter makes before calling a use case on behalf of a principal.

Each check resolves the object among the principal's clients only (a foreign one is "not
found"), applies the permission matrix, and returns what the adapter needs next: the canonical
reference to pass to the use case and the version to put in an ETag.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, text

from isms_flow.accounts import Action, Principal
from isms_flow.bootstrap import App
from isms_flow.services.accounts.tenancy import find_visible_client, find_visible_project
from isms_flow.services.lookup import project_ref
from isms_flow.store.models import ClientRow

__all__ = [
    "ClientAccess",
    "ProjectAccess",
    "client_access",
    "ping",
    "project_access",
    "roles_of",
]


@dataclass(frozen=True)
class ClientAccess:
    """A client the principal may act on."""

    id: int
    key: str


@dataclass(frozen=True)
class ProjectAccess:
    """A project the principal may act on, as it was when the check ran."""

    id: int
    ref: str
    client_id: int
    client_key: str
    version: int


def client_access(app: App, principal: Principal, key: str, action: Action) -> ClientAccess:
    """The client `key` if `principal` may do `action` there (else NotFound/PermissionDenied)."""
    with app.uow() as uow:
        client = find_visible_client(uow.session, principal, key, action)
        return ClientAccess(id=client.id, key=client.key)


def project_access(app: App, principal: Principal, ref: str, action: Action) -> ProjectAccess:
    """The project `ref` if `principal` may do `action` on it (else NotFound/PermissionDenied)."""
    with app.uow() as uow:
        project = find_visible_project(uow.session, principal, ref, action)
        return ProjectAccess(
            id=project.id,
            ref=project_ref(project),
            client_id=project.client_id,
            client_key=project.client.key,
            version=project.version,
        )


def roles_of(app: App, principal: Principal) -> list[tuple[str, str]]:
    """(client key, role) for every client the principal holds a role on, by key."""
    if not principal.roles:
        return []
    with app.uow() as uow:
        rows = uow.session.execute(
            select(ClientRow.id, ClientRow.key)
            .where(ClientRow.id.in_(sorted(principal.client_ids)))
            .order_by(ClientRow.key)
        ).all()
    return [(key, principal.roles[client_id].value) for client_id, key in rows]


def ping(app: App) -> None:
    """Raise unless the database answers."""
    with app.engine.connect() as connection:
        connection.execute(text("SELECT 1"))
