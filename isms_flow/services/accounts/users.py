"""Use cases for users: people of an organization, known by their e-mail address."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from isms_flow.bootstrap import App
from isms_flow.errors import BadInput
from isms_flow.services.accounts.lookup import check_name, find_organization, normalize_email
from isms_flow.services.accounts.views import RoleView, UserView
from isms_flow.services.retry import VersionPin, retry_on_conflict
from isms_flow.store.events import append_event
from isms_flow.store.models import ClientRow
from isms_flow.store.tables.accounts import ApiTokenRow, OrganizationRow, RoleGrantRow, UserRow

__all__ = ["add_user", "list_users"]


def add_user(app: App, *, email: str, organization: str, name: str, actor: str) -> UserView:
    """Add a user to an organization; they hold no role until one is granted."""
    address = normalize_email(email)
    full_name = check_name("user name", name)
    now = app.clock.now()

    def attempt(pin: VersionPin) -> UserView:
        with app.uow() as uow:
            session = uow.session
            org = find_organization(session, organization)
            existing = session.execute(
                select(OrganizationRow.key)
                .join(UserRow, UserRow.organization_id == OrganizationRow.id)
                .where(UserRow.email == address)
            ).scalar()
            if existing is not None:
                raise BadInput(f"user {address} already exists (organization '{existing}')")
            row = UserRow(
                organization_id=org.id,
                email=address,
                name=full_name,
                created_by=actor,
                created_at=now,
            )
            session.add(row)
            uow.flush()
            append_event(
                session,
                occurred_at=now,
                actor=actor,
                type="user_added",
                payload={
                    "user_id": row.id,
                    "email": address,
                    "name": full_name,
                    "organization": org.key,
                },
            )
            uow.commit()
            return _view(row, org.key, roles=[], active_tokens=0)

    return retry_on_conflict(attempt)


def list_users(app: App, *, organization: str | None = None) -> list[UserView]:
    """Users by organization and e-mail address, with their roles and active tokens."""
    now = app.clock.now()
    with app.uow() as uow:
        session = uow.session
        query = (
            select(UserRow, OrganizationRow.key)
            .join(OrganizationRow, UserRow.organization_id == OrganizationRow.id)
            .order_by(OrganizationRow.key, UserRow.email)
        )
        if organization is not None:
            query = query.where(
                UserRow.organization_id == find_organization(session, organization).id
            )
        rows = session.execute(query).all()
        ids = [user.id for user, _ in rows]
        roles = _roles(session, ids)
        tokens = _active_tokens(session, ids, now)
        return [
            _view(user, org_key, roles=roles.get(user.id, []), active_tokens=tokens.get(user.id, 0))
            for user, org_key in rows
        ]


def _roles(session: Session, user_ids: Sequence[int]) -> dict[int, list[RoleView]]:
    grants: dict[int, list[RoleView]] = {}
    for user_id, client_key, role in session.execute(
        select(RoleGrantRow.user_id, ClientRow.key, RoleGrantRow.role)
        .join(ClientRow, RoleGrantRow.client_id == ClientRow.id)
        .where(RoleGrantRow.user_id.in_(user_ids))
        .order_by(ClientRow.key)
    ).all():
        grants.setdefault(user_id, []).append(RoleView(client=client_key, role=role))
    return grants


def _active_tokens(session: Session, user_ids: Sequence[int], now: datetime) -> dict[int, int]:
    return dict(
        session.execute(
            select(ApiTokenRow.user_id, func.count())
            .where(
                ApiTokenRow.user_id.in_(user_ids),
                ApiTokenRow.revoked_at.is_(None),
                ApiTokenRow.expires_at > now,
            )
            .group_by(ApiTokenRow.user_id)
        ).all()
    )


def _view(
    row: UserRow, organization: str, *, roles: list[RoleView], active_tokens: int
) -> UserView:
    return UserView(
        email=row.email,
        name=row.name,
        organization=organization,
        roles=roles,
        active_tokens=active_tokens,
        created_by=row.created_by,
        created_at=row.created_at,
    )
