"""Building a user's `Principal`: their roles on the clients of their own organization, now."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from isms_flow.accounts import Principal, Role
from isms_flow.bootstrap import App
from isms_flow.services.accounts.lookup import find_user
from isms_flow.store.models import ClientRow
from isms_flow.store.tables.accounts import RoleGrantRow, UserRow

__all__ = ["principal_of", "user_principal"]

_ROLES = {role.value: role for role in Role}


def principal_of(session: Session, user: UserRow, *, token_id: int | None = None) -> Principal:
    """The principal `user` is, with the roles granted to them as of this transaction."""
    grants = session.execute(
        select(RoleGrantRow.client_id, RoleGrantRow.role)
        .join(ClientRow, ClientRow.id == RoleGrantRow.client_id)
        .where(
            RoleGrantRow.user_id == user.id,
            ClientRow.organization_id == user.organization_id,
        )
    ).all()
    return Principal(
        user_id=user.id,
        email=user.email,
        name=user.name,
        organization_id=user.organization_id,
        # A role this version does not know grants nothing (fail closed).
        roles={cid: _ROLES[role] for cid, role in grants if role in _ROLES},
        token_id=token_id,
    )


def user_principal(app: App, *, email: str) -> Principal:
    """The principal the user `email` would be with a token, without one: for a local
    administrator asking what that user may see (`isms-flow portfolio --user`)."""
    with app.uow() as uow:
        return principal_of(uow.session, find_user(uow.session, email))
