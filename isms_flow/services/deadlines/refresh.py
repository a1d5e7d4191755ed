"""Refresh the deadline rows and their outbox from what happened (docs/scheduling.md §3–4).

The write path never computes deadlines: every change bumps `projects.version`, and a project
whose version differs from `schedule_state.computed_version` (or was never computed) is
recomputed here, in batches, with a fixed number of queries per batch. Deadlines are upserted
by their stable key; one whose basis is gone is cancelled. Outbox rows are reconciled: a row
that no longer applies (its deadline moved, was met or cancelled, or its channel or offset is
no longer configured) is cancelled if it was not sent yet, never deleted; rows already sent
stay sent; new rows are created for what is now needed.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

import structlog
from sqlalchemy import bindparam, delete, insert

from isms_flow.bootstrap import App
from isms_flow.clock import ensure_utc
from isms_flow.errors import NotFound, WorkflowDefinitionError
from isms_flow.schedule.deadlines import (
    DeliveryPlan,
    compute_deadlines,
    day_start,
    overdue_at,
    plan_deliveries,
)
from isms_flow.schedule.timeline import Deadline, Timeline
from isms_flow.services.deadlines.offsets import client_channels, client_offsets, offsets_for
from isms_flow.services.deadlines.rows import (
    StoredDeadline,
    StoredReminder,
    Writes,
    apply_writes,
    insert_deadlines,
    stored_deadlines,
    stored_reminders,
)
from isms_flow.services.deadlines.timeline import ProjectHead, load_timelines, stale_projects
from isms_flow.services.retry import VersionPin, retry_on_conflict
from isms_flow.store.models import Base
from isms_flow.store.tables.schedule import ScheduleStateRow
from isms_flow.store.unit_of_work import conflicts_mapped
from isms_flow.workflow.schema import WorkflowDefinition

__all__ = ["BATCH", "refresh_deadlines"]

BATCH = 500
"""Projects recomputed per transaction."""

_NO_PLAN = DeliveryPlan((), frozenset())
_STATES = Base.metadata.tables[ScheduleStateRow.__tablename__]
_FORGET_STATES = delete(_STATES).where(_STATES.c.project_id.in_(bindparam("ids", expanding=True)))
_INSERT_STATE = insert(_STATES)
_log = structlog.get_logger(__name__)


def refresh_deadlines(app: App, *, now: datetime, project_ids: Iterable[int] | None = None) -> int:
    """Recompute the deadlines of every project whose version moved; return how many.

    `project_ids` limits the refresh to those projects (e.g. the ones a listing shows).
    """
    moment = ensure_utc(now)
    among = None if project_ids is None else frozenset(project_ids)
    if among is not None and not among:
        return 0
    total, after = 0, 0
    while True:
        done, last, fetched = retry_on_conflict(partial(_refresh_batch, app, moment, among, after))
        total, after = total + done, last
        if fetched < BATCH:  # the last batch was not full: nothing is left to look at
            return total


@dataclass
class _Pending:
    """A deadline whose outbox rows are reconciled once its row id is known."""

    head: ProjectHead
    deadline: Deadline
    offsets: tuple[int, ...]
    row_id: int | None


def _refresh_batch(
    app: App, now: datetime, among: Collection[int] | None, after: int, pin: VersionPin
) -> tuple[int, int, int]:
    """Refresh the next batch of stale projects: (how many, the last id looked at, how many
    were found stale)."""
    with app.uow() as uow:
        session = uow.session
        heads = stale_projects(session, now=now, after=after, limit=BATCH, among=among)
        if not heads:
            return 0, after, 0
        last, fetched = heads[-1].id, len(heads)
        workflows = _workflows(app, heads)
        heads = [h for h in heads if (h.workflow_name, h.workflow_version) in workflows]
        if not heads:
            return 0, last, fetched
        ids = [head.id for head in heads]
        kinds = {
            kind for d in workflows.values() for rule in d.deadlines.rules for kind in rule.kinds
        }
        timelines = load_timelines(session, heads, kinds, now=now)
        client_ids = {head.client_id for head in heads}
        channels = client_channels(session, client_ids)
        own_offsets = client_offsets(session, client_ids)
        stored = stored_deadlines(session, ids)
        writes = Writes()
        pending: list[_Pending] = []
        for head in heads:
            definition = workflows[(head.workflow_name, head.workflow_version)]
            computed = compute_deadlines(definition, timelines[head.id])
            own = own_offsets.get(head.client_id, {})
            pending += _reconcile_deadlines(
                head, definition, computed, stored.pop(head.id, {}), own, writes, now
            )
        with conflicts_mapped():
            new_ids = insert_deadlines(session, writes.new_deadlines)
            reminders = stored_reminders(session, ids)
            for item in pending:
                row_id = item.row_id or new_ids[(item.head.id, item.deadline.key)]
                plan = (
                    plan_deliveries(
                        item.head.id,
                        item.deadline,
                        offsets=item.offsets,
                        channels=channels[item.head.client_id],
                        timezone=item.head.timezone,
                        now=now,
                    )
                    if item.deadline.status == "open"
                    else _NO_PLAN
                )
                _reconcile_reminders(item.head, row_id, plan, reminders, writes, now)
            apply_writes(session, writes)
            connection = session.connection()
            connection.execute(_FORGET_STATES, {"ids": ids})
            connection.execute(
                _INSERT_STATE,
                [
                    {
                        "project_id": h.id,
                        "computed_version": h.version,
                        "computed_at": now,
                        "recheck_at": _recheck_at(timelines[h.id], h.timezone),
                    }
                    for h in heads
                ],
            )
        uow.commit()
    return len(heads), last, fetched


def _recheck_at(timeline: Timeline, timezone: str) -> datetime | None:
    day = timeline.next_recheck
    return None if day is None else day_start(day, timezone)


def _workflows(app: App, heads: Iterable[ProjectHead]) -> dict[tuple[str, int], WorkflowDefinition]:
    """The workflow of each project; a project whose workflow is not installed is skipped (and
    logged) so that it cannot hold up every other project's reminders."""
    found: dict[tuple[str, int], WorkflowDefinition] = {}
    for key in sorted({(h.workflow_name, h.workflow_version) for h in heads}):
        try:
            found[key] = app.catalog.get(*key).definition
        except (NotFound, WorkflowDefinitionError) as error:
            _log.warning("deadlines_skipped", workflow=key[0], version=key[1], reason=str(error))
    return found


def _reconcile_deadlines(
    head: ProjectHead,
    definition: WorkflowDefinition,
    computed: Iterable[Deadline],
    stored: dict[str, StoredDeadline],
    own: dict[str, tuple[int, ...]],
    writes: Writes,
    now: datetime,
) -> list[_Pending]:
    section = definition.deadlines
    pending: list[_Pending] = []
    for deadline in computed:
        offsets = offsets_for(section, section.rule(deadline.kind), own)
        row = stored.pop(deadline.key, None)
        status: str = deadline.status
        # The dispatcher marks a missed deadline `overdue` once it acted; that stays while the
        # deadline is still the same one and was not met since.
        if row is not None and row.status == "overdue" and row.due_on == deadline.due_on:
            status = "met" if deadline.status == "met" else "overdue"
        values: dict[str, Any] = {
            "kind": deadline.kind,
            "due_on": deadline.due_on,
            "due_at": overdue_at(deadline.due_on, head.timezone),
            "status": status,
            "on_overdue": deadline.on_overdue,
            "basis": deadline.basis,
        }
        if row is None:
            writes.new_deadlines.append(
                {
                    "project_id": head.id,
                    "key": deadline.key,
                    **values,
                    "computed_at": now,
                    "overdue_handled_at": None,
                }
            )
        elif any(getattr(row, name) != value for name, value in values.items()):
            handled = row.overdue_handled_at if row.due_on == deadline.due_on else None
            writes.changed_deadlines.append(
                {
                    "row_id": row.id,
                    "was": row.status,
                    **values,
                    "computed_at": now,
                    "overdue_handled_at": handled,
                }
            )
        pending.append(_Pending(head, deadline, offsets, None if row is None else row.id))
    for row in stored.values():  # its basis is gone (a finding deleted, a rule removed)
        if row.status in ("open", "overdue"):
            writes.changed_deadlines.append(
                {
                    "row_id": row.id,
                    "was": row.status,
                    "kind": row.kind,
                    "due_on": row.due_on,
                    "due_at": row.due_at,
                    "status": "cancelled",
                    "on_overdue": row.on_overdue,
                    "basis": {**row.basis, "gone": True},
                    "computed_at": now,
                    "overdue_handled_at": row.overdue_handled_at,
                }
            )
        gone = Deadline(row.key, row.kind, row.due_on, "cancelled")
        pending.append(_Pending(head, gone, (), row.id))
    return pending


def _reconcile_reminders(
    head: ProjectHead,
    deadline_id: int,
    plan: DeliveryPlan,
    reminders: dict[int, dict[str, StoredReminder]],
    writes: Writes,
    now: datetime,
) -> None:
    existing = reminders.get(deadline_id, {})
    for key, reminder in existing.items():
        if reminder.status == "pending" and key not in plan.valid_keys:
            writes.cancelled_reminders.append(reminder.id)
    for delivery in plan.create:
        found = existing.get(delivery.idempotency_key)
        if found is None:
            writes.new_reminders.append(
                {
                    "deadline_id": deadline_id,
                    "project_id": head.id,
                    "kind": delivery.kind,
                    "offset_days": delivery.offset_days,
                    "channel": delivery.channel,
                    "fire_at": delivery.fire_at,
                    "status": "pending",
                    "attempts": 0,
                    "next_attempt_at": delivery.fire_at,
                    "lease_owner": None,
                    "lease_until": None,
                    "idempotency_key": delivery.idempotency_key,
                    "late": False,
                    "sent_at": None,
                    "last_error": "",
                    "created_at": now,
                }
            )
        elif found.status == "cancelled":  # the deadline moved back: the reminder applies again
            writes.revived_reminders.append(
                {
                    "row_id": found.id,
                    "fire_at": delivery.fire_at,
                    "next_attempt_at": delivery.fire_at,
                }
            )
