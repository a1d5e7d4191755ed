"""A demo anyone can call over HTTP: the demo data once, a demo admin, a fresh API token.

`isms-flow serve --seed-demo` (and so `make run`) calls `seed_demo` on every start. An empty
database gets the demo of `services.demo` (client `demo-corp`, a project walked to certified);
a database that already has clients gets no demo data. Whenever the demo client exists, its
organization gets a demo user holding the admin role on it, and a new token: a token's text is
shown only once, so every start makes a new one. Earlier ones keep working until they expire
or are revoked (`isms-flow token revoke`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from isms_flow.bootstrap import App
from isms_flow.errors import BadInput
from isms_flow.i18n import Language
from isms_flow.services import accounts
from isms_flow.services.demo import DEMO_CLIENT, DemoStep, run_demo
from isms_flow.store.models import ClientRow
from isms_flow.store.tables.accounts import (
    DEFAULT_ORGANIZATION,
    OrganizationRow,
    RoleGrantRow,
    UserRow,
)

__all__ = ["DEMO_ADMIN", "DemoAccess", "seed_demo"]

DEMO_ADMIN = "demo-admin@demo-corp.example"
"""The demo user (an address under a reserved domain: it never reaches anyone)."""

_ADMIN_ROLE = "admin"
_TOKEN_NAME = "demo (isms-flow serve --seed-demo)"
_TOKEN_DAYS = 30


@dataclass(frozen=True)
class DemoAccess:
    """Who the new demo token acts as, and the token (its only appearance)."""

    email: str
    organization: str
    client: str
    role: str
    token: str
    expires_at: datetime
    seeded: bool
    """True when this call created the demo data."""


@dataclass(frozen=True)
class _Found:
    organization: str
    user_organization: str | None  # None: the demo user does not exist yet
    role: str | None  # the demo user's role on the demo client


def seed_demo(
    app: App,
    *,
    actor: str,
    lang: Language = "en",
    on_step: Callable[[DemoStep], None] | None = None,
) -> DemoAccess | None:
    """Fill an empty database with the demo, then give the demo admin a new token; None when
    the database holds other clients but not the demo one (nothing is changed then)."""
    seeded = not _has_clients(app)
    if seeded:
        # The demo client will belong to the default organization: refuse before creating it.
        elsewhere = _organization_of_demo_user(app)
        if elsewhere is not None and elsewhere != DEFAULT_ORGANIZATION:
            raise _belongs_elsewhere(elsewhere, DEFAULT_ORGANIZATION)
        for step in run_demo(app, lang=lang):
            if on_step is not None:
                on_step(step)
    found = _find(app)
    if found is None:
        return None
    if found.user_organization is None:
        accounts.add_user(
            app, email=DEMO_ADMIN, organization=found.organization, name="Demo Admin", actor=actor
        )
    elif found.user_organization != found.organization:
        raise _belongs_elsewhere(found.user_organization, found.organization)
    if found.role != _ADMIN_ROLE:
        accounts.grant_role(
            app, email=DEMO_ADMIN, client_key=DEMO_CLIENT, role=_ADMIN_ROLE, actor=actor
        )
    new = accounts.create_token(
        app, email=DEMO_ADMIN, actor=actor, expires_in_days=_TOKEN_DAYS, name=_TOKEN_NAME
    )
    return DemoAccess(
        email=DEMO_ADMIN,
        organization=found.organization,
        client=DEMO_CLIENT,
        role=_ADMIN_ROLE,
        token=new.token,
        expires_at=new.expires_at,
        seeded=seeded,
    )


def _belongs_elsewhere(user_organization: str, organization: str) -> BadInput:
    return BadInput(
        f"{DEMO_ADMIN} belongs to organization '{user_organization}', the demo client "
        f"'{DEMO_CLIENT}' to '{organization}'; no demo token can be made for it"
    )


def _organization_of_demo_user(app: App) -> str | None:
    with app.uow() as uow:
        return uow.session.scalars(
            select(OrganizationRow.key)
            .join(UserRow, UserRow.organization_id == OrganizationRow.id)
            .where(UserRow.email == DEMO_ADMIN)
        ).first()


def _has_clients(app: App) -> bool:
    with app.uow() as uow:
        return uow.session.scalars(select(ClientRow.id).limit(1)).first() is not None


def _find(app: App) -> _Found | None:
    """The demo client's organization and what the demo user already has, or None."""
    with app.uow() as uow:
        session = uow.session
        client = session.scalars(select(ClientRow).where(ClientRow.key == DEMO_CLIENT)).first()
        if client is None:
            return None
        organization = session.get_one(OrganizationRow, client.organization_id).key
        user = session.scalars(select(UserRow).where(UserRow.email == DEMO_ADMIN)).first()
        if user is None:
            return _Found(organization, None, None)
        user_organization = session.get_one(OrganizationRow, user.organization_id).key
        grant = session.get(RoleGrantRow, (user.id, client.id))
        return _Found(organization, user_organization, grant.role if grant is not None else None)
