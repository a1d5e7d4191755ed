"""Creating a client through the API: who may, and who administers it afterwards.

Roles exist only on clients, so "may create clients" is read as "administers at least one
client of the organization". The creator becomes the new client's admin, or nobody could use
it. The very first client of an organization comes from the CLI (`isms-flow client add --org`).
"""

from __future__ import annotations

from sqlalchemy import select

from isms_flow.accounts import Principal, Role, require_admin_somewhere
from isms_flow.bootstrap import App
from isms_flow.services.accounts.grants import grant_role
from isms_flow.services.clients import add_client
from isms_flow.services.views import ClientView
from isms_flow.store.tables.accounts import OrganizationRow

__all__ = ["create_client_as"]


def create_client_as(
    app: App,
    principal: Principal,
    *,
    key: str,
    name: str,
    timezone: str | None = None,
    language: str | None = None,
) -> ClientView:
    """Add a client to the principal's organization and make the principal its admin."""
    require_admin_somewhere(principal)
    with app.uow() as uow:
        organization = uow.session.scalars(
            select(OrganizationRow.key).where(OrganizationRow.id == principal.organization_id)
        ).one()
    view = add_client(
        app,
        key=key,
        name=name,
        actor=principal.actor,
        timezone=timezone,
        language=language,
        organization=organization,
    )
    grant_role(app, email=principal.email, client_key=key, role=Role.ADMIN, actor=principal.actor)
    return view
