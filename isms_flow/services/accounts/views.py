"""Result models of the account services: what adapters print as tables or `--json`.

No view ever carries a token's hash; `NewTokenView.token` is the only place a token's text
appears, once, in the result of creating it.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

__all__ = [
    "GrantView",
    "NewTokenView",
    "OrganizationView",
    "RoleView",
    "TokenView",
    "UserView",
]


class _View(BaseModel):
    model_config = ConfigDict(frozen=True)


class OrganizationView(_View):
    """An organization with the keys of its clients and how many users it has."""

    key: str
    name: str
    clients: list[str]
    users: int
    created_by: str
    created_at: datetime


class RoleView(_View):
    """One role of a user on one client."""

    client: str
    role: str


class UserView(_View):
    """A user with their roles (by client key) and how many of their tokens work now."""

    email: str
    name: str
    organization: str
    roles: list[RoleView]
    active_tokens: int
    created_by: str
    created_at: datetime


class GrantView(_View):
    """A role just granted or revoked; `previous` is the role it replaced or removed."""

    email: str
    client: str
    role: str | None
    """The role now held; None after a revocation."""
    previous: str | None
    actor: str
    at: datetime


class TokenView(_View):
    """An API token as listed: never its text or hash, only its fingerprint."""

    id: int
    email: str
    name: str
    fingerprint: str
    status: str
    """active, expired or revoked, as of the moment of listing."""
    created_by: str
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None
    revoked_by: str | None
    revoked_at: datetime | None


class NewTokenView(TokenView):
    """A token just created: `token` is its text, shown this once and stored nowhere."""

    token: str
