"""Roles, users and own API tokens over HTTP: the matrix, tenancy, the actor in the history."""

from __future__ import annotations

import httpx

from isms_flow.bootstrap import App
from isms_flow.services import accounts
from tests.api.conftest import KITA_ADMIN, ROLES, World, email_of
from tests.integration.support import event_count, stored_events

ADMIN = email_of("admin")
NEWCOMER = "newcomer@nakano.example.jp"
GRANTS = "/clients/acme/grants"


def _newcomer(app: App) -> str:
    """A nakano user holding no role yet; returns their token."""
    accounts.add_user(app, email=NEWCOMER, organization="nakano", name="Newcomer", actor="root")
    return accounts.create_token(app, email=NEWCOMER, actor="root").token


def _as(world: World, token: str) -> httpx.Client:
    return httpx.Client(base_url=world.url, headers={"Authorization": f"Bearer {token}"})


def test_admin_grants_a_role_and_the_grantee_then_sees_the_client(
    app: App, world: World, admin: httpx.Client
) -> None:
    token = _newcomer(app)
    with _as(world, token) as newcomer:
        assert newcomer.get("/clients/acme").status_code == 404
        granted = admin.put(f"{GRANTS}/{NEWCOMER}", json={"role": "viewer"})
        assert granted.status_code == 200
        assert granted.json()["role"] == "viewer" and granted.json()["previous"] is None
        assert newcomer.get("/clients/acme").status_code == 200
        assert newcomer.get("/clients/acme/projects/isms").status_code == 200
    event = stored_events(app)[-1]
    assert (event.type, event.actor) == ("role_granted", ADMIN)
    assert event.payload["user"] == NEWCOMER


def test_grants_list_every_role_on_the_client(admin: httpx.Client) -> None:
    response = admin.get(GRANTS)
    assert response.status_code == 200
    held = {item["email"]: item["role"] for item in response.json()["items"]}
    assert held == {email_of(role): role for role in ROLES}
    assert KITA_ADMIN not in held


def test_revoking_a_role_hides_the_client_from_that_user(app: App, world: World) -> None:
    with world.client(ADMIN) as admin, world.client(email_of("auditor")) as auditor:
        assert auditor.get("/clients/acme").status_code == 200
        revoked = admin.delete(f"{GRANTS}/{email_of('auditor')}")
        assert revoked.status_code == 200
        assert revoked.json()["role"] is None and revoked.json()["previous"] == "auditor"
        assert auditor.get("/clients/acme").status_code == 404
    event = stored_events(app)[-1]
    assert (event.type, event.actor) == ("role_revoked", ADMIN)


def test_a_role_without_manage_users_gets_403_and_changes_nothing(app: App, world: World) -> None:
    before = event_count(app)
    with world.client(email_of("consultant")) as consultant:
        assert consultant.get(GRANTS).status_code == 403
        refused = consultant.put(f"{GRANTS}/{email_of('viewer')}", json={"role": "admin"})
        assert refused.status_code == 403
        assert refused.json()["type"] == "/problems/forbidden"
        assert consultant.delete(f"{GRANTS}/{email_of('viewer')}").status_code == 403
    assert event_count(app) == before


def test_another_organizations_admin_gets_404_like_a_missing_client(world: World) -> None:
    with world.client(KITA_ADMIN) as kita:
        foreign = kita.get(GRANTS)
        missing = kita.get("/clients/nowhere/grants")
        put = kita.put(f"{GRANTS}/{email_of('viewer')}", json={"role": "admin"})
    assert foreign.status_code == missing.status_code == put.status_code == 404
    assert foreign.json()["detail"].replace("acme", "X") == missing.json()["detail"].replace(
        "nowhere", "X"
    )


def test_granting_to_a_user_of_another_organization_is_404_like_a_missing_one(
    app: App, admin: httpx.Client
) -> None:
    before = event_count(app)
    foreign = admin.put(f"{GRANTS}/{KITA_ADMIN}", json={"role": "viewer"})
    missing = admin.put(f"{GRANTS}/nobody@nakano.example.jp", json={"role": "viewer"})
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json()["detail"].replace(KITA_ADMIN, "X") == missing.json()["detail"].replace(
        "nobody@nakano.example.jp", "X"
    )
    assert event_count(app) == before


def test_bad_grants_are_refused_with_one_line_and_change_nothing(
    app: App, admin: httpx.Client
) -> None:
    before = event_count(app)
    unknown_role = admin.put(f"{GRANTS}/{email_of('viewer')}", json={"role": "owner"})
    assert unknown_role.status_code == 400
    assert "owner" in unknown_role.json()["detail"]
    own = admin.put(f"{GRANTS}/{ADMIN}", json={"role": "viewer"})
    assert own.status_code == 403 and "own role" in own.json()["detail"]
    assert admin.delete(f"{GRANTS}/{email_of('viewer')}x").status_code == 404
    assert event_count(app) == before


def test_users_shows_only_the_admins_organization_and_clients(world: World) -> None:
    with world.client(ADMIN) as admin:
        users = admin.get("/users")
    assert users.status_code == 200
    emails = [user["email"] for user in users.json()["items"]]
    assert emails == sorted(email_of(role) for role in ROLES)
    assert all(
        user["roles"] == [{"client": "acme", "role": user["email"].split("@")[0]}]
        for user in users.json()["items"]
    )
    with world.client(KITA_ADMIN) as kita:
        assert [u["email"] for u in kita.get("/users").json()["items"]] == [KITA_ADMIN]
    with world.client(email_of("consultant")) as consultant:
        assert consultant.get("/users").status_code == 403


def test_users_pages_with_a_cursor(admin: httpx.Client) -> None:
    first = admin.get("/users", params={"limit": 2})
    assert first.status_code == 200 and len(first.json()["items"]) == 2
    assert 'rel="next"' in first.headers["Link"]
    rest = admin.get("/users", params={"limit": 50, "cursor": first.json()["next_cursor"]})
    emails = [u["email"] for u in first.json()["items"] + rest.json()["items"]]
    assert emails == sorted(email_of(role) for role in ROLES)


def test_own_token_create_list_revoke_then_the_revoked_token_gets_401(
    app: App, world: World, admin: httpx.Client
) -> None:
    created = admin.post("/tokens", json={"days": 30, "name": "ci"})
    assert created.status_code == 201
    new = created.json()
    assert new["token"].startswith("isf_") and new["name"] == "ci"
    with _as(world, new["token"]) as ci:
        assert ci.get("/me").json()["email"] == ADMIN
        listed = admin.get("/tokens").json()
        assert listed[0]["id"] == new["id"]
        assert all("token" not in t for t in listed)
        assert new["token"] not in admin.get("/tokens").text
        revoked = admin.delete(f"/tokens/{new['id']}")
        assert revoked.status_code == 200 and revoked.json()["status"] == "revoked"
        assert ci.get("/me").status_code == 401
    types = [(e.type, e.actor) for e in stored_events(app)[-2:]]
    assert types == [("token_created", ADMIN), ("token_revoked", ADMIN)]
    assert admin.delete(f"/tokens/{new['id']}").status_code == 400


def test_someone_elses_token_id_is_404_like_a_missing_one(app: App, world: World) -> None:
    with world.client(email_of("viewer")) as viewer:
        theirs = viewer.get("/tokens").json()[0]["id"]
    before = event_count(app)
    with world.client(ADMIN) as admin:
        foreign = admin.delete(f"/tokens/{theirs}")
        missing = admin.delete("/tokens/999999")
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json()["detail"].replace(str(theirs), "X") == missing.json()["detail"].replace(
        "999999", "X"
    )
    assert event_count(app) == before
    with world.client(email_of("viewer")) as viewer:
        assert viewer.get("/me").status_code == 200


def test_a_token_lifetime_outside_1_to_365_days_is_refused(admin: httpx.Client) -> None:
    assert admin.post("/tokens", json={"days": 0}).status_code == 422
    assert admin.post("/tokens", json={"days": 366}).status_code == 422
    assert len(admin.get("/tokens").json()) == 1
