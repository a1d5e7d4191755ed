"""Dependencies every route declares: the App, the caller, the language, access to an object.

A route states the action it performs (`project_for(Action.CHANGE_PROJECT)`); the dependency
resolves the object among the caller's clients only and applies the permission matrix, so a
route body never sees an object its caller may not touch. The action is also written into the
OpenAPI operation (`x-required-action`), which the authorization matrix test reads.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal

import structlog
from fastapi import Depends, Header, Path, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from isms_flow.accounts import Action, Principal, require_admin_somewhere
from isms_flow.bootstrap import App
from isms_flow.errors import AuthenticationFailed
from isms_flow.i18n import Language
from isms_flow.services import accounts
from isms_flow.services.accounts import ClientAccess, ProjectAccess

__all__ = [
    "AppDep",
    "LangDep",
    "OrganizationAdminDep",
    "PrincipalDep",
    "client_for",
    "get_app",
    "project_for",
    "requires",
]

_bearer = HTTPBearer(auto_error=False, description="An API token: `isms-flow token create`")


def get_app(request: Request) -> App:
    """The App the API was created with."""
    app: App = request.app.state.isms_flow
    return app


AppDep = Annotated[App, Depends(get_app)]


def current_principal(
    app: AppDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """The caller, from `Authorization: Bearer <token>`; 401 without a valid token."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise AuthenticationFailed()
    principal = accounts.authenticate(app, credentials.credentials, app.clock.now())
    structlog.contextvars.bind_contextvars(actor=principal.actor)
    return principal


PrincipalDep = Annotated[Principal, Depends(current_principal)]


def organization_admin(principal: PrincipalDep) -> Principal:
    """The caller, if they administer a client of their organization (else 403)."""
    require_admin_somewhere(principal)
    return principal


OrganizationAdminDep = Annotated[Principal, Depends(organization_admin)]


def language(
    lang: Annotated[Literal["en", "ja"] | None, Query(description="Language of labels")] = None,
    accept_language: Annotated[str | None, Header()] = None,
) -> Language:
    """`?lang=` if given, else the first of en/ja in `Accept-Language`, else English."""
    if lang is not None:
        return lang
    for part in (accept_language or "").split(","):
        tag = part.split(";")[0].strip().lower()
        if tag.startswith("ja"):
            return "ja"
        if tag.startswith("en"):
            return "en"
    return "en"


LangDep = Annotated[Language, Depends(language)]


ClientKey = Annotated[str, Path(description="The client's key", examples=["acme"])]
ProjectKey = Annotated[str, Path(description="The project's key", examples=["isms"])]


def requires(action: Action | str) -> dict[str, Any]:
    """OpenAPI extension naming what a route needs (`openapi_extra=requires(...)`)."""
    return {"x-required-action": str(action)}


def project_for(action: Action) -> Callable[..., ProjectAccess]:
    """A dependency resolving `{client}/{project}` of the path for `action`."""

    def resolve(
        app: AppDep, principal: PrincipalDep, client: ClientKey, project: ProjectKey
    ) -> ProjectAccess:
        access = accounts.project_access(app, principal, f"{client}/{project}", action)
        structlog.contextvars.bind_contextvars(client=access.client_key, project=access.ref)
        return access

    return resolve


def client_for(action: Action) -> Callable[..., ClientAccess]:
    """A dependency resolving `{client}` of the path for `action`."""

    def resolve(app: AppDep, principal: PrincipalDep, client: ClientKey) -> ClientAccess:
        access = accounts.client_access(app, principal, client, action)
        structlog.contextvars.bind_contextvars(client=access.key)
        return access

    return resolve
