"""The outbox's bookkeeping: claim due rows with a lease, then record what delivery did.

A row moves `pending → sending` when a dispatcher claims it (its name and a lease end are
written, `attempts` counts the claim) and from `sending` to `sent`, back to `pending` with a
later `next_attempt_at` (a retry), to `failed` (gave up) or to `cancelled`. Each step is its own
short transaction, and a record only lands while the row is still leased to the dispatcher that
claimed it, so two dispatchers never both record one row. A dispatcher killed mid-delivery
leaves a `sending` row whose lease runs out; the next claim takes it again.

Claiming follows docs/scheduling.md §5: on PostgreSQL the due rows are selected `FOR UPDATE
SKIP LOCKED`, so concurrent dispatchers take disjoint batches; on SQLite (one writer at a time)
the candidates are read first and each is taken by a conditional UPDATE whose row count says
whether this dispatcher won it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from sqlalchemy import bindparam, or_, select, update

from isms_flow.bootstrap import App
from isms_flow.config import SchedulerSettings
from isms_flow.services.retry import VersionPin, retry_on_conflict
from isms_flow.store.tables.schedule import ReminderRow
from isms_flow.store.unit_of_work import UnitOfWork, conflicts_mapped

__all__ = [
    "Claim",
    "RetryPolicy",
    "claim_due",
    "record_cancelled",
    "record_failure",
    "record_sent",
]

LIVE = ("pending", "sending")
"""Statuses of rows a dispatcher may still deliver."""


@dataclass(frozen=True)
class RetryPolicy:
    """How long a claim lasts, how often delivery is tried, and when a delivery is late."""

    lease: timedelta
    max_attempts: int
    backoff: timedelta
    backoff_max: timedelta
    catch_up_grace: timedelta
    batch_size: int

    @classmethod
    def from_settings(cls, settings: SchedulerSettings) -> RetryPolicy:
        """The policy the `[scheduler]` settings describe."""
        return cls(
            lease=timedelta(seconds=settings.lease_seconds),
            max_attempts=settings.max_attempts,
            backoff=timedelta(seconds=settings.backoff_seconds),
            backoff_max=timedelta(seconds=settings.backoff_max_seconds),
            catch_up_grace=timedelta(seconds=settings.catch_up_grace_seconds),
            batch_size=settings.batch_size,
        )

    def delay_after(self, attempts: int) -> timedelta:
        """Wait before the next try after `attempts` failed ones: doubling, capped."""
        # Exponent capped so a large attempt count cannot overflow timedelta before the cap.
        doubled = self.backoff * (1 << min(max(attempts - 1, 0), 30))
        return min(doubled, self.backoff_max)

    def is_late(self, fire_at: datetime, claimed_at: datetime) -> bool:
        """Delivered more than the catch-up grace after it was due (e.g. sent on start-up)."""
        return claimed_at - fire_at > self.catch_up_grace


@dataclass(frozen=True)
class Claim:
    """A row this dispatcher holds: its id and how many times it has now been claimed."""

    reminder_id: int
    attempts: int


_table = ReminderRow.__table__
_due = (
    ReminderRow.status.in_(LIVE),
    ReminderRow.next_attempt_at <= bindparam("now"),
    or_(ReminderRow.lease_until.is_(None), ReminderRow.lease_until < bindparam("now")),
)
_CANDIDATES: Any = (
    select(ReminderRow.id)
    .where(*_due)
    .order_by(ReminderRow.fire_at, ReminderRow.id)
    .limit(bindparam("limit"))
)
# The claim re-checks "due and not leased" itself: whatever was read before may be stale.
_TAKE = (
    update(ReminderRow)
    .where(ReminderRow.id == bindparam("reminder_id"), *_due)
    .values(
        status="sending",
        lease_owner=bindparam("owner"),
        lease_until=bindparam("lease_until"),
        attempts=ReminderRow.attempts + 1,
    )
)
_ATTEMPTS = select(ReminderRow.id, ReminderRow.attempts).where(
    ReminderRow.id.in_(bindparam("ids", expanding=True))
)
_HELD = (
    ReminderRow.id == bindparam("reminder_id"),
    ReminderRow.status == "sending",
    ReminderRow.lease_owner == bindparam("owner"),
)


def claim_due(
    app: App, *, now: datetime, owner: str, policy: RetryPolicy, limit: int | None = None
) -> list[Claim]:
    """Lease up to `limit` due rows to `owner`, oldest `fire_at` first; rows others hold are
    skipped, never waited for."""
    size = limit or policy.batch_size
    params = {"now": now, "owner": owner, "lease_until": now + policy.lease}
    if app.engine.dialect.name == "postgresql":
        return retry_on_conflict(lambda pin: _claim_locked(app, params, size))
    # SQLite: read the candidates in one transaction, take them in another that starts with
    # a write, so it waits for the write lock instead of failing on a snapshot gone stale.
    while True:
        with app.uow() as uow:
            ids = _candidates(uow, now, size)
        if not ids:
            return []
        claims = retry_on_conflict(partial(_take, app, ids, params))
        if claims:
            return claims
        # Another dispatcher took every candidate first; what it holds is not read again.


def _candidates(uow: UnitOfWork, now: datetime, size: int, *, lock: bool = False) -> list[int]:
    query = _CANDIDATES.with_for_update(skip_locked=True) if lock else _CANDIDATES
    rows = uow.session.connection().execute(query, {"now": now, "limit": size})
    return [row.id for row in rows]


def _claim_locked(app: App, params: dict[str, Any], size: int) -> list[Claim]:
    with app.uow() as uow:
        ids = _candidates(uow, params["now"], size, lock=True)
        claims = _take_in(uow, ids, params)
        uow.commit()
    return claims


def _take(
    app: App, ids: Sequence[int], params: dict[str, Any], pin: VersionPin | None = None
) -> list[Claim]:
    with app.uow() as uow:
        claims = _take_in(uow, ids, params)
        uow.commit()
    return claims


def _take_in(uow: UnitOfWork, ids: Sequence[int], params: dict[str, Any]) -> list[Claim]:
    won = [i for i in ids if uow.execute_write(_TAKE, {**params, "reminder_id": i}).rowcount == 1]
    if not won:
        return []
    rows = uow.session.connection().execute(_ATTEMPTS, {"ids": won})
    attempts = {row.id: row.attempts for row in rows}
    return [Claim(reminder_id=i, attempts=attempts[i]) for i in won]


# Built once, run with parameters: building a statement costs more than running it.
_RELEASE = update(ReminderRow).where(*_HELD).values(lease_owner=None, lease_until=None)
_SENT = _RELEASE.values(
    status="sent", sent_at=bindparam("sent_at"), late=bindparam("late"), last_error=""
)
_RETRY = _RELEASE.values(
    status="pending", next_attempt_at=bindparam("retry_at"), last_error=bindparam("error")
)
_FAILED = _RELEASE.values(status="failed", last_error=bindparam("error"))
# The claim counted an attempt; a row withdrawn unsent was never tried.
_CANCELLED = _RELEASE.values(
    status="cancelled", last_error=bindparam("error"), attempts=ReminderRow.attempts - 1
)


def _record(app: App, statement: Any, claim: Claim, owner: str, **values: Any) -> bool:
    """Run a record statement on a row still leased to `owner`; False when it was lost."""
    params = {"reminder_id": claim.reminder_id, "owner": owner, **values}

    def attempt(pin: VersionPin) -> bool:
        # One statement on a plain connection: the record after every delivery is the
        # dispatcher's hot path, and a session would add nothing but cost.
        with conflicts_mapped(), app.engine.begin() as connection:
            return connection.execute(statement, params).rowcount == 1

    return retry_on_conflict(attempt)


def record_sent(app: App, claim: Claim, *, owner: str, now: datetime, late: bool) -> bool:
    """Mark a delivered row `sent`; False if another dispatcher took it over meanwhile."""
    return _record(app, _SENT, claim, owner, sent_at=now, late=late)


def record_failure(
    app: App, claim: Claim, *, owner: str, now: datetime, error: str, policy: RetryPolicy
) -> str | None:
    """After a failed delivery: retry later with backoff, or give up after the last attempt.

    Returns the row's new status (`pending` or `failed`), None if the lease was lost.
    """
    if claim.attempts >= policy.max_attempts:
        return "failed" if _record(app, _FAILED, claim, owner, error=error) else None
    retry_at = now + policy.delay_after(claim.attempts)
    done = _record(app, _RETRY, claim, owner, retry_at=retry_at, error=error)
    return "pending" if done else None


def record_cancelled(app: App, claim: Claim, *, owner: str, reason: str) -> bool:
    """Withdraw a row that must not be delivered (its deadline was met or cancelled)."""
    return _record(app, _CANCELLED, claim, owner, error=reason)
