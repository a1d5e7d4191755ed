"""The retry policy: doubling backoff with a cap, and when a delivery counts as late."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from isms_flow.config import SchedulerSettings
from isms_flow.schedule.claims import RetryPolicy

POLICY = RetryPolicy.from_settings(
    SchedulerSettings(backoff_seconds=60, backoff_max_seconds=3600, catch_up_grace_seconds=3600)
)


@pytest.mark.parametrize(
    ("attempts", "wait"),
    [(1, 60), (2, 120), (3, 240), (4, 480), (6, 1920), (7, 3600), (500, 3600)],
)
def test_each_failure_doubles_the_wait_up_to_the_cap(attempts: int, wait: int) -> None:
    assert POLICY.delay_after(attempts) == timedelta(seconds=wait)


def test_a_delivery_is_late_only_beyond_the_catch_up_grace() -> None:
    fire_at = datetime(2027, 3, 1, 0, 0, tzinfo=UTC)
    assert not POLICY.is_late(fire_at, fire_at + timedelta(hours=1))
    assert POLICY.is_late(fire_at, fire_at + timedelta(hours=1, seconds=1))


def test_the_defaults_come_from_settings() -> None:
    policy = RetryPolicy.from_settings(SchedulerSettings())
    assert (policy.lease, policy.max_attempts, policy.batch_size) == (
        timedelta(minutes=5),
        5,
        20,
    )
