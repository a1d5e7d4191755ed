"""The outbox's bookkeeping: claim due rows with a lease, then record what delivery did.

A row moves `pending → sending` when a dispatcher claims it (its name and a lease end are
written, `attempts` counts the claim) and from `sending` to `sent`, back to `pending` with a
later `next_attempt_at` (a retry), to `failed` (gave up) or to `cancelled`. A record only lands
while the row is still leased to the dispatcher that claimed it, so two dispatchers never both
record one row. A dispatcher killed mid-delivery leaves `sending` rows whose lease runs out;
the next claim takes them again.

A batch is claimed by ONE statement (docs/scheduling.md §5): `UPDATE … WHERE id IN (SELECT
the oldest due, unleased rows LIMIT n) RETURNING id, attempts` — on PostgreSQL the select is a
`FOR UPDATE SKIP LOCKED` CTE joined to the UPDATE, so concurrent dispatchers take disjoint
batches; on SQLite (one writer at a time) the statement is atomic by itself. The outcomes of a
delivered batch are recorded together in one short transaction (`record_outcomes`): one
statement per kind of outcome, each naming the rows and checking the lease, so ten thousand
deliveries cost a few dozen statements instead of ten thousand transactions.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from sqlalchemy import bindparam, or_, select, update

from isms_flow.bootstrap import App
from isms_flow.config import SchedulerSettings
from isms_flow.services.retry import VersionPin, retry_on_conflict
from isms_flow.store.tables.schedule import ReminderRow
from isms_flow.store.unit_of_work import conflicts_mapped

__all__ = [
    "LIVE",
    "Claim",
    "ClaimOutcome",
    "RetryPolicy",
    "claim_due",
    "record_cancelled",
    "record_failure",
    "record_outcomes",
    "record_sent",
]

LIVE = ("pending", "sending")
"""Statuses of rows a dispatcher may still deliver."""

_CHUNK = 500  # ids per IN (...) list: well inside every database's parameter limit


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


OutcomeStatus = Literal["sent", "failed", "cancelled"]


@dataclass(frozen=True)
class ClaimOutcome:
    """What delivery did with a claimed row, to be recorded.

    `failed` is a failed attempt: the record makes it a retry (`pending`) or, after the last
    attempt, `failed` for good.
    """

    claim: Claim
    status: OutcomeStatus
    late: bool = False
    error: str = ""


_due = (
    ReminderRow.status.in_(LIVE),
    ReminderRow.next_attempt_at <= bindparam("now"),
    or_(ReminderRow.lease_until.is_(None), ReminderRow.lease_until < bindparam("now")),
)
_OLDEST_DUE: Any = (
    select(ReminderRow.id)
    .where(*_due)
    .order_by(ReminderRow.fire_at, ReminderRow.id)
    .limit(bindparam("limit"))
)
_TAKE = (
    update(ReminderRow)
    # The outer condition repeats "due and not leased": it is what makes the claim safe,
    # whatever the inner select saw.
    .where(*_due)
    .values(
        status="sending",
        lease_owner=bindparam("owner"),
        lease_until=bindparam("lease_until"),
        attempts=ReminderRow.attempts + 1,
    )
    .returning(ReminderRow.id, ReminderRow.attempts, ReminderRow.fire_at)
)
# Built once, run with parameters: building a statement costs more than running it.
_CLAIM = _TAKE.where(ReminderRow.id.in_(_OLDEST_DUE.scalar_subquery()))
# On PostgreSQL the locking select runs once, as a MATERIALIZED CTE: written as `id IN
# (subquery)` the planner may pick a nested-loop semi-join that re-runs the LIMIT…FOR UPDATE
# SKIP LOCKED subquery for every outer row, each run locking one more row past the limit, so
# one claim took every due row whatever `batch_size` said.
_PICKED = _OLDEST_DUE.with_for_update(skip_locked=True).cte("picked").prefix_with("MATERIALIZED")
_CLAIM_LOCKED = _TAKE.where(ReminderRow.id == _PICKED.c.id)


def claim_due(
    app: App, *, now: datetime, owner: str, policy: RetryPolicy, limit: int | None = None
) -> list[Claim]:
    """Lease up to `limit` due rows to `owner`, oldest `fire_at` first; rows others hold are
    skipped, never waited for."""
    params = {
        "now": now,
        "owner": owner,
        "lease_until": now + policy.lease,
        "limit": limit or policy.batch_size,
    }
    statement = _CLAIM_LOCKED if app.engine.dialect.name == "postgresql" else _CLAIM

    def attempt(pin: VersionPin) -> list[Claim]:
        # A write first: on SQLite the transaction waits for the write lock instead of
        # reading a snapshot that another dispatcher's claim may make stale.
        with conflicts_mapped(), app.engine.begin() as connection:
            rows = sorted(
                connection.execute(statement, params), key=lambda row: (row.fire_at, row.id)
            )
        return [Claim(reminder_id=row.id, attempts=row.attempts) for row in rows]

    return retry_on_conflict(attempt)


_HELD = (
    ReminderRow.status == "sending",
    ReminderRow.lease_owner == bindparam("owner"),
)
_RELEASE = update(ReminderRow).where(*_HELD).values(lease_owner=None, lease_until=None)
_SENT_MANY = (
    _RELEASE.where(ReminderRow.id.in_(bindparam("ids", expanding=True)))
    .values(status="sent", sent_at=bindparam("sent_at"), late=bindparam("late"), last_error="")
    .returning(ReminderRow.id)
)
_ONE = _RELEASE.where(ReminderRow.id == bindparam("reminder_id"))
_RETRY = _ONE.values(
    status="pending", next_attempt_at=bindparam("retry_at"), last_error=bindparam("error")
)
_FAILED = _ONE.values(status="failed", last_error=bindparam("error"))
# The claim counted an attempt; a row withdrawn unsent was never tried.
_CANCELLED = _ONE.values(
    status="cancelled", last_error=bindparam("error"), attempts=ReminderRow.attempts - 1
)


def _final_status(outcome: ClaimOutcome, policy: RetryPolicy) -> str:
    if outcome.status != "failed":
        return outcome.status
    return "failed" if outcome.claim.attempts >= policy.max_attempts else "pending"


def record_outcomes(
    app: App,
    outcomes: Sequence[ClaimOutcome],
    *,
    owner: str,
    now: datetime,
    policy: RetryPolicy,
) -> dict[int, str | None]:
    """Record a batch of outcomes in one transaction, each only while `owner` still holds it.

    Returns each row's new status (`sent`, `pending` for a retry, `failed`, `cancelled`), or
    None for a row another dispatcher took over after this one's lease ran out.
    """
    if not outcomes:
        return {}
    sent: dict[bool, list[int]] = defaultdict(list)
    singles: list[tuple[Any, dict[str, Any]]] = []  # statement, parameters
    for outcome in outcomes:
        row = outcome.claim.reminder_id
        if outcome.status == "sent":
            sent[outcome.late].append(row)
        elif outcome.status == "cancelled":
            singles.append((_CANCELLED, {"reminder_id": row, "error": outcome.error}))
        elif _final_status(outcome, policy) == "failed":
            singles.append((_FAILED, {"reminder_id": row, "error": outcome.error}))
        else:
            retry_at = now + policy.delay_after(outcome.claim.attempts)
            singles.append(
                (_RETRY, {"reminder_id": row, "error": outcome.error, "retry_at": retry_at})
            )

    def attempt(pin: VersionPin) -> set[int]:
        # Plain connection, no session: this is the dispatcher's hot path.
        recorded: set[int] = set()
        with conflicts_mapped(), app.engine.begin() as connection:
            for late, ids in sent.items():
                for start in range(0, len(ids), _CHUNK):
                    params = {
                        "ids": ids[start : start + _CHUNK],
                        "owner": owner,
                        "sent_at": now,
                        "late": late,
                    }
                    recorded.update(connection.execute(_SENT_MANY, params).scalars())
            for statement, values in singles:
                row_id: int = values["reminder_id"]
                if connection.execute(statement, {**values, "owner": owner}).rowcount == 1:
                    recorded.add(row_id)
        return recorded

    recorded = retry_on_conflict(attempt)
    return {
        o.claim.reminder_id: _final_status(o, policy) if o.claim.reminder_id in recorded else None
        for o in outcomes
    }


def _record_one(app: App, outcome: ClaimOutcome, owner: str, now: datetime) -> str | None:
    policy = RetryPolicy.from_settings(app.settings.scheduler)
    return record_outcomes(app, [outcome], owner=owner, now=now, policy=policy)[
        outcome.claim.reminder_id
    ]


def record_sent(app: App, claim: Claim, *, owner: str, now: datetime, late: bool) -> bool:
    """Mark a delivered row `sent`; False if another dispatcher took it over meanwhile."""
    return _record_one(app, ClaimOutcome(claim, "sent", late=late), owner, now) is not None


def record_failure(
    app: App, claim: Claim, *, owner: str, now: datetime, error: str, policy: RetryPolicy
) -> str | None:
    """After a failed delivery: retry later with backoff, or give up after the last attempt.

    Returns the row's new status (`pending` or `failed`), None if the lease was lost.
    """
    outcome = ClaimOutcome(claim, "failed", error=error)
    return record_outcomes(app, [outcome], owner=owner, now=now, policy=policy)[claim.reminder_id]


def record_cancelled(app: App, claim: Claim, *, owner: str, reason: str) -> bool:
    """Withdraw a row that must not be delivered (its deadline was met or cancelled)."""
    outcome = ClaimOutcome(claim, "cancelled", error=reason)
    return _record_one(app, outcome, owner, app.clock.now()) is not None
