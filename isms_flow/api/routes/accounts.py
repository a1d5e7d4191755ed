"""Roles on a client, the users an admin may see, and the caller's own API tokens.

Grants and tokens take no `If-Match`: they are not part of a project and carry no version. A
grant is one row per user × client and a request states its whole outcome (PUT: this role from
now on; DELETE: none), so it does not depend on anything the caller read; two admins racing
are serialized by the service's retry and both changes stand in the history. The grant rules
(matrix, own organization only, nobody changes their own role) are the service's.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, status
from pydantic import BaseModel, Field

from isms_flow.accounts import Action
from isms_flow.accounts.tokens import DEFAULT_EXPIRY_DAYS, MAX_EXPIRY_DAYS
from isms_flow.api.context import PageRequestDep
from isms_flow.api.deps import AppDep, PrincipalDep, client_for, requires
from isms_flow.api.pagination import Page
from isms_flow.services import accounts
from isms_flow.services.accounts import ClientAccess, ClientGrantView, ColleagueView
from isms_flow.services.accounts.views import GrantView, NewTokenView, TokenView

router = APIRouter(tags=["accounts"])

ManageUsers = Annotated[ClientAccess, Depends(client_for(Action.MANAGE_USERS))]
Email = Annotated[str, Path(max_length=254, description="The user's e-mail address")]
TokenId = Annotated[int, Path(ge=1, le=2**62, description="As `GET /tokens` shows")]


class RoleChange(BaseModel):
    """The role the user holds on the client from now on."""

    role: str = Field(description="admin, consultant, project_manager, auditor or viewer")


class NewToken(BaseModel):
    """An API token for the caller."""

    days: int = Field(default=DEFAULT_EXPIRY_DAYS, ge=1, le=MAX_EXPIRY_DAYS)
    name: str = Field(default="", max_length=100, description="A label, e.g. `ci`")


@router.get("/clients/{client}/grants", openapi_extra=requires(Action.MANAGE_USERS))
def list_grants(app: AppDep, access: ManageUsers, paging: PageRequestDep) -> Page[ClientGrantView]:
    """Who holds which role on the client, by e-mail address."""
    views = accounts.list_grants(app, client_id=access.id)
    return paging.page(views, key=lambda g: (g.email,))


@router.put("/clients/{client}/grants/{email}", openapi_extra=requires(Action.MANAGE_USERS))
def grant_role(
    app: AppDep, principal: PrincipalDep, access: ManageUsers, email: Email, body: RoleChange
) -> GrantView:
    """Give a user of your organization a role on the client, replacing the one they held."""
    return accounts.grant_role(
        app, email=email, client_key=access.key, role=body.role, actor=principal
    )


@router.delete("/clients/{client}/grants/{email}", openapi_extra=requires(Action.MANAGE_USERS))
def revoke_role(
    app: AppDep, principal: PrincipalDep, access: ManageUsers, email: Email
) -> GrantView:
    """Take away the role a user holds on the client."""
    return accounts.revoke_role(app, email=email, client_key=access.key, actor=principal)


@router.get("/users", openapi_extra=requires("admin_of_any_client"))
def list_users(app: AppDep, principal: PrincipalDep, paging: PageRequestDep) -> Page[ColleagueView]:
    """Users of your organization holding a role on a client you administer, with those roles."""
    views = accounts.list_users_as(app, principal)
    return paging.page(views, key=lambda u: (u.email,))


@router.get("/tokens", openapi_extra=requires("authenticated"))
def list_tokens(app: AppDep, principal: PrincipalDep) -> list[TokenView]:
    """Your API tokens, newest first: status and fingerprint, never the token itself."""
    return accounts.list_tokens(app, email=principal.email, principal=principal)


@router.post(
    "/tokens", status_code=status.HTTP_201_CREATED, openapi_extra=requires("authenticated")
)
def create_token(app: AppDep, principal: PrincipalDep, body: NewToken) -> NewTokenView:
    """A new API token for you; `token` is shown in this response only and stored nowhere."""
    return accounts.create_token(
        app, email=principal.email, actor=principal, expires_in_days=body.days, name=body.name
    )


@router.delete("/tokens/{token_id}", openapi_extra=requires("authenticated"))
def revoke_token(app: AppDep, principal: PrincipalDep, token_id: TokenId) -> TokenView:
    """Revoke one of your tokens; from now on it is refused like any invalid one."""
    return accounts.revoke_token(app, token_id=token_id, actor=principal)
