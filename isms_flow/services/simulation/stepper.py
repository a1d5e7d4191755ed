"""Run the real scheduler over a simulated clock, jumping from one due moment to the next.

A tick is `refresh_deadlines` then `deliver_due` (claims, escalations, messages, records); both
run unchanged on an application whose clock is a `FrozenClock`. Instead of waking every
minute the way `scheduler run` does, the clock jumps straight to the next moment anything can
happen: the earliest `next_attempt_at` of a pending outbox row, the end of a lease still held,
or a project's `recheck_at` (a planned audit's day).

Nobody acts in a simulation, so a project's deadlines only go stale when an escalation moves
it (a suspension, a withdrawal) or when its recheck time comes. The refresh runs then — right
after the escalation, so the reminders of the new stage exist before the clock jumps past
them, exactly as the next minute's tick would create them — and is skipped when it would find
nothing to do: on ten thousand projects that scan is most of an idle tick.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, func, select

from isms_flow.bootstrap import App
from isms_flow.clock import FrozenClock, ensure_utc
from isms_flow.schedule.channels.base import Channel
from isms_flow.schedule.dispatcher import Delivery, deliver_due
from isms_flow.schedule.snapshot_cache import SnapshotCache
from isms_flow.services.deadlines import refresh_deadlines
from isms_flow.store.tables.schedule import ReminderRow, ScheduleStateRow

__all__ = ["SIMULATION_WORKER", "StepReport", "run_until"]

SIMULATION_WORKER = "simulation"
"""The dispatcher name the simulation claims rows under (in the scratch copy only)."""

# A lease blocks a row while `lease_until >= now`: the row is free the instant after.
_AFTER_LEASE = timedelta(microseconds=1)

_NEXT_PENDING = select(func.min(ReminderRow.next_attempt_at)).where(ReminderRow.status == "pending")
_NEXT_LEASE_END = select(func.min(ReminderRow.lease_until)).where(ReminderRow.status == "sending")
# Later than now only: a project the refresh skips (its workflow is not installed) keeps its
# past recheck time, which must not hold the clock still.
_NEXT_RECHECK = select(func.min(ScheduleStateRow.recheck_at)).where(
    ScheduleStateRow.recheck_at > bindparam("now")
)
_SNAPSHOTS_KEPT = 20_000  # project versions whose snapshot pieces are reused between ticks


@dataclass
class StepReport:
    """How much simulated time and work one run covered."""

    started: datetime
    ended: datetime
    ticks: int = 0
    deliveries: int = 0
    refreshed: int = 0
    refresh_seconds: float = 0.0
    """Wall time spent recomputing deadlines (for benchmarks; nothing depends on it)."""
    deliver_seconds: float = 0.0
    """Wall time spent claiming, escalating, rendering, delivering and recording."""


def _upcoming(app: App, now: datetime) -> tuple[datetime | None, datetime | None, datetime | None]:
    """The next pending row, the next lease end, the next recheck after `now`."""
    with app.engine.connect() as connection:
        pending = connection.execute(_NEXT_PENDING).scalar()
        lease = connection.execute(_NEXT_LEASE_END).scalar()
        recheck = connection.execute(_NEXT_RECHECK, {"now": now}).scalar()
    return (
        None if pending is None else ensure_utc(pending),
        None if lease is None else ensure_utc(lease) + _AFTER_LEASE,
        None if recheck is None else ensure_utc(recheck),
    )


def run_until(
    app: App,
    clock: FrozenClock,
    *,
    until: datetime,
    channels: Mapping[str, Channel],
    on_delivery: Callable[[Delivery], None] | None = None,
    snapshots: SnapshotCache | None = None,
) -> StepReport:
    """Tick at `clock.now()`, then at every later due moment up to and including `until`.

    `app` must run on `clock`; the clock is left at the last moment ticked. `snapshots`
    carries what was read of the projects over to a later run (a run continued in steps).
    """
    end = ensure_utc(until)
    snapshots = snapshots if snapshots is not None else SnapshotCache(_SNAPSHOTS_KEPT)
    report = StepReport(started=clock.now(), ended=clock.now())
    moment: datetime | None = clock.now()
    stale = True  # the first tick refreshes whatever moved before the simulation began
    while moment is not None and moment <= end:
        clock.current = moment
        if stale:
            started = time.perf_counter()
            report.refreshed += refresh_deadlines(app, now=moment)
            report.refresh_seconds += time.perf_counter() - started
        started = time.perf_counter()
        done = deliver_due(
            app,
            now=moment,
            worker_id=SIMULATION_WORKER,
            channels=channels,
            on_delivery=on_delivery,
            snapshots=snapshots,
        )
        report.deliver_seconds += time.perf_counter() - started
        report.ticks += 1
        report.deliveries += len(done.deliveries)
        moved = {d.project_id for d in done.deliveries if d.escalation == "fired"}
        if moved:  # their new stage has deadlines of its own: create the rows now
            started = time.perf_counter()
            report.refreshed += refresh_deadlines(app, now=moment, project_ids=moved)
            report.refresh_seconds += time.perf_counter() - started
        report.ended = moment
        pending, lease, recheck = _upcoming(app, moment)
        upcoming = [m for m in (pending, lease, recheck) if m is not None]
        # A due row not delivered yet (a retry without backoff) is due at once, not earlier.
        moment = max(min(upcoming), moment + _AFTER_LEASE) if upcoming else None
        stale = recheck is not None and moment is not None and recheck <= moment
    return report
