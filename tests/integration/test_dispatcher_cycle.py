"""End to end with the real deadline rules: a certified project misses its first surveillance.

The demo walks a project to `certified` on 1 April 2026; the deadline refresh (the tick's first
step) computes its deadlines from the workflow; the dispatcher then delivers the reminders
and, when the surveillance audit passes unheld, suspends the certificate.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

from isms_flow.bootstrap import App
from isms_flow.clock import FrozenClock
from isms_flow.schedule.channels.base import DeliveryError, Notification, Recipient
from isms_flow.schedule.dispatcher import TickReport, tick
from isms_flow.services import history, projects
from isms_flow.services.demo import run_demo
from isms_flow.services.notifications import list_notifications
from isms_flow.services.registers.audits.findings import mark_corrected
from tests.integration.dispatch_support import RecordingChannel, statuses
from tests.integration.support import stored_events

REF = "demo-corp/isms-cert"
NINETY_DAYS_BEFORE = datetime(2027, 1, 1, 0, 0, tzinfo=UTC)  # 09:00 Tokyo, 1 January 2027
OVERDUE = datetime(2027, 4, 1, 15, 0, tzinfo=UTC)  # 00:00 Tokyo on 2 April 2027


class FailingOnce(RecordingChannel):
    """Refuses the first escalation it is given, as a log shipper that is briefly full."""

    def send(self, notification: Notification, recipients: list[Recipient]) -> None:
        """Fail the first escalation, record everything else."""
        if notification.kind == "escalation" and not getattr(self, "_failed", False):
            self._failed = True
            raise DeliveryError("log shipper full")
        super().send(notification, recipients)


def _tick(app: App, clock: FrozenClock, channel: RecordingChannel) -> TickReport:
    return tick(app, now=clock.now(), worker_id="w1", channels={"log": channel})


def test_reminders_then_a_missed_surveillance_audit_suspends_the_certificate(
    app: App, clock: FrozenClock
) -> None:
    list(run_demo(app))
    # The open nonconformities of the demo are corrected on time: this test is about the cycle.
    for finding in ("F-002", "F-005"):
        mark_corrected(app, ref=REF, key=finding, actor="owner")
    channel = FailingOnce()

    assert _tick(app, clock, channel).deliveries == []  # the first reminders are 90 days out
    clock.current = NINETY_DAYS_BEFORE
    first = _tick(app, clock, channel)
    assert sorted(d.deadline for d in first.deliveries) == [
        "internal_audit:2026-03-13",
        "management_review:2026-03-26",
        "surveillance_audit:2027",
    ]
    surveillance = next(n for n, _ in channel.received if n.deadline_kind == "surveillance_audit")
    assert "Surveillance audit is due on 2027-04-01 (in 90 days)." in surveillance.body
    assert (
        "Still missing for “Surveillance audit 1 (year 1)”:\n"
        "  - surveillance_audit_report: no Surveillance audit report uploaded\n"
    ) in surveillance.body

    clock.current = OVERDUE
    overdue = _tick(app, clock, channel)
    escalations = [d for d in overdue.deliveries if d.kind == "escalation"]
    assert sorted((d.deadline, d.escalation) for d in escalations) == [
        ("internal_audit:2026-03-13", "escalated"),
        ("management_review:2026-03-26", "escalated"),
        ("surveillance_audit:2027", "fired"),
    ]
    assert projects.project_status(app, ref=REF).project.state == "suspended"
    late = [d for d in overdue.deliveries if d.kind == "reminder"]
    assert late and all(d.late for d in late)  # 30, 7 and 1 days before came due meanwhile

    # The refused escalation is retried on a later tick, although the deadline refresh has
    # recomputed the (now suspended) project in between.
    clock.advance(timedelta(minutes=5))
    _tick(app, clock, channel)
    clock.advance(timedelta(days=1))
    assert _tick(app, clock, channel).deliveries == []

    delivered = Counter(n.idempotency_key for n, _ in channel.received)
    assert max(delivered.values()) == 1
    assert [n.kind for n, _ in channel.received].count("escalation") == 3
    assert "sending" not in statuses(app)
    due = list_notifications(app, show="pending").notifications
    assert [n for n in due if n.fire_at <= clock.now()] == []  # only future reminders wait
    overdue_events = [e for e in stored_events(app) if e.type == "deadline_overdue"]
    assert len(overdue_events) == 3
    moved = [e for e in stored_events(app) if e.payload.get("by_deadline")]
    assert [(e.actor, e.payload["to"]) for e in moved] == [("scheduler", "suspended")]
    assert history.verify_history(app).intact
