"""Use cases for organizations: the consultancies and in-house teams that own clients."""

from __future__ import annotations

from sqlalchemy import func, select

from isms_flow.bootstrap import App
from isms_flow.errors import BadInput
from isms_flow.services.accounts.lookup import check_name
from isms_flow.services.accounts.views import OrganizationView
from isms_flow.services.clients import check_key
from isms_flow.services.retry import VersionPin, retry_on_conflict
from isms_flow.store.events import append_event
from isms_flow.store.models import ClientRow
from isms_flow.store.tables.accounts import OrganizationRow, UserRow

__all__ = ["add_organization", "list_organizations"]


def add_organization(app: App, *, key: str, name: str, actor: str) -> OrganizationView:
    """Register an organization (a local administrator's act: there is no principal for it)."""
    check_key("organization", key)
    title = check_name("organization name", name)
    now = app.clock.now()

    def attempt(pin: VersionPin) -> OrganizationView:
        with app.uow() as uow:
            session = uow.session
            taken = session.scalars(
                select(OrganizationRow.id).where(OrganizationRow.key == key)
            ).first()
            if taken is not None:
                raise BadInput(f"organization '{key}' already exists")
            row = OrganizationRow(key=key, name=title, created_by=actor, created_at=now)
            session.add(row)
            uow.flush()
            append_event(
                session,
                occurred_at=now,
                actor=actor,
                type="organization_added",
                payload={"organization": key, "name": title},
            )
            uow.commit()
            return _view(row, clients=[], users=0)

    return retry_on_conflict(attempt)


def list_organizations(app: App) -> list[OrganizationView]:
    """Every organization with its clients and number of users, by key."""
    with app.uow() as uow:
        session = uow.session
        users = dict(
            session.execute(
                select(UserRow.organization_id, func.count()).group_by(UserRow.organization_id)
            ).all()
        )
        clients: dict[int, list[str]] = {}
        for organization_id, client_key in session.execute(
            select(ClientRow.organization_id, ClientRow.key).order_by(ClientRow.key)
        ).all():
            clients.setdefault(organization_id, []).append(client_key)
        rows = session.scalars(select(OrganizationRow).order_by(OrganizationRow.key)).all()
        return [
            _view(row, clients=clients.get(row.id, []), users=users.get(row.id, 0)) for row in rows
        ]


def _view(row: OrganizationRow, *, clients: list[str], users: int) -> OrganizationView:
    return OrganizationView(
        key=row.key,
        name=row.name,
        clients=clients,
        users=users,
        created_by=row.created_by,
        created_at=row.created_at,
    )
