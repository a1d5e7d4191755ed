"""When a deadline's reminders and escalation fire, in the client's time zone, and which outbox
rows a deadline needs as of a given instant (pure: `schedule.deadlines.plan_deliveries`)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from isms_flow.schedule.deadlines import (
    idempotency_key,
    overdue_at,
    plan_deliveries,
    reminder_fire_at,
)
from isms_flow.schedule.timeline import Deadline

DUE = date(2027, 11, 20)
SURVEILLANCE = Deadline("surveillance_audit:2027", "surveillance_audit", DUE, "open", "suspend")
LONG_BEFORE = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone", "fire_at"),
    [
        ("Asia/Tokyo", datetime(2027, 11, 13, 0, 0, tzinfo=UTC)),  # 09:00 JST = 00:00 UTC
        ("UTC", datetime(2027, 11, 13, 9, 0, tzinfo=UTC)),
        ("America/Los_Angeles", datetime(2027, 11, 13, 17, 0, tzinfo=UTC)),  # PST, UTC-8
    ],
)
def test_a_reminder_7_days_before_fires_at_nine_in_the_clients_morning(
    zone: str, fire_at: datetime
) -> None:
    assert reminder_fire_at(DUE, 7, zone) == fire_at


def test_daylight_saving_time_keeps_reminders_at_nine_local() -> None:
    # 2027-11-07 ends DST in Los Angeles: 90 days before is still PDT (UTC-7)
    assert reminder_fire_at(DUE, 90, "America/Los_Angeles") == datetime(
        2027, 8, 22, 16, 0, tzinfo=UTC
    )
    assert reminder_fire_at(DUE, 1, "America/Los_Angeles") == datetime(
        2027, 11, 19, 17, 0, tzinfo=UTC
    )


@pytest.mark.parametrize(
    ("zone", "due_at"),
    [
        ("Asia/Tokyo", datetime(2027, 11, 20, 15, 0, tzinfo=UTC)),
        ("UTC", datetime(2027, 11, 21, 0, 0, tzinfo=UTC)),
        ("America/Los_Angeles", datetime(2027, 11, 21, 8, 0, tzinfo=UTC)),
    ],
)
def test_a_deadline_is_missed_from_the_clients_midnight_after_its_day(
    zone: str, due_at: datetime
) -> None:
    assert overdue_at(DUE, zone) == due_at


def test_a_reminder_on_29_february_of_a_leap_year_fires_that_day() -> None:
    assert reminder_fire_at(date(2028, 3, 1), 1, "Asia/Tokyo") == datetime(
        2028, 2, 29, 0, 0, tzinfo=UTC
    )


def test_an_open_deadline_needs_one_row_per_offset_and_channel_and_its_escalation() -> None:
    plan = plan_deliveries(
        42,
        SURVEILLANCE,
        offsets=[1, 90, 30, 7],
        channels=["log", "email"],
        timezone="Asia/Tokyo",
        now=LONG_BEFORE,
    )
    rows = [(d.kind, d.offset_days, d.channel) for d in plan.create]
    assert rows == [
        ("reminder", 90, "email"),
        ("reminder", 90, "log"),
        ("reminder", 30, "email"),
        ("reminder", 30, "log"),
        ("reminder", 7, "email"),
        ("reminder", 7, "log"),
        ("reminder", 1, "email"),
        ("reminder", 1, "log"),
        ("escalation", 0, "email"),
        ("escalation", 0, "log"),
    ]
    assert (
        plan.create[0].idempotency_key == "42:surveillance_audit:2027:2027-11-20:reminder:90:email"
    )
    assert plan.create[-1].fire_at == overdue_at(DUE, "Asia/Tokyo")
    assert plan.valid_keys == {d.idempotency_key for d in plan.create}


def test_a_deadline_without_on_overdue_has_no_escalation() -> None:
    quiet = Deadline("x:1", "x", DUE, "open", "")
    plan = plan_deliveries(1, quiet, offsets=[7], channels=["log"], timezone="UTC", now=LONG_BEFORE)
    assert [d.kind for d in plan.create] == ["reminder"]


def test_a_deadline_learned_late_sends_only_the_nearest_missed_reminder() -> None:
    twenty_days_before = datetime(2027, 10, 31, 3, 0, tzinfo=UTC)
    plan = plan_deliveries(
        1,
        SURVEILLANCE,
        offsets=[90, 30, 7, 1],
        channels=["log"],
        timezone="Asia/Tokyo",
        now=twenty_days_before,
    )
    assert [(d.kind, d.offset_days) for d in plan.create] == [
        ("reminder", 30),  # fired 2027-10-21: the one heads-up now
        ("reminder", 7),
        ("reminder", 1),
        ("escalation", 0),
    ]
    # the 90-day reminder is not created, but one already in the outbox may stay
    assert idempotency_key(1, SURVEILLANCE.key, DUE, "reminder", 90, "log") in plan.valid_keys


def test_a_deadline_learned_after_it_passed_only_escalates() -> None:
    after = datetime(2027, 12, 1, tzinfo=UTC)
    plan = plan_deliveries(
        1, SURVEILLANCE, offsets=[90, 30], channels=["log"], timezone="Asia/Tokyo", now=after
    )
    assert [(d.kind, d.offset_days) for d in plan.create] == [("escalation", 0)]


@pytest.mark.parametrize("status", ["met", "cancelled"])
def test_a_met_or_cancelled_deadline_needs_no_rows(status: str) -> None:
    done = Deadline(SURVEILLANCE.key, SURVEILLANCE.kind, DUE, status, "suspend")  # type: ignore[arg-type]
    plan = plan_deliveries(1, done, offsets=[90], channels=["log"], timezone="UTC", now=LONG_BEFORE)
    assert (plan.create, plan.valid_keys) == ((), frozenset())
