"""Notification recipients of a client: validation, secrets shown once, history, delivery lookup.

On a real SQLite file (and the same use cases on PostgreSQL when ISMS_FLOW_TEST_POSTGRES_URL
is set).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from isms_flow.bootstrap import App, bootstrap
from isms_flow.clock import FrozenClock
from isms_flow.config import Settings
from isms_flow.errors import BadInput, NotFound
from isms_flow.services import clients, history
from isms_flow.services.event_summaries import summarize
from isms_flow.services.recipients import (
    add_recipient,
    fingerprint,
    list_recipients,
    remove_recipient,
)
from isms_flow.store.models import ClientRow, EventRow
from isms_flow.store.tables.schedule import RecipientRow, ScheduleStateRow
from tests.backends import fresh_postgres_url


def _counts(app: App) -> tuple[int, int]:
    with app.uow() as uow:
        recipients = uow.session.scalar(select(func.count()).select_from(RecipientRow))
        events = uow.session.scalar(select(func.count()).select_from(EventRow))
    return int(recipients or 0), int(events or 0)


def _events(app: App, type: str) -> list[EventRow]:
    with app.uow() as uow:
        rows = uow.session.scalars(select(EventRow).where(EventRow.type == type)).all()
        uow.session.expunge_all()
        return list(rows)


def test_an_email_recipient_is_stored_normalised_and_listed(app: App, project_ref: str) -> None:
    added = add_recipient(
        app,
        client_key="acme",
        channel="email",
        address="  Tanaka.Isms@ACME.Example.JP ",
        role="isms_manager",
        actor="consultant",
    )
    assert (added.address, added.role, added.language, added.effective_language) == (
        "Tanaka.Isms@acme.example.jp",
        "isms_manager",
        None,
        "en",  # follows the client's language
    )
    assert (added.secret, added.secret_fingerprint) == (None, None)
    [listed] = list_recipients(app, client_key="acme")
    assert listed.model_dump() == {k: v for k, v in added.model_dump().items() if k != "secret"}


def test_a_webhook_secret_is_generated_shown_once_and_never_listed_or_recorded(
    app: App, project_ref: str
) -> None:
    added = add_recipient(
        app,
        client_key="acme",
        channel="webhook",
        address="https://hooks.acme.example.jp/isms",
        role="escalation",
        language="ja",
        actor="consultant",
    )
    assert added.secret is not None and len(added.secret) >= 40
    assert added.secret_fingerprint == fingerprint(added.secret)

    [listed] = list_recipients(app, client_key="acme")
    assert added.secret not in listed.model_dump_json()
    assert listed.secret_fingerprint == added.secret_fingerprint
    assert not hasattr(listed, "secret")

    [event] = _events(app, "recipient_added")
    assert (event.client_id, event.project_id, event.actor) == (_client_id(app), None, "consultant")
    assert added.secret not in event.payload
    assert json.loads(event.payload)["secret_fingerprint"] == added.secret_fingerprint
    assert summarize("recipient_added", json.loads(event.payload)) == (
        f"webhook recipient #{added.id} https://hooks.acme.example.jp/isms added as escalation "
        f"(secret {added.secret_fingerprint})"
    )
    assert history.verify_history(app).intact


def test_a_given_secret_is_kept_and_not_shown_back(app: App, project_ref: str) -> None:
    added = add_recipient(
        app,
        client_key="acme",
        channel="webhook",
        address="http://127.0.0.1:8080/hook",
        role="any",
        secret="a-secret-of-my-own-choosing",
        actor="consultant",
    )
    assert added.secret is None
    assert added.secret_fingerprint == fingerprint("a-secret-of-my-own-choosing")
    with app.uow() as uow:
        stored = uow.session.get(RecipientRow, added.id)
        assert stored is not None and stored.secret == "a-secret-of-my-own-choosing"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"address": "tanaka@"},
            "'tanaka@' is not an e-mail address (expected e.g. name@example.com)",
        ),
        (
            {"address": "tanaka@acme"},
            "'tanaka@acme' is not an e-mail address (expected e.g. name@example.com)",
        ),
        (
            {"address": "田中@acme.example.jp"},
            "'田中@acme.example.jp' is not an e-mail address (expected e.g. name@example.com)",
        ),
        (
            {"channel": "webhook", "address": "ftp://acme.example.jp/hook"},
            "webhook URL 'ftp://acme.example.jp/hook' must start with http:// or https://",
        ),
        (
            {"channel": "webhook", "address": "https://user:pw@acme.example.jp/hook"},
            "webhook URL 'https://user:pw@acme.example.jp/hook' must not carry a user name or "
            "password",
        ),
        (
            {"channel": "webhook", "address": "https:///hook"},
            "webhook URL 'https:///hook' has no host",
        ),
        (
            {"role": "ceo"},
            "role 'ceo' is not one of isms_manager, top_management, risk_owner, "
            "internal_auditor, consultant, escalation, any",
        ),
        ({"language": "de"}, "language 'de' is not one of en, ja"),
        ({"channel": "sms"}, "channel 'sms' is not one of email, webhook"),
        (
            {"secret": "a-secret-of-my-own-choosing"},
            "a secret is only for webhook recipients (it signs the POST)",
        ),
        (
            {"channel": "webhook", "address": "https://acme.example.jp/h", "secret": "short"},
            "a webhook secret must be 16–200 characters without spaces (leave --secret out to "
            "have one generated)",
        ),
    ],
)
def test_bad_input_is_refused_and_nothing_is_stored(
    app: App, project_ref: str, changes: dict[str, str], message: str
) -> None:
    before = _counts(app)
    values = {
        "client_key": "acme",
        "channel": "email",
        "address": "tanaka@acme.example.jp",
        "role": "isms_manager",
        "actor": "consultant",
        **changes,
    }
    with pytest.raises(BadInput) as refused:
        add_recipient(app, **values)  # type: ignore[arg-type]
    assert str(refused.value) == message
    assert _counts(app) == before


def test_an_unknown_client_and_a_duplicate_are_refused(app: App, project_ref: str) -> None:
    with pytest.raises(NotFound, match=r"^client nobody not found: see `isms-flow client list`$"):
        add_recipient(
            app,
            client_key="nobody",
            channel="email",
            address="a@b.example",
            role="any",
            actor="consultant",
        )
    first = add_recipient(
        app,
        client_key="acme",
        channel="email",
        address="tanaka@acme.example.jp",
        role="escalation",
        actor="consultant",
    )
    before = _counts(app)
    with pytest.raises(BadInput) as duplicate:
        add_recipient(
            app,
            client_key="acme",
            channel="email",
            address="tanaka@ACME.example.jp",
            role="escalation",
            actor="consultant",
        )
    assert str(duplicate.value) == (
        f"tanaka@acme.example.jp is already a email recipient of client 'acme' as escalation "
        f"(#{first.id})"
    )
    assert _counts(app) == before
    # The same address in another role is a second recipient.
    add_recipient(
        app,
        client_key="acme",
        channel="email",
        address="tanaka@acme.example.jp",
        role="isms_manager",
        actor="consultant",
    )
    assert len(list_recipients(app, client_key="acme")) == 2


def test_remove_records_an_event_and_an_unknown_id_is_not_found(app: App, project_ref: str) -> None:
    clients.add_client(app, key="other", name="Other Ltd.", actor="consultant")
    mine = add_recipient(
        app,
        client_key="acme",
        channel="email",
        address="a@acme.example.jp",
        role="any",
        actor="consultant",
    )
    theirs = add_recipient(
        app,
        client_key="other",
        channel="email",
        address="b@other.example.jp",
        role="any",
        actor="consultant",
    )
    before = _counts(app)
    with pytest.raises(NotFound) as missing:
        remove_recipient(app, client_key="acme", recipient_id=theirs.id, actor="consultant")
    assert str(missing.value) == (
        f"recipient #{theirs.id} of client 'acme' not found: see `isms-flow recipients list acme`"
    )
    assert _counts(app) == before

    removed = remove_recipient(app, client_key="acme", recipient_id=mine.id, actor="sato")
    assert removed.address == "a@acme.example.jp"
    assert list_recipients(app, client_key="acme") == []
    [event] = _events(app, "recipient_removed")
    assert event.actor == "sato" and event.project_id is None
    assert summarize("recipient_removed", json.loads(event.payload)) == (
        f"email recipient #{mine.id} a@acme.example.jp (any) removed"
    )
    assert history.verify_history(app).intact


def test_a_recipient_change_marks_the_clients_projects_for_a_schedule_refresh(
    app: App, project_ref: str, clock: FrozenClock
) -> None:
    with app.uow() as uow:
        project_id = uow.session.execute(text("SELECT id FROM projects")).scalar_one()
        uow.session.add(
            ScheduleStateRow(project_id=project_id, computed_version=1, computed_at=clock.now())
        )
        uow.commit()
    add_recipient(
        app,
        client_key="acme",
        channel="email",
        address="a@acme.example.jp",
        role="any",
        actor="consultant",
    )
    with app.uow() as uow:
        assert uow.session.get(ScheduleStateRow, project_id) is None


def _client_id(app: App) -> int:
    with app.uow() as uow:
        return int(uow.session.scalars(select(ClientRow.id).where(ClientRow.key == "acme")).one())


@pytest.fixture
def pg_app(tmp_path: Path, clock: FrozenClock) -> Iterator[App]:
    """The application on this test process's schema on the PostgreSQL server, emptied."""
    url = fresh_postgres_url()
    application = bootstrap(Settings(data_dir=tmp_path, database_url=url), clock=clock)
    yield application
    application.close()


@pytest.mark.postgresql
def test_recipients_on_postgresql(pg_app: App) -> None:
    clients.add_client(pg_app, key="acme", name="ACME", actor="consultant", language="ja")
    hook = add_recipient(
        pg_app,
        client_key="acme",
        channel="webhook",
        address="https://acme.example.jp/h",
        role="escalation",
        actor="consultant",
    )
    [listed] = list_recipients(pg_app, client_key="acme")
    assert (listed.effective_language, listed.secret_fingerprint) == ("ja", hook.secret_fingerprint)
    remove_recipient(pg_app, client_key="acme", recipient_id=hook.id, actor="consultant")
    assert list_recipients(pg_app, client_key="acme") == []
    assert history.verify_history(pg_app).intact
