"""Notification recipients over HTTP: add, list, remove; a webhook secret is shown once."""

from __future__ import annotations

import hashlib

import httpx

from isms_flow.bootstrap import App
from tests.api.conftest import KITA_ADMIN, World, email_of
from tests.integration.support import event_count, stored_events

RECIPIENTS = "/clients/acme/recipients"
HOOK = {"channel": "webhook", "address": "https://hooks.example.jp/isms", "role": "escalation"}
MAIL = {"channel": "email", "address": "ciso@acme.example.jp", "role": "any", "language": "ja"}


def test_a_generated_webhook_secret_is_shown_once_and_never_listed(
    app: App, admin: httpx.Client
) -> None:
    created = admin.post(RECIPIENTS, json=HOOK)
    assert created.status_code == 201
    secret = created.json()["secret"]
    assert len(secret) >= 16
    assert created.json()["secret_fingerprint"] == hashlib.sha256(secret.encode()).hexdigest()[:12]
    listed = admin.get(RECIPIENTS)
    assert listed.status_code == 200
    assert [r["address"] for r in listed.json()["items"]] == [HOOK["address"]]
    assert secret not in listed.text and "secret" not in listed.json()["items"][0]
    event = stored_events(app)[-1]
    assert (event.type, event.actor) == ("recipient_added", email_of("admin"))
    assert secret not in str(event.payload)


def test_a_secret_the_caller_chose_is_not_echoed(admin: httpx.Client) -> None:
    chosen = "a-long-enough-shared-key-0123456789"
    created = admin.post(RECIPIENTS, json={**HOOK, "secret": chosen})
    assert created.status_code == 201
    assert created.json()["secret"] is None
    assert chosen not in created.text


def test_add_list_remove_an_email_recipient(app: App, world: World) -> None:
    with world.client(email_of("project_manager")) as manager:
        created = manager.post(RECIPIENTS, json=MAIL)
        assert created.status_code == 201
        assert created.json()["effective_language"] == "ja" and created.json()["secret"] is None
        recipient_id = created.json()["id"]
        removed = manager.delete(f"{RECIPIENTS}/{recipient_id}")
        assert removed.status_code == 200 and removed.json()["id"] == recipient_id
        assert manager.get(RECIPIENTS).json()["items"] == []
        assert manager.delete(f"{RECIPIENTS}/{recipient_id}").status_code == 404
    event = stored_events(app)[-1]
    assert (event.type, event.actor) == ("recipient_removed", email_of("project_manager"))


def test_bad_recipients_are_refused_and_change_nothing(app: App, admin: httpx.Client) -> None:
    before = event_count(app)
    cases = [
        {**MAIL, "secret": "a-long-enough-shared-key-0123456789"},
        {**HOOK, "address": "ftp://hooks.example.jp"},
        {**MAIL, "address": "not an address"},
        {**MAIL, "role": "janitor"},
        {**HOOK, "secret": "short"},
    ]
    for body in cases:
        response = admin.post(RECIPIENTS, json=body)
        assert response.status_code == 400, body
        assert "\n" not in response.json()["detail"]
    assert admin.post(RECIPIENTS, json={**MAIL, "channel": "fax"}).status_code == 422
    assert admin.get(RECIPIENTS).json()["items"] == []
    assert event_count(app) == before


def test_reading_recipients_needs_manage_recipients(world: World) -> None:
    for role in ("auditor", "viewer"):
        with world.client(email_of(role)) as http:
            assert http.get(RECIPIENTS).status_code == 403
            assert http.post(RECIPIENTS, json=MAIL).status_code == 403


def test_another_clients_recipients_are_not_found(app: App, world: World) -> None:
    with world.client(KITA_ADMIN) as kita:
        theirs = kita.post("/clients/gamma/recipients", json=MAIL).json()["id"]
        assert kita.get(RECIPIENTS).status_code == 404
    with world.client(email_of("admin")) as admin:
        assert admin.get("/clients/gamma/recipients").status_code == 404
        assert admin.delete(f"{RECIPIENTS}/{theirs}").status_code == 404
    with world.client(KITA_ADMIN) as kita:
        assert [r["id"] for r in kita.get("/clients/gamma/recipients").json()["items"]] == [theirs]
