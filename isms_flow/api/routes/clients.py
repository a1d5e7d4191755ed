"""Clients: the organizations being certified, as far as the caller may see them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, status
from pydantic import BaseModel, Field

from isms_flow.accounts import Action
from isms_flow.api.context import PageRequestDep
from isms_flow.api.deps import (
    AppDep,
    OrganizationAdminDep,
    PrincipalDep,
    client_for,
    requires,
)
from isms_flow.api.pagination import Page
from isms_flow.services import accounts, clients
from isms_flow.services.accounts import ClientAccess
from isms_flow.services.views import ClientView

router = APIRouter(prefix="/clients", tags=["clients"])


class NewClient(BaseModel):
    """A client to add to the caller's organization."""

    key: str = Field(description="Short lowercase key used in references, e.g. `acme`")
    name: str
    timezone: str | None = Field(default=None, description="IANA zone; the installation's if unset")
    language: str | None = Field(default=None, description="en or ja; the installation's if unset")


@router.get("", openapi_extra=requires("authenticated"))
def list_clients(app: AppDep, principal: PrincipalDep, paging: PageRequestDep) -> Page[ClientView]:
    """Every client the caller holds a role on, by key."""
    views = clients.list_clients(app, client_ids=principal.client_ids)
    return paging.page(views, key=lambda c: (c.key,))


@router.post("", status_code=status.HTTP_201_CREATED, openapi_extra=requires("admin_of_any_client"))
def create_client(app: AppDep, principal: OrganizationAdminDep, body: NewClient) -> ClientView:
    """Add a client to the caller's organization; the caller becomes its admin."""
    return accounts.create_client_as(
        app,
        principal,
        key=body.key,
        name=body.name,
        timezone=body.timezone,
        language=body.language,
    )


@router.get("/{client}", openapi_extra=requires(Action.READ_PROJECT))
def get_client(
    app: AppDep,
    principal: PrincipalDep,
    access: Annotated[ClientAccess, Depends(client_for(Action.READ_PROJECT))],
) -> ClientView:
    """One client with its number of projects."""
    return clients.list_clients(app, client_ids={access.id})[0]
