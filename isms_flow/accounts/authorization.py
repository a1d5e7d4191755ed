"""The authorization decision: a pure function an adapter calls once per request.

Tenancy comes first: a principal with *no* role on a client is told the object does not exist
(`NotFound`, HTTP 404), exactly like a missing one, so nobody can probe which clients, projects
or documents exist elsewhere. Only a principal who holds a role there may learn that the role
is not enough (`PermissionDenied`, HTTP 403).
"""

from __future__ import annotations

from enum import StrEnum

from isms_flow.accounts.principal import Principal
from isms_flow.accounts.roles import PERMISSIONS, Action, Role, allows
from isms_flow.errors import NotFound, PermissionDenied

__all__ = ["Decision", "authorize", "hidden", "require", "require_admin_somewhere"]


class Decision(StrEnum):
    """The outcome of `authorize`."""

    ALLOW = "allow"
    DENY = "deny"
    """The principal has a role on the client, but not one that allows the action."""
    HIDE = "hide"
    """The principal has no role on the client: answer as if it did not exist."""


def authorize(principal: Principal, client_id: int, action: Action) -> Decision:
    """Decide whether `principal` may do `action` on data of the client `client_id`."""
    role = principal.role_on(client_id)
    if role is None:
        return Decision.HIDE
    return Decision.ALLOW if allows(role, action) else Decision.DENY


def hidden(what: str, key: object) -> NotFound:
    """The one "not found" a principal gets, for a missing object and a foreign one alike.

    Adapters looking objects up for a principal raise this for their own "missing" case too,
    so both cases are the same error with the same message.
    """
    return NotFound(what, key)


def require(
    principal: Principal, client_id: int, action: Action, *, what: str, key: object
) -> None:
    """Raise unless `principal` may do `action` on the object `what key` of client `client_id`.

    NotFound (see `hidden`) without a role on the client; PermissionDenied with a role that
    does not allow the action.
    """
    if authorize(principal, client_id, action) is Decision.ALLOW:
        return
    role = principal.role_on(client_id)
    if role is None:
        raise hidden(what, key)
    allowed = ", ".join(sorted(a.value for a in PERMISSIONS[role])) or "nothing"
    raise PermissionDenied(
        f"{what} {key}: the role '{role}' does not allow '{action}' (it allows: {allowed})"
    )


def require_admin_somewhere(principal: Principal) -> None:
    """Raise PermissionDenied unless `principal` administers at least one client.

    Organization-wide acts (adding a client) have no client to hold a role on yet; the admins
    of the organization's clients are the ones trusted with them.
    """
    if Role.ADMIN not in principal.roles.values():
        raise PermissionDenied(
            "this needs the admin role on at least one client of your organization"
        )
