"""Every account change is one event in the hash-chained history, by the acting user."""

from __future__ import annotations

import pytest

from isms_flow.bootstrap import App
from isms_flow.errors import IsmsFlowError
from isms_flow.services import accounts, clients, history
from isms_flow.services.event_summaries import summarize
from tests.integration.accounts_support import ADMIN, VIEWER, make_tenants, principal_of
from tests.integration.support import stored_events


def test_each_account_change_is_one_event_with_its_actor_and_summary(app: App) -> None:
    start = len(stored_events(app))
    accounts.add_organization(app, key="nakano", name="Nakano Consulting", actor="root")
    clients.add_client(app, key="acme", name="ACME", actor="root", organization="nakano")
    accounts.add_user(app, email="Tanaka@Nakano.example.jp", organization="nakano",
                      name="Tanaka  Taro", actor="root")  # fmt: skip
    accounts.grant_role(app, email="tanaka@nakano.example.jp", client_key="acme",
                        role="viewer", actor="root")  # fmt: skip
    accounts.grant_role(app, email="tanaka@nakano.example.jp", client_key="acme",
                        role="consultant", actor="sato")  # fmt: skip
    token = accounts.create_token(app, email="tanaka@nakano.example.jp", actor="root", name="ci")
    accounts.revoke_token(app, token_id=token.id, actor="sato")
    accounts.revoke_role(app, email="tanaka@nakano.example.jp", client_key="acme", actor="root")

    events = stored_events(app)[start:]
    assert [(e.type, e.actor, summarize(e.type, e.payload)) for e in events] == [
        ("organization_added", "root", "organization nakano (Nakano Consulting) added"),
        ("client_added", "root", "client_added: key=acme, language=en, name=ACME, "
         "organization=nakano, timezone=Asia/Tokyo"),
        ("user_added", "root",
         "user tanaka@nakano.example.jp (Tanaka Taro) added to organization nakano"),
        ("role_granted", "root", "tanaka@nakano.example.jp granted viewer on client acme"),
        ("role_granted", "sato",
         "tanaka@nakano.example.jp granted consultant on client acme (was viewer)"),
        ("token_created", "root",
         f"API token #{token.id} ({token.fingerprint}) created for tanaka@nakano.example.jp "
         "'ci', expires 2026-06-30"),
        ("token_revoked", "sato",
         f"API token #{token.id} ({token.fingerprint}) of tanaka@nakano.example.jp revoked"),
        ("role_revoked", "root",
         "tanaka@nakano.example.jp's role consultant on client acme revoked"),
    ]  # fmt: skip
    assert history.verify_history(app).intact


def test_a_principals_changes_are_recorded_under_its_e_mail_address(app: App) -> None:
    make_tenants(app)
    admin = principal_of(app, ADMIN)
    accounts.grant_role(app, email=VIEWER, client_key="acme", role="auditor", actor=admin)
    accounts.create_token(app, email=ADMIN, actor=admin)
    last = stored_events(app)[-2:]
    assert [(e.type, e.actor) for e in last] == [
        ("role_granted", ADMIN),
        ("token_created", ADMIN),
    ]


def test_a_refused_change_records_nothing(app: App) -> None:
    make_tenants(app)
    before = len(stored_events(app))
    for attempt in (
        lambda: accounts.add_organization(app, key="nakano", name="Again", actor="root"),
        lambda: accounts.add_user(app, email=VIEWER, organization="kita", name="V", actor="root"),
        lambda: accounts.grant_role(
            app, email=VIEWER, client_key="acme", role="viewer", actor="root"
        ),
        lambda: accounts.revoke_role(app, email=VIEWER, client_key="beta", actor="root"),
        lambda: accounts.create_token(app, email=VIEWER, actor="root", expires_in_days=400),
    ):
        with pytest.raises(IsmsFlowError):
            attempt()
    assert len(stored_events(app)) == before
