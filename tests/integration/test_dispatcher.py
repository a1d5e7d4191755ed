"""The outbox dispatcher on a real SQLite file: claim, deliver, record; retries, leases, late.

Rows are written as the deadline refresh would write them (tests/integration/dispatch_support);
the clock is frozen and moved by hand.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

import pytest
import structlog
from sqlalchemy import text
from structlog.testing import capture_logs

from isms_flow.bootstrap import App
from isms_flow.clock import FrozenClock
from isms_flow.schedule.channels.log import LogChannel
from isms_flow.schedule.claims import RetryPolicy, claim_due, record_sent
from isms_flow.schedule.dispatcher import TickReport, tick
from isms_flow.services import clients, projects
from isms_flow.services.notifications import list_notifications
from tests.integration.dispatch_support import (
    RecordingChannel,
    add_deadline,
    add_recipient,
    add_reminder,
    hold_schedules,
    local_nine,
    reminder,
    statuses,
)

DUE = date(2026, 5, 1)


def _tick(
    app: App, clock: FrozenClock, channel: RecordingChannel, worker: str = "w1"
) -> TickReport:
    hold_schedules(app)
    return tick(app, now=clock.now(), worker_id=worker, channels={channel.name: channel})


def test_a_due_reminder_is_delivered_once_and_recorded_sent(
    app: App, clock: FrozenClock, project_ref: str
) -> None:
    deadline_id = add_deadline(app, project_ref, due_on=DUE)
    row_id = add_reminder(app, deadline_id, offset_days=30, fire_at=clock.now())
    channel = RecordingChannel()

    first = _tick(app, clock, channel)
    second = _tick(app, clock, channel)

    assert [d.status for d in first.deliveries] == ["sent"]
    assert second.deliveries == []
    assert channel.keys == [f"1:surveillance_audit:2026:{DUE}:reminder:30:log"]
    stored = reminder(app, row_id)
    assert (stored.status, stored.attempts, stored.sent_at, stored.late) == (
        "sent",
        1,
        clock.now(),
        False,
    )
    assert stored.lease_owner is None and stored.lease_until is None


def test_nothing_is_sent_before_it_is_due(app: App, clock: FrozenClock, project_ref: str) -> None:
    deadline_id = add_deadline(app, project_ref, due_on=DUE)
    add_reminder(app, deadline_id, offset_days=7)  # 09:00 Tokyo on 24 April
    channel = RecordingChannel()

    assert _tick(app, clock, channel).deliveries == []
    clock.current = local_nine(DUE - timedelta(days=7)) - timedelta(seconds=1)
    assert _tick(app, clock, channel).deliveries == []
    clock.advance(timedelta(seconds=1))
    assert [d.status for d in _tick(app, clock, channel).deliveries] == ["sent"]


def test_the_log_channel_writes_one_notification_line_with_the_key(
    app: App, clock: FrozenClock, project_ref: str
) -> None:
    deadline_id = add_deadline(app, project_ref, due_on=DUE)
    add_reminder(app, deadline_id, offset_days=30, fire_at=clock.now())
    hold_schedules(app)

    saved = structlog.get_config()
    # Whatever level an earlier test configured, the log channel writes at info.
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.INFO))
    try:
        with capture_logs() as logs:
            tick(app, now=clock.now(), worker_id="w1", channels={"log": LogChannel()})
    finally:
        structlog.configure(**saved)

    lines = [line for line in logs if line["event"] == "notification"]
    assert len(lines) == 1
    assert lines[0]["idempotency_key"] == f"1:surveillance_audit:2026:{DUE}:reminder:30:log"
    assert (lines[0]["project"], lines[0]["kind"], lines[0]["due"]) == (
        "acme/isms",
        "reminder",
        "2026-05-01",
    )


def test_a_failed_delivery_is_retried_with_doubling_backoff_then_marked_failed(
    app: App, clock: FrozenClock, project_ref: str
) -> None:
    deadline_id = add_deadline(app, project_ref, due_on=DUE)
    row_id = add_reminder(app, deadline_id, fire_at=clock.now())
    errors = [f"receiver down ({n})" for n in range(1, 6)]
    channel = RecordingChannel(failures=list(errors))
    start = clock.now()

    first = _tick(app, clock, channel)
    assert [(d.status, d.error) for d in first.deliveries] == [("pending", "receiver down (1)")]
    stored = reminder(app, row_id)
    assert (stored.status, stored.attempts, stored.last_error) == (
        "pending",
        1,
        "receiver down (1)",
    )
    assert stored.next_attempt_at == start + timedelta(seconds=60)

    clock.advance(timedelta(seconds=59))
    assert _tick(app, clock, channel).deliveries == []  # still backing off

    # backoff_seconds=60, doubled after every failure; the fifth attempt is the last.
    for attempt, wait in [(2, 120), (3, 240), (4, 480), (5, None)]:
        clock.current = reminder(app, row_id).next_attempt_at
        report = _tick(app, clock, channel)
        assert [d.status for d in report.deliveries] == ["pending" if wait else "failed"]
        stored = reminder(app, row_id)
        assert stored.attempts == attempt
        if wait is not None:
            assert stored.next_attempt_at == clock.now() + timedelta(seconds=wait)

    assert (stored.status, stored.last_error) == ("failed", "receiver down (5)")
    clock.advance(timedelta(days=30))
    assert _tick(app, clock, channel).deliveries == []  # a failed row waits for a person
    failed = list_notifications(app, show="failed").notifications
    assert [(n.id, n.attempts, n.last_error) for n in failed] == [(row_id, 5, "receiver down (5)")]


def test_what_came_due_while_stopped_is_sent_late_and_flagged(
    app: App, clock: FrozenClock, project_ref: str
) -> None:
    deadline_id = add_deadline(app, project_ref, due_on=DUE)
    on_time = add_reminder(
        app, deadline_id, offset_days=30, fire_at=clock.now() - timedelta(minutes=59)
    )
    missed = add_reminder(
        app, deadline_id, offset_days=90, fire_at=clock.now() - timedelta(days=20)
    )
    channel = RecordingChannel()

    report = _tick(app, clock, channel)

    assert [(d.reminder_id, d.late) for d in report.deliveries] == [
        (missed, True),
        (on_time, False),
    ]
    assert (reminder(app, missed).late, reminder(app, on_time).late) == (True, False)
    late_notification = channel.received[0][0]
    assert late_notification.late is True
    assert "This message is late: it could not be sent when it was due" in late_notification.body


@pytest.mark.parametrize("status", ["met", "cancelled"])
def test_a_reminder_of_a_closed_deadline_is_cancelled_not_sent(
    app: App, clock: FrozenClock, project_ref: str, status: str
) -> None:
    deadline_id = add_deadline(app, project_ref, due_on=DUE, status=status)
    row_id = add_reminder(app, deadline_id, fire_at=clock.now())
    channel = RecordingChannel()

    report = _tick(app, clock, channel)

    assert channel.received == []
    assert [d.status for d in report.deliveries] == ["cancelled"]
    stored = reminder(app, row_id)
    assert (stored.status, stored.attempts) == ("cancelled", 0)
    assert stored.last_error == f"deadline surveillance_audit:2026 is {status}"


def test_a_row_leased_to_another_dispatcher_waits_for_its_lease_to_run_out(
    app: App, clock: FrozenClock, project_ref: str
) -> None:
    deadline_id = add_deadline(app, project_ref, due_on=DUE)
    row_id = add_reminder(app, deadline_id, fire_at=clock.now())
    policy = RetryPolicy.from_settings(app.settings.scheduler)  # lease 300 s
    # Dispatcher "gone" claims the row and dies before delivering or recording anything.
    [claim] = claim_due(app, now=clock.now(), owner="gone", policy=policy)
    assert reminder(app, row_id).status == "sending"
    channel = RecordingChannel()

    clock.advance(timedelta(seconds=299))
    assert _tick(app, clock, channel, worker="w2").deliveries == []
    clock.advance(timedelta(seconds=2))
    report = _tick(app, clock, channel, worker="w2")

    assert [d.status for d in report.deliveries] == ["sent"]
    assert channel.keys == [reminder(app, row_id).idempotency_key]
    assert reminder(app, row_id).attempts == 2  # each claim counts
    # The old owner coming back cannot record over the new one.
    assert record_sent(app, claim, owner="gone", now=clock.now(), late=False) is False


def test_an_unknown_channel_fails_visibly_naming_the_known_ones(
    app: App, clock: FrozenClock, project_ref: str
) -> None:
    deadline_id = add_deadline(app, project_ref, due_on=DUE)
    row_id = add_reminder(app, deadline_id, channel="pager", fire_at=clock.now())

    _tick(app, clock, RecordingChannel())

    stored = reminder(app, row_id)
    assert (stored.status, stored.last_error) == (
        "pending",
        "channel 'pager' is not configured (known: log)",
    )


def test_email_reminders_go_to_the_clients_non_escalation_recipients(
    app: App, clock: FrozenClock, project_ref: str
) -> None:
    add_recipient(app, 1, channel="email", address="pm@acme.example", role="isms_manager")
    add_recipient(
        app, 1, channel="email", address="ceo@acme.example", role="top_management", language="ja"
    )
    add_recipient(app, 1, channel="email", address="boss@acme.example", role="escalation")
    add_recipient(app, 1, channel="webhook", address="https://hooks.acme.example/x", role="any")
    deadline_id = add_deadline(app, project_ref, due_on=DUE)
    add_reminder(app, deadline_id, channel="email", fire_at=clock.now())
    channel = RecordingChannel(name="email")

    report = _tick(app, clock, channel)

    [(notification, recipients)] = channel.received
    assert [(r.address, r.language) for r in recipients] == [
        ("pm@acme.example", "en"),
        ("ceo@acme.example", "ja"),
    ]
    assert report.deliveries[0].recipients == 2
    assert notification.language == "en"
    subject_ja, body_ja = notification.text_in("ja")
    assert subject_ja.startswith("[isms-flow] ")
    assert "期限は2026-05-01です" in body_ja


def test_an_email_row_without_a_matching_recipient_is_cancelled_with_the_reason(
    app: App, clock: FrozenClock, project_ref: str
) -> None:
    add_recipient(app, 1, channel="email", address="boss@acme.example", role="escalation")
    deadline_id = add_deadline(app, project_ref, due_on=DUE)
    row_id = add_reminder(app, deadline_id, channel="email", fire_at=clock.now())
    channel = RecordingChannel(name="email")

    _tick(app, clock, channel)

    assert channel.received == []
    stored = reminder(app, row_id)
    assert (stored.status, stored.last_error) == (
        "cancelled",
        "no email recipient of the client in a non-escalation role",
    )


def test_the_message_says_what_is_due_when_and_for_which_project(
    app: App, clock: FrozenClock, project_ref: str
) -> None:
    deadline_id = add_deadline(app, project_ref, due_on=DUE)
    add_reminder(app, deadline_id, offset_days=30, fire_at=clock.now())
    channel = RecordingChannel()

    _tick(app, clock, channel)

    [(notification, _)] = channel.received
    assert notification.project_ref == "acme/isms"
    assert notification.due_on == DUE
    assert "due 2026-05-01 (in 30 days)" in notification.subject
    assert notification.body.startswith("ACME Corp. — ISMS certification (acme/isms)\n")
    assert "What to do: get it done by 2026-05-01 and record it in isms-flow." in notification.body
    assert "Full checklist: isms-flow project status acme/isms" in notification.body
    assert notification.data["deadline"]["due_on"] == "2026-05-01"


def test_many_due_rows_are_all_delivered_in_one_tick_batch_after_batch(
    app: App, clock: FrozenClock, project_ref: str
) -> None:
    deadline_id = add_deadline(app, project_ref, due_on=DUE)
    for offset in range(45):  # more than two batches of 20
        add_reminder(app, deadline_id, offset_days=100 + offset, fire_at=clock.now())
    channel = RecordingChannel()

    report = _tick(app, clock, channel)

    assert report.count("sent") == 45
    assert len(set(channel.keys)) == 45
    assert statuses(app) == {"sent": 45}


def test_a_deadline_kind_the_workflow_no_longer_names_is_still_sent_by_its_kind(
    app: App, clock: FrozenClock, project_ref: str
) -> None:
    deadline_id = add_deadline(app, project_ref, kind="legacy_check", due_on=DUE)
    add_reminder(app, deadline_id, fire_at=clock.now())
    channel = RecordingChannel()

    _tick(app, clock, channel)

    [(notification, _)] = channel.received
    assert notification.subject.startswith("[isms-flow] legacy check due 2026-05-01")
    assert "Still missing" not in notification.body  # no stage to list blockers of


def test_a_row_that_cannot_be_prepared_fails_visibly_and_the_others_still_go_out(
    app: App, clock: FrozenClock, project_ref: str
) -> None:
    clients.add_client(app, key="beta", name="Beta", actor="consultant")
    projects.create_project(app, client_key="beta", key="isms", title="Beta ISMS", actor="c")
    broken = add_reminder(app, add_deadline(app, project_ref, due_on=DUE), fire_at=clock.now())
    fine = add_reminder(app, add_deadline(app, "beta/isms", due_on=DUE), fire_at=clock.now())
    with app.engine.begin() as connection:  # pinned to a workflow version nobody installed
        connection.execute(text("UPDATE projects SET workflow_version = 99 WHERE id = 1"))
    channel = RecordingChannel()

    report = _tick(app, clock, channel)

    assert [(d.reminder_id, d.status) for d in report.deliveries] == [
        (broken, "pending"),
        (fine, "sent"),
    ]
    assert reminder(app, broken).last_error == (
        "workflow iso27001-2022 version 99 not found: installed versions: 1"
    )
