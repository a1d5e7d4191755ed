"""The tenancy rule as queries: what a principal may see, and lookups that hide the rest.

A principal sees a client only through a role on it, and only on clients of its own
organization. Lookups for a principal restrict their query to those clients *before* deciding
"not found" or "ambiguous", so a foreign object produces the same error as a missing one and
no message ever names a foreign client or project.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from isms_flow.accounts import Action, Principal, hidden, require
from isms_flow.errors import BadInput
from isms_flow.services.lookup import project_ref
from isms_flow.store.models import ClientRow, ProjectRow
from isms_flow.store.tables.accounts import RoleGrantRow

__all__ = [
    "find_visible_client",
    "find_visible_project",
    "visible_client_ids",
    "visible_clients",
]


def visible_clients(principal: Principal) -> Select[int]:
    """The ids of the clients `principal` may see, as a subquery for list endpoints.

    Read from the grants as they are now (a role revoked a moment ago is gone), and only on
    clients of the principal's organization even if a grant elsewhere was written out of band.
    """
    return (
        select(RoleGrantRow.client_id)
        .join(ClientRow, ClientRow.id == RoleGrantRow.client_id)
        .where(
            RoleGrantRow.user_id == principal.user_id,
            ClientRow.organization_id == principal.organization_id,
        )
    )


def visible_client_ids(session: Session, principal: Principal) -> frozenset[int]:
    """The ids of the clients `principal` may see."""
    return frozenset(session.scalars(visible_clients(principal)).all())


def find_visible_client(
    session: Session, principal: Principal, key: str, action: Action
) -> ClientRow:
    """The client `key` if `principal` may do `action` on it.

    NotFound when it is missing or the principal has no role on it; PermissionDenied when the
    role there does not allow the action.
    """
    client = session.scalars(
        select(ClientRow).where(ClientRow.key == key, ClientRow.id.in_(_held(principal)))
    ).first()
    if client is None:
        raise hidden("client", key)
    require(principal, client.id, action, what="client", key=key)
    return client


def find_visible_project(
    session: Session, principal: Principal, ref: str, action: Action
) -> ProjectRow:
    """Resolve `client/project` (or a bare project key) among the principal's clients only."""
    if not ref or ref.count("/") > 1:
        raise BadInput(f"project reference '{ref}' must be CLIENT/PROJECT or PROJECT")
    query: Any = (
        select(ProjectRow)
        .join(ClientRow, ProjectRow.client_id == ClientRow.id)
        .where(ProjectRow.client_id.in_(_held(principal)))
    )
    if "/" in ref:
        client_key, key = ref.split("/")
        query = query.where(ClientRow.key == client_key, ProjectRow.key == key)
    else:
        query = query.where(ProjectRow.key == ref)
    matches: Sequence[ProjectRow] = session.scalars(query).all()
    if not matches:
        raise hidden("project", ref)
    if len(matches) > 1:
        # Only projects the principal may see are candidates, so naming them reveals nothing.
        refs = ", ".join(sorted(project_ref(p) for p in matches))
        raise BadInput(f"project '{ref}' is ambiguous; say which: {refs}")
    project = matches[0]
    require(principal, project.client_id, action, what="project", key=ref)
    return project


def _held(principal: Principal) -> list[int]:
    # The roles resolved with the principal for this request; the tenancy rule in one place.
    return sorted(principal.client_ids)
