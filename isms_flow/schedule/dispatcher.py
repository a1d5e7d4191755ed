"""The outbox dispatcher: one `tick(now)` delivers everything that is due, exactly once.

A tick refreshes stale deadlines, then repeatedly claims a batch of due rows with a lease
(`schedule.claims`), and for each row: withdraws it if its deadline was met or cancelled,
applies an escalation's `on_overdue` once (`schedule.escalations`), renders the message
(`schedule.notices`), hands it to the row's channel with the row's idempotency key, and
records the result in its own short transaction. Delivery happens outside any database
transaction: no lock is held while an SMTP server or a webhook receiver takes its time.

Exactly once, also across crashes: a row is recorded `sent` only after its channel accepted
it; a process killed in between leaves the row `sending` until its lease runs out, and the next
tick delivers it again with the same idempotency key, which the receiver uses to drop the
repeat (docs/scheduling.md §5).
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

import structlog

from isms_flow.bootstrap import App
from isms_flow.clock import ensure_utc
from isms_flow.errors import IsmsFlowError
from isms_flow.schedule.channels.base import Channel, DeliveryError, Recipient
from isms_flow.schedule.claims import (
    Claim,
    RetryPolicy,
    claim_due,
    record_cancelled,
    record_failure,
    record_sent,
)
from isms_flow.schedule.escalations import Handled, handle_overdue
from isms_flow.schedule.notices import Composer
from isms_flow.schedule.outbound import Outbound, RecipientBook, load_outbounds, load_recipients
from isms_flow.services.deadlines import refresh_deadlines

__all__ = ["Delivery", "TickReport", "new_worker_id", "tick"]

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
            "deliveries": [asdict(delivery) for delivery in self.deliveries],
        }


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
) -> TickReport:
    """Refresh deadlines, then deliver every due row; `on_delivery` hears of each as it ends.

    `now` is when the tick starts. A long tick reads `app.clock` again before each batch so a
    lease taken late in the tick still lasts its full length (never earlier than `now`).
    """
    now = ensure_utc(now)
    policy = RetryPolicy.from_settings(app.settings.scheduler)
    report = TickReport(now=now, worker_id=worker_id)
    with structlog.contextvars.bound_contextvars(worker=worker_id):
        report.refreshed = refresh_deadlines(app, now=now)
        composer, moment = Composer(app), now
        while claims := claim_due(app, now=moment, owner=worker_id, policy=policy):
            outbounds = load_outbounds(app, [claim.reminder_id for claim in claims])
            book = load_recipients(app, outbounds.values())
            for claim in claims:
                attempt = _Attempt(
                    app, claim, outbounds[claim.reminder_id], moment, worker_id, policy
                )
                delivery = attempt.run(channels, book, composer)
                report.deliveries.append(delivery)
                if on_delivery is not None:
                    on_delivery(delivery)
            moment = max(now, ensure_utc(app.clock.now()))
        _log.info(
            "tick",
            refreshed=report.refreshed,
            sent=report.count("sent"),
            retried=report.count("pending"),
            failed=report.count("failed"),
            cancelled=report.count("cancelled"),
        )
    return report


@dataclass
class _Attempt:
    """One claimed row on its way through the dispatcher."""

    app: App
    claim: Claim
    outbound: Outbound
    now: datetime
    owner: str
    policy: RetryPolicy

    def run(
        self, channels: Mapping[str, Channel], book: RecipientBook, composer: Composer
    ) -> Delivery:
        """Deliver the row or say why not; every outcome is recorded before this returns."""
        out = self.outbound
        with structlog.contextvars.bound_contextvars(
            client=out.client_key, project=out.project_ref, reminder=out.reminder_id
        ):
            return self._run(channels, book, composer)

    def _run(
        self, channels: Mapping[str, Channel], book: RecipientBook, composer: Composer
    ) -> Delivery:
        try:
            ready = self._prepare(channels, book, composer)
        except IsmsFlowError as error:  # e.g. the project's workflow version is not installed
            return self._fail(str(error))
        except Exception as error:  # one broken row must not stop every other delivery
            _log.error("notification_unprepared", exc_info=True)
            return self._fail(f"{type(error).__name__}: {error}")
        if isinstance(ready, Delivery):
            return ready
        channel, recipients, escalation = ready
        out = self.outbound
        late = self.policy.is_late(out.fire_at, self.now)
        try:
            notification = composer.notification(out, now=self.now, late=late)
            channel.send(notification, recipients)
        except (DeliveryError, IsmsFlowError) as error:
            return self._fail(str(error), escalation)
        except Exception as error:  # a broken channel must not stop the other deliveries
            _log.error("channel_crashed", channel=out.channel, exc_info=True)
            return self._fail(f"{type(error).__name__}: {error}", escalation)
        recorded = record_sent(self.app, self.claim, owner=self.owner, now=self.now, late=late)
        status = "sent" if recorded else "lost"
        return self._delivery(status, late=late, recipients=len(recipients), escalation=escalation)

    def _prepare(
        self, channels: Mapping[str, Channel], book: RecipientBook, composer: Composer
    ) -> Delivery | tuple[Channel, list[Recipient], str | None]:
        """Withdraw, escalate and address the row; a Delivery when it ends here."""
        out = self.outbound
        if out.deadline_status in ("met", "cancelled"):
            return self._cancel(f"deadline {out.deadline_key} is {out.deadline_status}")
        handled: Handled | None = None
        if out.kind == "escalation":
            if out.due_at > self.now:
                return self._cancel(f"deadline {out.deadline_key} moved to {out.due_on}")
            handled = handle_overdue(self.app, deadline_id=out.deadline_id, now=self.now)
            if handled.action == "fired":
                composer.forget(out.project_id)
            if handled.action == "skipped" and self._closed_meanwhile():
                return self._cancel(f"deadline {out.deadline_key} was closed before it was due")
        escalation = handled.action if handled and handled.action != "skipped" else None
        channel = channels.get(out.channel)
        if channel is None:
            known = ", ".join(sorted(channels)) or "none"
            return self._fail(f"channel '{out.channel}' is not configured (known: {known})")
        recipients = book.for_(out)
        if not recipients and out.channel not in _NEEDS_NO_RECIPIENTS:
            role = "escalation" if out.kind == "escalation" else "non-escalation"
            return self._cancel(f"no {out.channel} recipient of the client in a {role} role")
        return channel, recipients, escalation

    def _closed_meanwhile(self) -> bool:
        # `skipped` also means a sibling row already handled it; only met/cancelled stop us.
        current = load_outbounds(self.app, [self.claim.reminder_id])[self.claim.reminder_id]
        return current.deadline_status in ("met", "cancelled")

    def _cancel(self, reason: str) -> Delivery:
        done = record_cancelled(self.app, self.claim, owner=self.owner, reason=reason)
        _log.info("notification_cancelled", reason=reason)
        return self._delivery("cancelled" if done else "lost", error=reason)

    def _fail(self, error: str, escalation: str | None = None) -> Delivery:
        status = record_failure(
            self.app, self.claim, owner=self.owner, now=self.now, error=error, policy=self.policy
        )
        _log.warning(
            "notification_not_delivered",
            channel=self.outbound.channel,
            attempts=self.claim.attempts,
            status=status,
            error=error,
        )
        return self._delivery(status or "lost", error=error, escalation=escalation)

    def _delivery(
        self,
        status: str,
        *,
        late: bool = False,
        recipients: int = 0,
        error: str = "",
        escalation: str | None = None,
    ) -> Delivery:
        out = self.outbound
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
            late=late,
            recipients=recipients,
            error=error,
            escalation=escalation,
        )
