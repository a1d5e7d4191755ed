"""Who holds which role: a client's grants, and the users an admin may see.

The rule for users: an admin sees the users of their own organization that hold a role on a
client they administer, with those roles only. That is exactly the union of the grant lists
they may read client by client, so listing users reveals nothing a grant list does not; a user
without a role on such a client is granted one by e-mail address, which the admin knows anyway.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict
from sqlalchemy import select

from isms_flow.accounts import Principal, Role
from isms_flow.bootstrap import App
from isms_flow.errors import PermissionDenied
from isms_flow.services.accounts.views import RoleView
from isms_flow.store.models import ClientRow
from isms_flow.store.tables.accounts import RoleGrantRow, UserRow

__all__ = ["ClientGrantView", "ColleagueView", "list_grants", "list_users_as"]


class ClientGrantView(BaseModel):
    """One user's role on a client, and who granted it when."""

    model_config = ConfigDict(frozen=True)

    email: str
    name: str
    role: str
    granted_by: str
    granted_at: datetime


class ColleagueView(BaseModel):
    """A user of the caller's organization with their roles on clients the caller administers."""

    model_config = ConfigDict(frozen=True)

    email: str
    name: str
    roles: list[RoleView]


def list_grants(app: App, *, client_id: int) -> list[ClientGrantView]:
    """Every role held on the client by a user of its own organization, by e-mail address."""
    with app.uow() as uow:
        rows = uow.session.execute(
            select(UserRow.email, UserRow.name, RoleGrantRow)
            .join(UserRow, UserRow.id == RoleGrantRow.user_id)
            .join(ClientRow, ClientRow.id == RoleGrantRow.client_id)
            # A grant written out of band to another organization's user grants nothing.
            .where(
                RoleGrantRow.client_id == client_id,
                UserRow.organization_id == ClientRow.organization_id,
            )
            .order_by(UserRow.email)
        ).all()
        return [
            ClientGrantView(
                email=email,
                name=name,
                role=grant.role,
                granted_by=grant.granted_by,
                granted_at=grant.granted_at,
            )
            for email, name, grant in rows
        ]


def list_users_as(app: App, principal: Principal) -> list[ColleagueView]:
    """The users `principal` may see as an admin (see the module docstring), by e-mail."""
    administered = sorted(cid for cid, role in principal.roles.items() if role is Role.ADMIN)
    if not administered:
        raise PermissionDenied("listing users needs the admin role on a client")
    with app.uow() as uow:
        rows = uow.session.execute(
            select(UserRow.email, UserRow.name, ClientRow.key, RoleGrantRow.role)
            .join(UserRow, UserRow.id == RoleGrantRow.user_id)
            .join(ClientRow, ClientRow.id == RoleGrantRow.client_id)
            .where(
                RoleGrantRow.client_id.in_(administered),
                ClientRow.organization_id == principal.organization_id,
                UserRow.organization_id == principal.organization_id,
            )
            .order_by(UserRow.email, ClientRow.key)
        ).all()
    names: dict[str, str] = {}
    roles: dict[str, list[RoleView]] = {}
    for email, name, client_key, role in rows:
        names[email] = name
        roles.setdefault(email, []).append(RoleView(client=client_key, role=role))
    return [ColleagueView(email=email, name=names[email], roles=roles[email]) for email in names]
