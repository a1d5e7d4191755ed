"""Escalations: a deadline passes unmet and the workflow's `on_overdue` happens exactly once."""

from __future__ import annotations

from datetime import date, timedelta

from isms_flow.bootstrap import App
from isms_flow.clock import FrozenClock
from isms_flow.schedule.dispatcher import TickReport, tick
from isms_flow.services import history, projects
from isms_flow.services.notifications import list_notifications
from tests.integration.dispatch_support import (
    RecordingChannel,
    add_deadline,
    add_recipient,
    add_reminder,
    deadline,
    hold_schedules,
    put_project_in,
    reminder,
    start_of_day_after,
)
from tests.integration.support import stored_events

DUE = date(2026, 5, 1)
OVERDUE = start_of_day_after(DUE)  # 00:00 Tokyo on 2 May


def _tick(app: App, clock: FrozenClock, *channels: RecordingChannel) -> TickReport:
    hold_schedules(app)
    return tick(app, now=clock.now(), worker_id="w1", channels={c.name: c for c in channels})


def _overdue_events(app: App) -> list[dict[str, object]]:
    return [e.payload for e in stored_events(app) if e.type == "deadline_overdue"]


def test_an_overdue_surveillance_audit_suspends_the_certificate_once(
    app: App, clock: FrozenClock, project_ref: str
) -> None:
    put_project_in(app, project_ref, "certified")
    add_recipient(app, 1, channel="email", address="boss@acme.example", role="escalation")
    deadline_id = add_deadline(app, project_ref, due_on=DUE, on_overdue="suspend")
    log_row = add_reminder(app, deadline_id, kind="escalation", channel="log")
    mail_row = add_reminder(app, deadline_id, kind="escalation", channel="email")
    log, mail = RecordingChannel(name="log"), RecordingChannel(name="email")
    clock.current = OVERDUE - timedelta(seconds=1)
    assert _tick(app, clock, log, mail).deliveries == []

    clock.current = OVERDUE
    report = _tick(app, clock, log, mail)

    assert [(d.channel, d.status, d.escalation) for d in report.deliveries] == [
        ("log", "sent", "fired"),
        ("email", "sent", None),  # the sibling row only delivers
    ]
    status = projects.project_status(app, ref=project_ref).project
    assert status.state == "suspended"
    events = stored_events(app)
    assert [(e.type, e.actor) for e in events[-2:]] == [
        ("deadline_overdue", "scheduler"),
        ("state_changed", "scheduler"),
    ]
    assert events[-2].payload == {
        "deadline": "surveillance_audit:2026",
        "kind": "surveillance_audit",
        "due_on": "2026-05-01",
        "on_overdue": "suspend",
        "action": "fired",
        "state": "certified",
    }
    assert events[-1].payload == {
        "trigger": "suspend",
        "from": "certified",
        "to": "suspended",
        "override": None,
        "by_deadline": "surveillance_audit:2026",
    }
    stored = deadline(app, deadline_id)
    assert (stored.status, stored.overdue_handled_at) == ("overdue", OVERDUE)
    assert (reminder(app, log_row).status, reminder(app, mail_row).status) == ("sent", "sent")
    [(notification, recipients)] = mail.received
    assert [r.address for r in recipients] == ["boss@acme.example"]
    assert "OVERDUE" in notification.subject
    assert "the project was moved" in notification.body
    assert "(now: Certificate suspended)" in notification.body
    assert history.verify_history(app).intact

    clock.advance(timedelta(days=1))
    assert _tick(app, clock, log, mail).deliveries == []
    assert len(_overdue_events(app)) == 1


def test_a_trigger_that_no_longer_applies_is_recorded_not_fired(
    app: App, clock: FrozenClock, project_ref: str
) -> None:
    deadline_id = add_deadline(app, project_ref, due_on=DUE, on_overdue="suspend")
    add_reminder(app, deadline_id, kind="escalation")
    clock.current = OVERDUE + timedelta(hours=3)
    version = projects.project_status(app, ref=project_ref).project.version

    report = _tick(app, clock, RecordingChannel())

    assert report.deliveries[0].escalation == "not_applicable"
    status = projects.project_status(app, ref=project_ref).project
    assert (status.state, status.version) == ("scoping", version)
    [event] = _overdue_events(app)
    assert event["action"] == "not_applicable"
    assert (
        event["reason"]
        == "'suspend' is not possible from stage 'scoping' (possible: advance, cancel)"
    )
    assert deadline(app, deadline_id).status == "overdue"


def test_an_escalate_rule_notifies_the_escalation_contacts_and_records_it(
    app: App, clock: FrozenClock, project_ref: str
) -> None:
    add_recipient(app, 1, channel="email", address="pm@acme.example", role="isms_manager")
    add_recipient(
        app, 1, channel="email", address="boss@acme.example", role="escalation", language="ja"
    )
    add_recipient(app, 1, channel="email", address="all@acme.example", role="any")
    deadline_id = add_deadline(
        app,
        project_ref,
        kind="corrective_action_response",
        key="ca_response:F-001",
        due_on=DUE,
        on_overdue="escalate",
    )
    add_reminder(app, deadline_id, kind="escalation", channel="email")
    mail = RecordingChannel(name="email")
    clock.current = OVERDUE

    _tick(app, clock, mail)

    [(notification, recipients)] = mail.received
    assert [(r.address, r.language) for r in recipients] == [
        ("boss@acme.example", "ja"),
        ("all@acme.example", "en"),
    ]
    assert "escalation contact" in notification.body
    assert "エスカレーション先" in notification.text_in("ja")[1]
    [event] = _overdue_events(app)
    assert (event["deadline"], event["action"]) == ("ca_response:F-001", "escalated")
    assert projects.project_status(app, ref=project_ref).project.state == "scoping"


def test_a_deadline_met_before_it_passed_escalates_nothing(
    app: App, clock: FrozenClock, project_ref: str
) -> None:
    put_project_in(app, project_ref, "certified")
    deadline_id = add_deadline(app, project_ref, due_on=DUE, on_overdue="suspend", status="met")
    row_id = add_reminder(app, deadline_id, kind="escalation")
    clock.current = OVERDUE

    report = _tick(app, clock, RecordingChannel())

    assert [d.status for d in report.deliveries] == ["cancelled"]
    assert reminder(app, row_id).last_error == "deadline surveillance_audit:2026 is met"
    assert _overdue_events(app) == []
    assert projects.project_status(app, ref=project_ref).project.state == "certified"


def test_an_escalation_whose_delivery_fails_is_still_applied_once_and_retried(
    app: App, clock: FrozenClock, project_ref: str
) -> None:
    put_project_in(app, project_ref, "certified")
    deadline_id = add_deadline(app, project_ref, due_on=DUE, on_overdue="expire")
    row_id = add_reminder(app, deadline_id, kind="escalation")
    channel = RecordingChannel(failures=["log shipper full"])
    clock.current = OVERDUE

    first = _tick(app, clock, channel)
    clock.advance(timedelta(minutes=5))
    second = _tick(app, clock, channel)

    assert [(d.status, d.escalation) for d in first.deliveries] == [("pending", "fired")]
    assert [(d.status, d.escalation) for d in second.deliveries] == [("sent", None)]
    assert projects.project_status(app, ref=project_ref).project.state == "expired"
    assert len(_overdue_events(app)) == 1
    assert reminder(app, row_id).attempts == 2
    [view] = list_notifications(app).notifications
    assert (view.status, view.kind, view.attempts) == ("sent", "escalation", 2)
