"""A client's outbox over HTTP: only its own notifications, filters, pages, and a retry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import httpx
import pytest
from sqlalchemy import update

from isms_flow.api.pagination import encode_cursor
from isms_flow.bootstrap import App
from isms_flow.store.tables.schedule import ReminderRow
from tests.api.conftest import KITA_ADMIN, World, email_of
from tests.integration.dispatch_support import add_deadline, add_reminder, reminder
from tests.integration.support import event_count, stored_events

NOTIFICATIONS = "/clients/acme/notifications"


@dataclass(frozen=True)
class Outbox:
    """Ids of the rows arranged: three at acme (one failed), one failed at gamma."""

    acme: list[int]
    acme_failed: int
    gamma_failed: int


def _fail(app: App, reminder_id: int) -> None:
    with app.uow() as uow:
        uow.session.execute(
            update(ReminderRow)
            .where(ReminderRow.id == reminder_id)
            .values(status="failed", attempts=5, last_error="connection refused")
        )
        uow.commit()


@pytest.fixture
def outbox(app: App, world: World) -> Outbox:
    """Reminders of acme/isms at 30, 7 and 1 days (the 7-day one failed), one failed at gamma."""
    acme_deadline = add_deadline(app, "acme/isms", due_on=date(2026, 6, 1))
    acme = [add_reminder(app, acme_deadline, offset_days=days) for days in (30, 7, 1)]
    gamma = add_reminder(app, add_deadline(app, "gamma/isms", due_on=date(2026, 6, 1)))
    _fail(app, acme[1])
    _fail(app, gamma)
    return Outbox(acme=acme, acme_failed=acme[1], gamma_failed=gamma)


def test_the_list_holds_only_the_clients_notifications(world: World, outbox: Outbox) -> None:
    with world.client(email_of("viewer")) as viewer:
        response = viewer.get(NOTIFICATIONS)
    assert response.status_code == 200
    items = response.json()["items"]
    assert [n["id"] for n in items] == outbox.acme
    assert {n["project"] for n in items} == {"acme/isms"}
    with world.client(KITA_ADMIN) as kita:
        theirs = kita.get("/clients/gamma/notifications").json()["items"]
        assert [n["id"] for n in theirs] == [outbox.gamma_failed]
        assert kita.get(NOTIFICATIONS).status_code == 404


def test_filters_by_status_and_project(admin: httpx.Client, outbox: Outbox) -> None:
    failed = admin.get(NOTIFICATIONS, params={"show": "failed"}).json()["items"]
    assert [(n["id"], n["last_error"]) for n in failed] == [
        (outbox.acme_failed, "connection refused")
    ]
    pending = admin.get(NOTIFICATIONS, params={"show": "pending", "project": "isms"})
    assert [n["id"] for n in pending.json()["items"]] == [outbox.acme[0], outbox.acme[2]]
    assert admin.get(NOTIFICATIONS, params={"project": "nope"}).status_code == 404
    assert admin.get(NOTIFICATIONS, params={"show": "lost"}).status_code == 422


def test_pages_follow_the_cursor_without_repeats(admin: httpx.Client, outbox: Outbox) -> None:
    seen: list[int] = []
    cursor = None
    for _ in range(5):
        params: dict[str, str | int] = {"limit": 1} | ({"cursor": cursor} if cursor else {})
        page = admin.get(NOTIFICATIONS, params=params)
        seen += [n["id"] for n in page.json()["items"]]
        cursor = page.json()["next_cursor"]
        if cursor is None:
            assert "Link" not in page.headers
            break
        assert 'rel="next"' in page.headers["Link"]
    assert seen == outbox.acme
    for forged in ("bm90LWEtY3Vyc29y", encode_cursor(("2026-05-01T00:00:00", 1))):
        assert admin.get(NOTIFICATIONS, params={"cursor": forged}).status_code == 400


def test_a_failed_notification_is_requeued_by_the_acting_user(
    app: App, admin: httpx.Client, outbox: Outbox
) -> None:
    response = admin.post(f"{NOTIFICATIONS}/{outbox.acme_failed}/retry")
    assert response.status_code == 200
    assert response.json()["status"] == "pending" and response.json()["attempts"] == 0
    event = stored_events(app)[-1]
    assert (event.type, event.actor) == ("notification_requeued", email_of("admin"))
    again = admin.post(f"{NOTIFICATIONS}/{outbox.acme_failed}/retry")
    assert again.status_code == 400 and "not failed" in again.json()["detail"]


def test_another_clients_notification_cannot_be_retried(
    app: App, admin: httpx.Client, outbox: Outbox
) -> None:
    before = event_count(app)
    foreign = admin.post(f"{NOTIFICATIONS}/{outbox.gamma_failed}/retry")
    missing = admin.post(f"{NOTIFICATIONS}/999999/retry")
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json()["detail"].replace(str(outbox.gamma_failed), "X") == missing.json()[
        "detail"
    ].replace("999999", "X")
    assert reminder(app, outbox.gamma_failed).status == "failed"
    assert event_count(app) == before


def test_retrying_needs_manage_recipients(world: World, outbox: Outbox) -> None:
    with world.client(email_of("viewer")) as viewer:
        assert viewer.post(f"{NOTIFICATIONS}/{outbox.acme_failed}/retry").status_code == 403
