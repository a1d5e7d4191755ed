"""Instants are stored as UTC in SQLite and come back as the same, zone-aware instant."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import text
from sqlalchemy.exc import StatementError

from isms_flow.bootstrap import App
from isms_flow.services import history
from isms_flow.store.events import append_event
from isms_flow.store.models import ClientRow, EventRow

TOKYO = timezone(timedelta(hours=9))


def test_a_naive_datetime_is_refused_and_nothing_is_stored(app: App) -> None:
    with app.uow() as uow:
        uow.session.add(
            ClientRow(
                key="naive",
                name="Naive Ltd.",
                timezone="UTC",
                language="en",
                created_at=datetime(2026, 4, 1, 9, 30),
            )
        )
        with pytest.raises(StatementError, match="naive datetime"):
            uow.session.flush()
    with app.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM clients")).scalar_one() == 0


def test_an_aware_non_utc_datetime_comes_back_as_the_same_instant_in_utc(app: App) -> None:
    tokyo_morning = datetime(2026, 4, 1, 9, 30, 15, 123456, tzinfo=TOKYO)
    with app.uow() as uow:
        uow.session.add(
            ClientRow(
                key="tz",
                name="TZ Ltd.",
                timezone="Asia/Tokyo",
                language="ja",
                created_at=tokyo_morning,
            )
        )
        uow.commit()

    with app.uow() as uow:
        loaded = uow.session.query(ClientRow).filter_by(key="tz").one()
        assert loaded.created_at == tokyo_morning
        assert loaded.created_at.tzinfo is UTC
        assert loaded.created_at == datetime(2026, 4, 1, 0, 30, 15, 123456, tzinfo=UTC)

    with app.engine.connect() as connection:
        raw = connection.execute(text("SELECT created_at FROM clients WHERE key='tz'")).scalar_one()
    assert str(raw).startswith("2026-04-01 00:30:15.123456")


def test_an_event_stamped_in_another_zone_still_verifies_after_reload(app: App) -> None:
    with app.uow() as uow:
        append_event(
            uow.session,
            occurred_at=datetime(2026, 4, 1, 9, 30, tzinfo=TOKYO),
            actor="tester",
            type="note",
            payload={"text": "stamped in Tokyo"},
        )
        uow.commit()

    with app.uow() as uow:
        row = uow.session.get(EventRow, 1)
        assert row is not None
        assert row.occurred_at == datetime(2026, 4, 1, 0, 30, tzinfo=UTC)
        assert row.occurred_at.utcoffset() == timedelta(0)
    report = history.verify_history(app)
    assert report.intact, report.problem
    assert report.events == 1
