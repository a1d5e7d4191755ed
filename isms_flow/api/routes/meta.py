"""Routes about the service itself: health, the caller, the problem types."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from isms_flow.api.deps import AppDep, PrincipalDep, requires
from isms_flow.api.problems import PROBLEM_TYPES
from isms_flow.errors import NotFound
from isms_flow.services import accounts

router = APIRouter(tags=["service"])


class Health(BaseModel):
    """The service answers and its database is reachable."""

    status: str


class RoleOnClient(BaseModel):
    """A role the caller holds."""

    client: str
    role: str


class Me(BaseModel):
    """Who the token belongs to and what they may see."""

    email: str
    name: str
    roles: list[RoleOnClient]


class ProblemType(BaseModel):
    """What a `type` of an error body means."""

    type: str
    title: str


@router.get("/health", openapi_extra=requires("public"))
def health(app: AppDep) -> Health:
    """Liveness and database reachability; needs no token."""
    accounts.ping(app)
    return Health(status="ok")


@router.get("/me", openapi_extra=requires("authenticated"))
def me(app: AppDep, principal: PrincipalDep) -> Me:
    """The caller and their role on each client they may see."""
    roles = accounts.roles_of(app, principal)
    return Me(
        email=principal.email,
        name=principal.name,
        roles=[RoleOnClient(client=key, role=role) for key, role in roles],
    )


@router.get("/problems/{slug}", openapi_extra=requires("public"))
def problem_type(slug: str) -> ProblemType:
    """The meaning of an error type this API returns."""
    if slug not in PROBLEM_TYPES:
        raise NotFound("problem type", slug)
    return ProblemType(type=f"/problems/{slug}", title=PROBLEM_TYPES[slug])
