"""`isms-flow scheduler run` and `isms-flow notifications` as a user drives them.

The command line runs on the real clock, so the outbox rows are written relative to it: due
an hour ago, or due in a month.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest

from isms_flow.bootstrap import App, bootstrap
from isms_flow.config import Settings
from tests.e2e.conftest import Cli
from tests.integration.dispatch_support import add_deadline, add_reminder, hold_schedules

DUE = date(2031, 5, 1)


@pytest.fixture
def outbox(cli: Cli, acme: str) -> Iterator[App]:
    """The CLI's database opened directly, to write outbox rows as the refresh would."""
    app = bootstrap(Settings(data_dir=cli.folder, database_url=cli.db_url, actor="seed"))
    yield app
    app.close()


def _due_row(app: App, ref: str, *, channel: str = "log", offset: int = 30) -> int:
    deadline_id = add_deadline(app, ref, due_on=DUE, key=f"surveillance_audit:{channel}")
    row = add_reminder(
        app,
        deadline_id,
        offset_days=offset,
        channel=channel,
        fire_at=datetime.now(UTC) - timedelta(minutes=10),
    )
    hold_schedules(app)
    return row


def test_scheduler_run_once_delivers_what_is_due_and_notifications_lists_it(
    cli: Cli, acme: str, outbox: App
) -> None:
    row = _due_row(outbox, acme)
    later = add_reminder(outbox, 1, offset_days=7, fire_at=datetime.now(UTC) + timedelta(days=30))
    hold_schedules(outbox)

    run = cli.call("scheduler", "run", "--once").ok()
    assert "sent  log  acme/isms  surveillance_audit:log  due 2031-05-01  30 days before" in run.out
    assert "1 sent, 0 to retry, 0 failed, 0 cancelled" in run.out
    assert cli.call("scheduler", "run", "--once").ok().out == ""  # nothing twice

    listed = cli.call("notifications", "--json").ok().json()
    assert listed["more"] == 0
    assert [(n["id"], n["status"], n["attempts"], n["late"]) for n in listed["notifications"]] == [
        (row, "sent", 1, False),
        (later, "pending", 0, False),
    ]
    pending = cli.call("notifications", "--pending", "--project", acme, "--json").ok().json()
    assert [n["id"] for n in pending["notifications"]] == [later]
    table = cli.call("notifications").ok().out
    assert "surveillance_audit:log" in table and "30 days before" in table
    assert "Attempts" in table and "sent" in table
    assert "送信済み" in cli.call("notifications", "--lang", "ja").ok().out


def test_a_failed_notification_is_visible_and_can_be_retried(
    cli: Cli, acme: str, outbox: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ISMS_FLOW_SCHEDULER__MAX_ATTEMPTS", "1")
    row = _due_row(outbox, acme, channel="pager")

    report = cli.call("scheduler", "run", "--once", "--json").ok().json()
    assert report["counts"] == {"sent": 0, "pending": 0, "failed": 1, "cancelled": 0, "lost": 0}
    [delivery] = report["deliveries"]
    assert (delivery["reminder_id"], delivery["channel"], delivery["status"]) == (
        row,
        "pager",
        "failed",
    )
    assert delivery["error"] == "channel 'pager' is not configured (known: email, log, webhook)"

    [failed] = cli.call("notifications", "--failed", "--json").ok().json()["notifications"]
    assert (failed["id"], failed["attempts"]) == (row, 1)
    assert failed["last_error"].startswith("channel 'pager' is not configured")
    events = cli.events()

    retried = cli.call("notifications", "retry", str(row)).ok()
    assert f"notification #{row} requeued: the next tick delivers it" in retried.out
    [again] = cli.call("notifications", "--pending", "--json").ok().json()["notifications"]
    assert (again["id"], again["status"], again["attempts"]) == (row, "pending", 0)
    assert cli.events() == events + 1
    history = cli.call("project", "history", acme, "--json").ok().json()
    assert history[-1]["type"] == "notification_requeued"


def test_bad_input_is_one_line_exit_2_and_changes_nothing(cli: Cli, acme: str, outbox: App) -> None:
    row = _due_row(outbox, acme)
    cli.call("scheduler", "run", "--once").ok()
    events = cli.events()

    sent = cli.call("notifications", "retry", str(row)).fails(2)
    assert sent.err.strip() == (
        f"error: notification #{row} is sent, not failed; only a failed notification can be retried"
    )
    missing = cli.call("notifications", "retry", "999").fails(2)
    assert missing.err.strip() == (
        "error: notification #999 not found: see `isms-flow notifications`"
    )
    both = cli.call("notifications", "--failed", "--pending").fails(2)
    assert both.err.strip() == "error: give --failed or --pending, not both"
    unknown = cli.call("notifications", "--project", "acme/nope").fails(2)
    assert unknown.err.strip() == (
        "error: project acme/nope not found: see `isms-flow project list`"
    )
    interval = cli.call("scheduler", "run", "--interval", "0").fails(2)
    assert interval.err.strip() == "error: --interval must be more than 0 seconds, not 0"
    assert cli.events() == events


def test_scheduler_run_catches_up_at_start_and_stops_cleanly_on_sigterm(
    cli: Cli, acme: str, outbox: App
) -> None:
    _due_row(outbox, acme)
    environment = {"COLUMNS": "250", "NO_COLOR": "1", "PYTHONUTF8": "1", "PATH": "/usr/bin:/bin"}
    service = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "isms_flow",
            "--db",
            cli.db_url,
            "scheduler",
            "run",
            "--interval",
            "3600",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        cwd=cli.folder,
        env=environment,
    )
    try:
        assert service.stdout is not None
        started = service.stdout.readline()
        assert "started: delivering every 3600 s" in started
        delivered = service.stdout.readline()  # the catch-up tick, long before the first interval
        assert delivered.startswith("sent  log  acme/isms  surveillance_audit:log")
        service.send_signal(signal.SIGTERM)
        out, err = service.communicate(timeout=60)
    finally:
        if service.poll() is None:
            service.kill()
    assert service.returncode == 0, err
    assert "Traceback" not in err
    assert out.splitlines()[-1] == "scheduler stopped"
    listed = cli.call("notifications", "--json").ok().json()["notifications"]
    assert [n["status"] for n in listed] == ["sent"]
