"""The demo behind `serve --seed-demo`: demo data once, a demo admin, a new token every time."""

from __future__ import annotations

import pytest

from isms_flow.bootstrap import App
from isms_flow.errors import BadInput
from isms_flow.services import accounts, clients
from isms_flow.services.demo_access import DEMO_ADMIN, seed_demo


def test_an_empty_database_gets_the_demo_and_an_admin_token_that_authenticates(app: App) -> None:
    access = seed_demo(app, actor="operator")
    assert access is not None and access.seeded
    principal = accounts.authenticate(app, access.token, app.clock.now())
    assert principal.email == DEMO_ADMIN
    assert accounts.roles_of(app, principal) == [("demo-corp", "admin")]
    assert [(c.key, c.projects) for c in clients.list_clients(app)] == [("demo-corp", 1)]


def test_later_calls_keep_the_data_and_add_a_new_token_beside_the_old_one(app: App) -> None:
    first = seed_demo(app, actor="operator")
    second = seed_demo(app, actor="operator")
    assert first is not None and second is not None
    assert not second.seeded and second.token != first.token
    for token in (first.token, second.token):
        assert accounts.authenticate(app, token, app.clock.now()).email == DEMO_ADMIN
    assert [(c.key, c.projects) for c in clients.list_clients(app)] == [("demo-corp", 1)]
    assert len(accounts.list_tokens(app, email=DEMO_ADMIN)) == 2


def test_a_database_with_other_clients_gets_no_demo_and_no_token(app: App) -> None:
    clients.add_client(app, key="acme", name="ACME Corp.", actor="operator")
    assert seed_demo(app, actor="operator") is None
    assert [c.key for c in clients.list_clients(app)] == ["acme"]
    assert accounts.list_users(app) == []


def test_a_demo_user_of_another_organization_is_refused_by_name(app: App) -> None:
    accounts.add_organization(app, key="elsewhere", name="Elsewhere", actor="operator")
    accounts.add_user(app, email=DEMO_ADMIN, organization="elsewhere", name="X", actor="operator")
    with pytest.raises(BadInput, match="belongs to organization 'elsewhere'"):
        seed_demo(app, actor="operator")
    assert clients.list_clients(app) == []  # refused before the demo was created
