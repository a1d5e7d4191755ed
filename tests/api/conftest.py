"""Fixtures for API tests: two organizations with users of every role, a served API, clients.

Organization `nakano` owns clients `acme` and `beta`; `kita` owns `gamma`. At `acme`, nakano
has one user per role (`<role>@nakano.example.jp`); `kita` has an admin at `gamma`. Each
client has a project `isms` at the first stage.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest

from isms_flow.accounts import Role
from isms_flow.bootstrap import App
from isms_flow.services import accounts, clients, projects
from tests.api.server import serving

ROLES = [role.value for role in Role]
KITA_ADMIN = "admin@kita.example.jp"


def email_of(role: str) -> str:
    """The nakano user holding `role` at acme."""
    return f"{role}@nakano.example.jp"


@dataclass(frozen=True)
class World:
    """The served API and a token per user."""

    url: str
    tokens: dict[str, str]
    """e-mail → a valid token."""

    def client(self, email: str | None = None) -> httpx.Client:
        """An HTTP client sending `email`'s token (none if email is None)."""
        headers = {"Authorization": f"Bearer {self.tokens[email]}"} if email else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=30)


def populate(app: App) -> dict[str, str]:
    """Create the organizations, clients, projects, users and grants; return their tokens."""
    accounts.add_organization(app, key="nakano", name="Nakano Consulting", actor="root")
    accounts.add_organization(app, key="kita", name="Kita Security", actor="root")
    for client, org in (("acme", "nakano"), ("beta", "nakano"), ("gamma", "kita")):
        clients.add_client(app, key=client, name=client.title(), actor="root", organization=org)
        projects.create_project(app, client_key=client, key="isms", title="ISMS", actor="root")
    grants = [(email_of(role), "nakano", "acme", role) for role in ROLES]
    grants.append((KITA_ADMIN, "kita", "gamma", "admin"))
    tokens: dict[str, str] = {}
    for email, org, client, role in grants:
        accounts.add_user(
            app, email=email, organization=org, name=email.split("@")[0], actor="root"
        )
        accounts.grant_role(app, email=email, client_key=client, role=role, actor="root")
        tokens[email] = accounts.create_token(app, email=email, actor="root").token
    return tokens


@pytest.fixture
def world(app: App) -> Iterator[World]:
    """The populated App served on loopback."""
    tokens = populate(app)
    with serving(app) as url:
        yield World(url=url, tokens=tokens)


@pytest.fixture
def admin(world: World) -> Iterator[httpx.Client]:
    """An HTTP client acting as acme's admin."""
    with world.client(email_of("admin")) as http:
        yield http
