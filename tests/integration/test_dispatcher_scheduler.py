"""The alarm clock: one APScheduler job that ticks at once and then every interval."""

from __future__ import annotations

import threading
from datetime import date

import structlog

from isms_flow.bootstrap import App
from isms_flow.clock import FrozenClock
from isms_flow.schedule.dispatcher import Delivery, TickReport
from isms_flow.schedule.scheduler import JOB_ID, alarm_clock, run_scheduler
from tests.integration.dispatch_support import (
    RecordingChannel,
    add_deadline,
    add_reminder,
    hold_schedules,
)


def test_the_one_job_never_overlaps_never_piles_up_and_never_drops_a_late_wake_up() -> None:
    scheduler = alarm_clock(lambda: None, 60)

    [job] = scheduler.get_jobs()
    assert (job.id, job.coalesce, job.max_instances, job.misfire_grace_time) == (
        JOB_ID,
        True,
        1,
        None,
    )
    assert job.trigger.interval.total_seconds() == 60


def test_run_scheduler_catches_up_at_once_binding_the_worker_in_the_job_thread(
    app: App, clock: FrozenClock, project_ref: str
) -> None:
    deadline_id = add_deadline(app, project_ref, due_on=date(2026, 5, 1))
    add_reminder(app, deadline_id, fire_at=clock.now())
    hold_schedules(app)
    stop = threading.Event()
    seen: list[tuple[str, dict[str, object]]] = []
    reports: list[TickReport] = []

    def on_delivery(delivery: Delivery) -> None:
        seen.append((threading.current_thread().name, structlog.contextvars.get_contextvars()))

    def on_tick(report: TickReport) -> None:
        reports.append(report)
        stop.set()

    run_scheduler(  # returns once the catch-up tick has stopped it; an hour is never waited
        app,
        channels={"log": RecordingChannel()},
        worker_id="alarm-1",
        interval=3600,
        stop=stop,
        on_delivery=on_delivery,
        on_tick=on_tick,
    )

    assert [d.status for d in reports[0].deliveries] == ["sent"]
    [(thread, context)] = seen
    assert thread != threading.main_thread().name
    assert context["worker"] == "alarm-1"
