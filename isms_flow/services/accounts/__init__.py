"""Use cases for accounts: organizations, users, roles per client, API tokens, authentication.

The rules themselves (roles, the permission matrix, token format) are pure and live in
`isms_flow.accounts`; these services store, load and record them as events.
"""

from __future__ import annotations

from isms_flow.services.accounts.access import (
    ClientAccess,
    ProjectAccess,
    client_access,
    ping,
    project_access,
    roles_of,
)
from isms_flow.services.accounts.acting import Acting, actor_name
from isms_flow.services.accounts.authentication import authenticate
from isms_flow.services.accounts.clients import create_client_as
from isms_flow.services.accounts.directory import (
    ClientGrantView,
    ColleagueView,
    list_grants,
    list_users_as,
)
from isms_flow.services.accounts.grants import grant_role, revoke_role
from isms_flow.services.accounts.organizations import add_organization, list_organizations
from isms_flow.services.accounts.principals import user_principal
from isms_flow.services.accounts.tenancy import (
    find_visible_client,
    find_visible_project,
    visible_client_ids,
    visible_clients,
)
from isms_flow.services.accounts.tokens import create_token, list_tokens, revoke_token
from isms_flow.services.accounts.users import add_user, list_users

__all__ = [
    "Acting",
    "ClientAccess",
    "ClientGrantView",
    "ColleagueView",
    "ProjectAccess",
    "actor_name",
    "add_organization",
    "add_user",
    "authenticate",
    "client_access",
    "create_client_as",
    "create_token",
    "find_visible_client",
    "find_visible_project",
    "grant_role",
    "list_grants",
    "list_organizations",
    "list_tokens",
    "list_users",
    "list_users_as",
    "ping",
    "project_access",
    "revoke_role",
    "revoke_token",
    "roles_of",
    "user_principal",
    "visible_client_ids",
    "visible_clients",
]
