"""Who is asking: a user resolved from an API token, with their roles per client."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from isms_flow.accounts.roles import Role

__all__ = ["Principal"]


@dataclass(frozen=True)
class Principal:
    """An authenticated user, as resolved for one request.

    `roles` holds only clients of the user's own organization; a client missing from it does
    not exist as far as this principal is concerned.
    """

    user_id: int
    email: str
    name: str
    organization_id: int
    roles: Mapping[int, Role] = field(default_factory=dict, hash=False)
    """client id → the role held there."""
    token_id: int | None = None
    """The API token the principal presented, if any."""

    def __post_init__(self) -> None:
        # Read-only: a decision made on this principal must not change under it.
        object.__setattr__(self, "roles", MappingProxyType(dict(self.roles)))

    @property
    def actor(self) -> str:
        """The name the history records for this principal's changes."""
        return self.email

    @property
    def client_ids(self) -> frozenset[int]:
        """Every client the principal holds a role on."""
        return frozenset(self.roles)

    def role_on(self, client_id: int) -> Role | None:
        """The role held on `client_id`, or None."""
        return self.roles.get(client_id)
