"""Use cases for roles: grant a user a role on a client, revoke it.

A role is granted only on a client of the user's own organization. An authenticated principal
needs `manage_users` on the client (an admin there), sees only users of its organization, and
cannot change its own role — someone else must.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from isms_flow.accounts import Action, Principal, parse_role
from isms_flow.bootstrap import App
from isms_flow.errors import BadInput, PermissionDenied
from isms_flow.services.accounts.acting import Acting, actor_name
from isms_flow.services.accounts.lookup import find_user, normalize_email
from isms_flow.services.accounts.tenancy import find_visible_client
from isms_flow.services.accounts.views import GrantView
from isms_flow.services.lookup import find_client
from isms_flow.services.retry import VersionPin, retry_on_conflict
from isms_flow.store.events import append_event
from isms_flow.store.models import ClientRow
from isms_flow.store.tables.accounts import OrganizationRow, RoleGrantRow, UserRow

__all__ = ["grant_role", "revoke_role"]


def grant_role(app: App, *, email: str, client_key: str, role: str, actor: Acting) -> GrantView:
    """Give a user a role on a client, replacing the role they held there."""
    new_role = parse_role(role)
    address = normalize_email(email)
    now = app.clock.now()
    name = actor_name(actor)

    def attempt(pin: VersionPin) -> GrantView:
        with app.uow() as uow:
            session = uow.session
            pair = _pair(session, actor, address, client_key)
            grant = session.get(RoleGrantRow, (pair.user.id, pair.client.id))
            previous = grant.role if grant is not None else None
            if previous == new_role:
                raise BadInput(
                    f"{address} already has the role {new_role} on client '{pair.client.key}'"
                )
            if grant is None:
                grant = RoleGrantRow(user_id=pair.user.id, client_id=pair.client.id)
                session.add(grant)
            grant.role, grant.granted_by, grant.granted_at = new_role, name, now
            uow.flush()
            append_event(
                session,
                occurred_at=now,
                actor=name,
                type="role_granted",
                client_id=pair.client.id,
                payload={
                    "user": address,
                    "client": pair.client.key,
                    "role": new_role.value,
                    "replaces": previous,
                },
            )
            uow.commit()
            return GrantView(
                email=address,
                client=pair.client.key,
                role=new_role.value,
                previous=previous,
                actor=name,
                at=now,
            )

    return retry_on_conflict(attempt)


def revoke_role(app: App, *, email: str, client_key: str, actor: Acting) -> GrantView:
    """Take away the role a user holds on a client."""
    address = normalize_email(email)
    now = app.clock.now()
    name = actor_name(actor)

    def attempt(pin: VersionPin) -> GrantView:
        with app.uow() as uow:
            session = uow.session
            pair = _pair(session, actor, address, client_key)
            grant = session.get(RoleGrantRow, (pair.user.id, pair.client.id))
            if grant is None:
                raise BadInput(f"{address} has no role on client '{pair.client.key}'")
            previous = grant.role
            session.delete(grant)
            uow.flush()
            append_event(
                session,
                occurred_at=now,
                actor=name,
                type="role_revoked",
                client_id=pair.client.id,
                payload={"user": address, "client": pair.client.key, "role": previous},
            )
            uow.commit()
            return GrantView(
                email=address,
                client=pair.client.key,
                role=None,
                previous=previous,
                actor=name,
                at=now,
            )

    return retry_on_conflict(attempt)


@dataclass(frozen=True)
class _Pair:
    user: UserRow
    client: ClientRow


def _pair(session: Session, actor: Acting, email: str, client_key: str) -> _Pair:
    """The user and the client a grant is about, checked for the one acting."""
    if isinstance(actor, Principal):
        # The client first: a principal who may not manage it learns nothing about the user.
        client = find_visible_client(session, actor, client_key, Action.MANAGE_USERS)
        user = find_user(session, email, organization_id=actor.organization_id)
        if user.id == actor.user_id:
            raise PermissionDenied(
                f"{email} cannot change their own role on client '{client_key}'; ask another admin"
            )
        return _Pair(user, client)
    client = find_client(session, client_key)
    user = find_user(session, email)
    if user.organization_id != client.organization_id:
        theirs = session.get_one(OrganizationRow, user.organization_id).key
        owner = session.get_one(OrganizationRow, client.organization_id).key
        raise BadInput(
            f"{email} belongs to organization '{theirs}', client '{client_key}' to '{owner}': "
            "a role is granted only on clients of the user's own organization"
        )
    return _Pair(user, client)
