"""The outbox dispatcher: one `tick(now)` delivers everything that is due, exactly once.

A tick refreshes stale deadlines, then (`deliver_due`) repeatedly claims a batch of due rows
with a lease (`schedule.claims`) and works through the batch: rows whose deadline was met or
cancelled are withdrawn; the escalations of the batch apply their deadlines' `on_overdue`
once, together (`schedule.escalations`); the messages are rendered (`schedule.notices`, which
reads what the whole batch needs at once) and handed to each row's channel with the row's
idempotency key; finally the outcomes of the batch are recorded in one short transaction.
Delivery happens outside any database transaction: no lock is held while an SMTP server or a
webhook receiver takes its time.

Exactly once, also across crashes: a row is recorded `sent` only after its channel accepted
it; a process killed in between leaves the row `sending` until its lease runs out, and the next
tick delivers it again with the same idempotency key, which the receiver uses to drop the
repeat (docs/scheduling.md §5). Should delivering a batch take a third of the lease, what was
delivered is recorded at once; after two thirds no further row of the batch is handed to a
channel (it stays leased and is taken again later), so a slow receiver cannot make a lease run
out under a delivery.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

import structlog

from isms_flow.bootstrap import App
from isms_flow.clock import ensure_utc
from isms_flow.errors import IsmsFlowError
from isms_flow.schedule.channels.base import Channel, DeliveryError
from isms_flow.schedule.claims import Claim, ClaimOutcome, RetryPolicy, claim_due, record_outcomes
from isms_flow.schedule.escalations import Handled, handle_overdue_many
from isms_flow.schedule.notices import Composer
from isms_flow.schedule.outbound import Outbound, RecipientBook, load_outbounds, load_recipients
from isms_flow.schedule.snapshot_cache import SnapshotCache
from isms_flow.services.deadlines import refresh_deadlines

__all__ = ["Delivery", "TickReport", "deliver_due", "new_worker_id", "tick"]

_log = structlog.get_logger(__name__)
_NEEDS_NO_RECIPIENTS = frozenset({"log"})


@dataclass(frozen=True)
class Delivery:
    """What happened to one claimed row in this tick.

    `status`: `sent`, `pending` (will be retried), `failed` (gave up), `cancelled`, or `lost`
    (another dispatcher took the row over after this one's lease ran out).
    """

    reminder_id: int
    idempotency_key: str
    project: str
    kind: str
    channel: str
    deadline: str
    due_on: str
    offset_days: int
    status: str
    late: bool = False
    recipients: int = 0
    error: str = ""
    escalation: str | None = None  # what on_overdue did, when this row applied it
    trigger: str | None = None  # the trigger it fired (or found not applicable)
    from_state: str | None = None  # the stage the escalation found the project in
    to_state: str | None = None  # where a fired trigger moved it
    project_id: int = 0
    deadline_kind: str = ""
    fire_at: datetime | None = None


@dataclass
class TickReport:
    """Everything one tick did, in the order it happened."""

    now: datetime
    worker_id: str
    refreshed: int = 0
    deliveries: list[Delivery] = field(default_factory=list)

    def count(self, status: str) -> int:
        """How many rows ended in `status`."""
        return sum(1 for delivery in self.deliveries if delivery.status == status)

    def as_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data."""
        statuses = ("sent", "pending", "failed", "cancelled", "lost")
        return {
            "now": self.now.isoformat(),
            "worker_id": self.worker_id,
            "refreshed": self.refreshed,
            "counts": {status: self.count(status) for status in statuses},
            "deliveries": [
                {**asdict(delivery), "fire_at": _iso(delivery.fire_at)}
                for delivery in self.deliveries
            ],
        }


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def new_worker_id() -> str:
    """A name for this dispatcher that no other process shares: host, pid and a nonce."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def tick(
    app: App,
    *,
    now: datetime,
    worker_id: str,
    channels: Mapping[str, Channel],
    on_delivery: Callable[[Delivery], None] | None = None,
    snapshots: SnapshotCache | None = None,
) -> TickReport:
    """Refresh deadlines, then deliver every due row; `on_delivery` hears of each as it ends.

    `now` is when the tick starts. A long tick reads `app.clock` again before each batch so a
    lease taken late in the tick still lasts its full length (never earlier than `now`).
    `snapshots` keeps stage snapshots from one tick to the next (a long-running scheduler).
    """
    now = ensure_utc(now)
    with structlog.contextvars.bound_contextvars(worker=worker_id):
        refreshed = refresh_deadlines(app, now=now)
        report = deliver_due(
            app,
            now=now,
            worker_id=worker_id,
            channels=channels,
            on_delivery=on_delivery,
            snapshots=snapshots,
        )
        report.refreshed = refreshed
        _log.info(
            "tick",
            refreshed=refreshed,
            sent=report.count("sent"),
            retried=report.count("pending"),
            failed=report.count("failed"),
            cancelled=report.count("cancelled"),
        )
    return report


def deliver_due(
    app: App,
    *,
    now: datetime,
    worker_id: str,
    channels: Mapping[str, Channel],
    on_delivery: Callable[[Delivery], None] | None = None,
    snapshots: SnapshotCache | None = None,
) -> TickReport:
    """The delivering half of a tick, on deadlines as they are stored (no refresh first)."""
    now = ensure_utc(now)
    policy = RetryPolicy.from_settings(app.settings.scheduler)
    report = TickReport(now=now, worker_id=worker_id)
    composer, moment = Composer(app, snapshots), now
    while claims := claim_due(app, now=moment, owner=worker_id, policy=policy):
        batch = _Batch(app, moment, worker_id, policy, channels, composer)
        for delivery in batch.run(claims):
            report.deliveries.append(delivery)
            if on_delivery is not None:
                on_delivery(delivery)
        moment = max(now, ensure_utc(app.clock.now()))
    return report


@dataclass
class _Row:
    """A claimed row on its way through the batch."""

    claim: Claim
    out: Outbound
    outcome: ClaimOutcome | None = None
    recipients: int = 0
    handled: Handled | None = None
    applied: bool = False  # this row is the one whose claim applied the escalation


class _Batch:
    """One claimed batch: withdraw, escalate, render, deliver, record."""

    def __init__(
        self,
        app: App,
        now: datetime,
        owner: str,
        policy: RetryPolicy,
        channels: Mapping[str, Channel],
        composer: Composer,
    ) -> None:
        self.app, self.now, self.owner, self.policy = app, now, owner, policy
        self.channels, self.composer = channels, composer
        self.recorded: dict[int, str | None] = {}

    def run(self, claims: list[Claim]) -> list[Delivery]:
        """Work through the batch. Every outcome reached is recorded before this returns; rows
        not reached (the lease ran short) stay leased and are reported nowhere."""
        outbounds = load_outbounds(self.app, [claim.reminder_id for claim in claims])
        rows = [_Row(claim, outbounds[claim.reminder_id]) for claim in claims]
        self._withdraw_closed(rows)
        self._escalate(rows)
        book = load_recipients(self.app, (row.out for row in rows if row.outcome is None))
        self._address(rows, book)
        ready = [row for row in rows if row.outcome is None]
        try:
            self.composer.prepare(row.out for row in ready)
        except Exception:  # each row is then read on its own, and fails on its own
            _log.error("batch_unprepared", exc_info=True)
        for row in ready:
            if self._lease_used() > self.policy.lease / 3:
                self._record(rows)  # what was delivered so far is recorded while it is safe
                if self._lease_used() > self.policy.lease * 2 / 3:
                    break  # the rest stays leased: a later tick takes it once the lease ends
            self._deliver(row, book)
        self._record(rows)
        return [self._delivery(row) for row in rows if row.claim.reminder_id in self.recorded]

    # --- steps ------------------------------------------------------------------------------

    def _withdraw_closed(self, rows: list[_Row]) -> None:
        for row in rows:
            out = row.out
            if out.deadline_status in ("met", "cancelled"):
                self._cancel(row, f"deadline {out.deadline_key} is {out.deadline_status}")
            elif out.kind == "escalation" and out.due_at > self.now:
                self._cancel(row, f"deadline {out.deadline_key} moved to {out.due_on}")

    def _escalate(self, rows: list[_Row]) -> None:
        due = [row for row in rows if row.outcome is None and row.out.kind == "escalation"]
        if not due:
            return
        results = handle_overdue_many(
            self.app, deadline_ids=[row.out.deadline_id for row in due], now=self.now
        )
        skipped: set[int] = set()
        applied: set[int] = set()
        for row in due:
            deadline_id = row.out.deadline_id
            result = results[deadline_id]
            if isinstance(result, Exception):
                self._fail_on(row, result)
                continue
            if result.action == "fired" and result.version is not None:
                self.composer.moved(row.out.project_id, from_version=result.version)
            if result.action == "skipped":
                skipped.add(deadline_id)
            elif deadline_id not in applied:  # the first row of the deadline reports it
                applied.add(deadline_id)
                row.applied = True
            row.handled = result
        if skipped:
            self._withdraw_closed_meanwhile([row for row in due if row.out.deadline_id in skipped])

    def _withdraw_closed_meanwhile(self, rows: list[_Row]) -> None:
        # `skipped` also means a sibling row already handled it; only met/cancelled stop us.
        current = load_outbounds(self.app, [row.claim.reminder_id for row in rows])
        for row in rows:
            status = current[row.claim.reminder_id].deadline_status
            if status in ("met", "cancelled"):
                self._cancel(row, f"deadline {row.out.deadline_key} was closed before it was due")

    def _address(self, rows: list[_Row], book: RecipientBook) -> None:
        for row in rows:
            if row.outcome is not None:
                continue
            out = row.out
            if out.channel not in self.channels:
                known = ", ".join(sorted(self.channels)) or "none"
                self._fail(row, f"channel '{out.channel}' is not configured (known: {known})")
                continue
            if not book.for_(out) and out.channel not in _NEEDS_NO_RECIPIENTS:
                role = "escalation" if out.kind == "escalation" else "non-escalation"
                self._cancel(row, f"no {out.channel} recipient of the client in a {role} role")

    def _deliver(self, row: _Row, book: RecipientBook) -> None:
        out = row.out
        with structlog.contextvars.bound_contextvars(
            client=out.client_key, project=out.project_ref, reminder=out.reminder_id
        ):
            late = self.policy.is_late(out.fire_at, self.now)
            recipients = book.for_(out)
            try:
                notification = self.composer.notification(
                    out,
                    now=self.now,
                    late=late,
                    handled=row.handled,
                    languages=[recipient.language for recipient in recipients],
                )
            except IsmsFlowError as error:  # e.g. the project's workflow is not installed
                self._fail(row, str(error))
                return
            except Exception as error:  # one broken row must not stop every other delivery
                _log.error("notification_unprepared", exc_info=True)
                self._fail(row, f"{type(error).__name__}: {error}")
                return
            try:
                self.channels[out.channel].send(notification, recipients)
            except (DeliveryError, IsmsFlowError) as error:
                self._fail(row, str(error))
                return
            except Exception as error:  # a broken channel must not stop the other deliveries
                _log.error("channel_crashed", channel=out.channel, exc_info=True)
                self._fail(row, f"{type(error).__name__}: {error}")
                return
        row.outcome = ClaimOutcome(row.claim, "sent", late=late)
        row.recipients = len(recipients)

    def _record(self, rows: list[_Row]) -> None:
        """Record the outcomes not recorded yet."""
        rows = [
            r for r in rows if r.outcome is not None and r.claim.reminder_id not in self.recorded
        ]
        outcomes = [row.outcome for row in rows if row.outcome is not None]
        if outcomes:
            self.recorded.update(
                record_outcomes(
                    self.app, outcomes, owner=self.owner, now=self.now, policy=self.policy
                )
            )
        for row in rows:
            outcome = row.outcome
            if outcome is None or outcome.status == "sent":
                continue
            with structlog.contextvars.bound_contextvars(
                client=row.out.client_key, project=row.out.project_ref, reminder=row.out.reminder_id
            ):
                if outcome.status == "cancelled":
                    _log.info("notification_cancelled", reason=outcome.error)
                else:
                    _log.warning(
                        "notification_not_delivered",
                        channel=row.out.channel,
                        attempts=row.claim.attempts,
                        status=self.recorded.get(row.claim.reminder_id),
                        error=outcome.error,
                    )

    def _lease_used(self) -> timedelta:
        """How much of the batch's lease is gone, on the clock the lease was taken on."""
        return ensure_utc(self.app.clock.now()) - self.now

    # --- outcomes ---------------------------------------------------------------------------

    def _cancel(self, row: _Row, reason: str) -> None:
        row.outcome = ClaimOutcome(row.claim, "cancelled", error=reason)

    def _fail(self, row: _Row, error: str) -> None:
        row.outcome = ClaimOutcome(row.claim, "failed", error=error)

    def _fail_on(self, row: _Row, error: Exception) -> None:
        if isinstance(error, IsmsFlowError):
            self._fail(row, str(error))
        else:
            _log.error("escalation_failed", deadline=row.out.deadline_key, exc_info=error)
            self._fail(row, f"{type(error).__name__}: {error}")

    def _delivery(self, row: _Row) -> Delivery:
        out, outcome = row.out, row.outcome
        assert outcome is not None  # recorded rows all have one
        status = self.recorded[row.claim.reminder_id] or "lost"
        handled = row.handled if row.applied else None
        return Delivery(
            reminder_id=out.reminder_id,
            idempotency_key=out.idempotency_key,
            project=out.project_ref,
            kind=out.kind,
            channel=out.channel,
            deadline=out.deadline_key,
            due_on=out.due_on.isoformat(),
            offset_days=out.offset_days,
            status=status,
            late=outcome.late,
            recipients=row.recipients,
            error=outcome.error,
            escalation=handled.action if handled else None,
            trigger=handled.trigger if handled else None,
            from_state=handled.from_state if handled else None,
            to_state=handled.to_state if handled else None,
            project_id=out.project_id,
            deadline_kind=out.deadline_kind,
            fire_at=out.fire_at,
        )
