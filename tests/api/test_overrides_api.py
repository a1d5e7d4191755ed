"""Four-eyes overrides over HTTP: one person asks, a different one approves, under If-Match."""

from __future__ import annotations

import httpx

from tests.api.conftest import World, email_of

PROJECT = "/clients/acme/projects/isms"
OVERRIDES = f"{PROJECT}/overrides"
REASON = {"trigger": "advance", "reason": "Scope approved on paper at the board meeting"}


def test_the_requester_cannot_approve_but_a_second_person_can(world: World) -> None:
    with world.client(email_of("consultant")) as consultant:
        asked = consultant.post(OVERRIDES, json=REASON, headers={"If-Match": '"v1"'})
        assert asked.status_code == 201, asked.text
        override = asked.json()
        assert (override["status"], override["requested_by"]) == ("pending", email_of("consultant"))
        assert override["blockers"]
        etag = asked.headers["ETag"]

        own = consultant.post(f"{OVERRIDES}/{override['id']}/approval", headers={"If-Match": etag})
        assert own.status_code == 403
        assert "four eyes" in own.json()["detail"]
        assert consultant.get(PROJECT).json()["state"] == "scoping"

    with world.client(email_of("admin")) as admin:
        approved = admin.post(f"{OVERRIDES}/{override['id']}/approval", headers={"If-Match": etag})
        assert approved.status_code == 200, approved.text
        moved = approved.json()
        assert (moved["from_state"], moved["to_state"]) == ("scoping", "policy")
        assert moved["override_id"] == override["id"] and moved["overridden_blockers"]
        assert approved.headers["ETag"] == f'"v{moved["version"]}"' != etag
        listed = admin.get(OVERRIDES).json()["items"]
    assert [(o["status"], o["approved_by"]) for o in listed] == [("applied", email_of("admin"))]


def test_a_project_manager_may_ask_but_not_approve(world: World) -> None:
    with world.client(email_of("project_manager")) as manager:
        asked = manager.post(OVERRIDES, json=REASON, headers={"If-Match": '"v1"'})
        assert asked.status_code == 201
        refused = manager.post(
            f"{OVERRIDES}/{asked.json()['id']}/approval", headers={"If-Match": '"v1"'}
        )
    assert refused.status_code == 403
    assert refused.json()["type"] == "/problems/forbidden"


def test_a_request_needs_a_current_if_match_and_a_reason(admin: httpx.Client) -> None:
    assert admin.post(OVERRIDES, json=REASON).status_code == 428
    stale = admin.post(OVERRIDES, json=REASON, headers={"If-Match": '"v9"'})
    assert stale.status_code == 412 and stale.json()["current_etag"] == '"v1"'
    short = admin.post(
        OVERRIDES, json={"trigger": "advance", "reason": "urgent"}, headers={"If-Match": '"v1"'}
    )
    assert short.status_code == 400 and "10 characters" in short.json()["detail"]
    assert admin.get(OVERRIDES).json()["items"] == []


def test_an_approval_needs_a_current_if_match(world: World, admin: httpx.Client) -> None:
    with world.client(email_of("consultant")) as consultant:
        override = consultant.post(OVERRIDES, json=REASON, headers={"If-Match": '"v1"'}).json()
    approval = f"{OVERRIDES}/{override['id']}/approval"
    assert admin.post(approval).status_code == 428
    assert admin.post(approval, headers={"If-Match": '"v9"'}).status_code == 412
    assert admin.post(f"{OVERRIDES}/999/approval", headers={"If-Match": '"v1"'}).status_code == 404
    assert admin.get(PROJECT).json()["state"] == "scoping"


def test_a_viewer_sees_overrides_but_may_not_ask(world: World) -> None:
    with world.client(email_of("viewer")) as viewer:
        assert viewer.get(OVERRIDES).status_code == 200
        refused = viewer.post(OVERRIDES, json=REASON, headers={"If-Match": '"v1"'})
    assert refused.status_code == 403
