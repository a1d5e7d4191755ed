"""The dispatcher works in batches: outcomes recorded together, a slow channel never outlives
the lease, and one broken escalation does not hold up the others of its batch."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import event, text

from isms_flow.bootstrap import App
from isms_flow.clock import FrozenClock
from isms_flow.config import SchedulerSettings
from isms_flow.schedule.channels.base import Notification, Recipient
from isms_flow.schedule.claims import RetryPolicy, claim_due
from isms_flow.schedule.dispatcher import tick
from isms_flow.services import clients, projects
from tests.integration.dispatch_support import (
    RecordingChannel,
    add_deadline,
    add_reminder,
    hold_schedules,
    put_project_in,
    reminder,
    start_of_day_after,
    statuses,
)

DUE = date(2026, 5, 1)


def test_a_batch_of_outcomes_is_recorded_in_one_transaction(
    app: App, clock: FrozenClock, project_ref: str
) -> None:
    open_deadline = add_deadline(app, project_ref, due_on=DUE)
    closed = add_deadline(app, project_ref, key="surveillance_audit:old", status="met")
    sent = [
        add_reminder(app, open_deadline, offset_days=100 + n, fire_at=clock.now())
        for n in range(15)
    ]
    withdrawn = add_reminder(app, closed, fire_at=clock.now())
    unknown = add_reminder(app, open_deadline, channel="pager", fire_at=clock.now())
    hold_schedules(app)
    commits: list[object] = []

    def count(connection: object) -> None:
        commits.append(connection)

    event.listen(app.engine, "commit", count)

    report = tick(app, now=clock.now(), worker_id="w1", channels={"log": RecordingChannel()})

    event.remove(app.engine, "commit", count)
    assert report.count("sent") == 15
    assert {reminder(app, row).status for row in sent} == {"sent"}
    assert reminder(app, withdrawn).status == "cancelled"
    assert reminder(app, unknown).status == "pending"  # retried later, visibly
    # The claim of the batch, ONE record of all seventeen outcomes, and the empty claim that
    # ends the tick — not a transaction per row.
    assert len(commits) == 3


def test_a_claim_takes_at_most_a_batch_of_the_oldest_due_rows(
    app: App, clock: FrozenClock, project_ref: str
) -> None:
    deadline = add_deadline(app, project_ref, due_on=DUE)
    rows = [add_reminder(app, deadline, offset_days=d, fire_at=clock.now()) for d in (9, 7, 5)]
    policy = RetryPolicy.from_settings(SchedulerSettings(batch_size=2))

    first = claim_due(app, now=clock.now(), owner="w1", policy=policy)
    second = claim_due(app, now=clock.now(), owner="w2", policy=policy)

    assert [claim.reminder_id for claim in first] == rows[:2]
    assert [claim.reminder_id for claim in second] == rows[2:]
    assert statuses(app) == {"sending": 3}


@dataclass
class SlowChannel(RecordingChannel):
    """Each send takes a minute of the (frozen) clock, like a receiver that is slow to answer."""

    clock: FrozenClock | None = None

    def send(self, notification: Notification, recipients: list[Recipient]) -> None:
        """Record it, then let a minute pass."""
        super().send(notification, recipients)
        assert self.clock is not None
        self.clock.advance(timedelta(minutes=1))


def test_a_slow_channel_never_outlives_the_lease_of_its_batch(
    app: App, clock: FrozenClock, project_ref: str
) -> None:
    deadline_id = add_deadline(app, project_ref, due_on=DUE)
    rows = [
        add_reminder(app, deadline_id, offset_days=100 + n, fire_at=clock.now()) for n in range(8)
    ]
    hold_schedules(app)
    channel = SlowChannel(clock=clock)
    start = clock.now()

    first = tick(app, now=start, worker_id="w1", channels={"log": channel})

    # Lease 300 s: past 100 s what was delivered is recorded, past 200 s nothing more is sent.
    assert [d.status for d in first.deliveries] == ["sent"] * 4
    assert [reminder(app, row).status for row in rows] == ["sent"] * 4 + ["sending"] * 4
    assert len(channel.keys) == 4  # the rest was never handed to the channel
    assert reminder(app, rows[4]).lease_until == start + timedelta(seconds=300)

    clock.current = start + timedelta(seconds=301)  # the lease ran out: taken again, once
    second = tick(app, now=clock.now(), worker_id="w2", channels={"log": channel})

    assert [d.status for d in second.deliveries] == ["sent"] * 4
    assert statuses(app) == {"sent": 8}
    assert sorted(channel.keys) == sorted(reminder(app, row).idempotency_key for row in rows)


def test_one_broken_escalation_does_not_hold_up_the_others_in_its_batch(
    app: App, clock: FrozenClock, project_ref: str
) -> None:
    clients.add_client(app, key="beta", name="Beta", actor="consultant")
    projects.create_project(app, client_key="beta", key="isms", title="Beta ISMS", actor="c")
    for ref in (project_ref, "beta/isms"):
        put_project_in(app, ref, "certified")
    broken = add_reminder(
        app, add_deadline(app, project_ref, due_on=DUE, on_overdue="suspend"), kind="escalation"
    )
    fine = add_reminder(
        app, add_deadline(app, "beta/isms", due_on=DUE, on_overdue="suspend"), kind="escalation"
    )
    with app.engine.begin() as connection:  # pinned to a workflow version nobody installed
        connection.execute(text("UPDATE projects SET workflow_version = 99 WHERE id = 1"))
    hold_schedules(app)
    clock.current = start_of_day_after(DUE)

    report = tick(app, now=clock.now(), worker_id="w1", channels={"log": RecordingChannel()})

    assert [(d.reminder_id, d.status, d.escalation) for d in report.deliveries] == [
        (broken, "pending", None),
        (fine, "sent", "fired"),
    ]
    assert reminder(app, broken).last_error == (
        "workflow iso27001-2022 version 99 not found: installed versions: 1"
    )
    assert projects.project_status(app, ref="beta/isms").project.state == "suspended"
