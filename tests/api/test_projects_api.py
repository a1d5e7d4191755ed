"""Projects over HTTP: reading, ETags, If-Match on a trigger, problem+json errors."""

from __future__ import annotations

import httpx

from tests.api.conftest import World, email_of

PROJECT = "/clients/acme/projects/isms"


def test_status_carries_an_etag_and_blockers(admin: httpx.Client) -> None:
    response = admin.get(f"{PROJECT}/status")
    assert response.status_code == 200
    assert response.headers["ETag"] == '"v1"'
    body = response.json()
    assert body["project"]["ref"] == "acme/isms"
    advance = next(t for t in body["triggers"] if t["trigger"] == "advance")
    assert advance["open"] is False and advance["blockers"]


def test_a_trigger_without_if_match_is_refused_with_428(admin: httpx.Client) -> None:
    response = admin.post(f"{PROJECT}/triggers/advance")
    assert response.status_code == 428
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["type"] == "/problems/if-match-required"


def test_a_blocked_trigger_lists_every_blocker_and_changes_nothing(admin: httpx.Client) -> None:
    response = admin.post(f"{PROJECT}/triggers/advance", headers={"If-Match": '"v1"'})
    assert response.status_code == 409
    problem = response.json()
    assert problem["type"] == "/problems/guard-blocked"
    assert problem["blockers"] and problem["stage"] == "scoping"
    assert admin.get(PROJECT).headers["ETag"] == '"v1"'


def test_a_stale_if_match_is_refused_with_412(admin: httpx.Client) -> None:
    scope = admin.put(f"{PROJECT}/scope", json={"whole": True}, headers={"If-Match": '"v1"'})
    assert scope.status_code == 200
    assert scope.headers["ETag"] == '"v2"'
    stale = admin.put(f"{PROJECT}/scope", json={"units": ["HQ"]}, headers={"If-Match": '"v1"'})
    assert stale.status_code == 412
    assert stale.json()["current_etag"] == '"v2"'
    assert admin.get(PROJECT).json()["scope"] == scope.json()["scope"]


def test_a_foreign_project_is_not_found_like_a_missing_one(world: World) -> None:
    with world.client(email_of("admin")) as http:
        foreign = http.get("/clients/gamma/projects/isms")
        missing = http.get("/clients/nowhere/projects/isms")
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json()["detail"].replace("gamma", "X") == missing.json()["detail"].replace(
        "nowhere", "X"
    )


def test_without_a_token_every_call_is_401(world: World) -> None:
    with world.client() as http:
        response = http.get(PROJECT)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["request_id"] == response.headers["X-Request-ID"]
