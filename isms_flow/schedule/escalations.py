"""What happens, exactly once, when a deadline passes unmet: docs/scheduling.md "Escalations".

The rule's `on_overdue` names a trigger of the workflow (`suspend`, `expire`, `withdraw`…),
`escalate`, or nothing. A trigger is fired as the actor `scheduler` with guards bypassed — the
way a certification body's decision bypasses them — and its `state_changed` event says which
deadline caused it. Every case appends a `deadline_overdue` event and marks the deadline
`overdue`.

Exactly once: the first statement of the transaction is a conditional UPDATE that flips the
deadline from `open` to `overdue`; only the dispatcher whose UPDATE matched goes on, and the
trigger, the events and the flip commit together or not at all. A deadline has one escalation
row per channel; whichever is claimed first does the work, the others only deliver.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import structlog
from sqlalchemy import bindparam, update
from sqlalchemy.orm import Session

from isms_flow.bootstrap import App
from isms_flow.services.retry import VersionPin, retry_on_conflict
from isms_flow.services.snapshots import bound_project
from isms_flow.store.events import append_event
from isms_flow.store.models import ProjectRow
from isms_flow.store.tables.schedule import DeadlineRow
from isms_flow.store.unit_of_work import UnitOfWork
from isms_flow.workflow.deadline_section import ESCALATE

__all__ = ["SCHEDULER_ACTOR", "Handled", "handle_overdue"]

SCHEDULER_ACTOR = "scheduler"
"""Who the history names for what the scheduler does on its own."""

_log = structlog.get_logger(__name__)

_MARK_OVERDUE = (
    update(DeadlineRow)
    .where(
        DeadlineRow.id == bindparam("deadline_id"),
        DeadlineRow.status == "open",
        DeadlineRow.overdue_handled_at.is_(None),
        DeadlineRow.due_at <= bindparam("now"),
    )
    .values(status="overdue", overdue_handled_at=bindparam("now"))
)


@dataclass(frozen=True)
class Handled:
    """What this call did: `fired`, `not_applicable`, `escalated`, `none`, or `skipped` when
    the deadline was not open any more (handled already, met, or cancelled)."""

    action: str
    trigger: str | None = None
    from_state: str | None = None
    to_state: str | None = None


def handle_overdue(app: App, *, deadline_id: int, now: datetime) -> Handled:
    """Apply the deadline's `on_overdue` once; `skipped` when it is no longer open."""

    def attempt(pin: VersionPin) -> Handled:
        with app.uow() as uow:
            # Written first: the winner holds the row (and on SQLite the write lock) from here.
            won = uow.execute_write(_MARK_OVERDUE, {"deadline_id": deadline_id, "now": now})
            if won.rowcount != 1:
                return Handled(action="skipped")
            handled = _apply(app, uow, deadline_id, now)
            uow.commit()
            return handled

    # A project changed between our read and our write is simply judged again: the scheduler
    # acts on whatever state the project is in now.
    return retry_on_conflict(attempt)


def _apply(app: App, uow: UnitOfWork, deadline_id: int, now: datetime) -> Handled:
    session = uow.session
    deadline = session.get(DeadlineRow, deadline_id)
    assert deadline is not None  # the UPDATE above matched it
    project = session.get(ProjectRow, deadline.project_id)
    assert project is not None  # a foreign key
    compiled = app.catalog.get(project.workflow_name, project.workflow_version)
    rule = deadline.on_overdue
    source = project.state
    if not rule:
        handled = Handled(action="none", from_state=source)
    elif rule == ESCALATE:
        handled = Handled(action="escalated", from_state=source)
    elif rule not in compiled.valid_triggers(source):
        handled = Handled(action="not_applicable", trigger=rule, from_state=source)
    else:
        dest = compiled.fire(source, rule, permitted=True)
        assert dest is not None  # permitted fires always move
        project.state, project.state_entered_at, project.updated_at = dest, now, now
        project.state_visit += 1
        uow.flush()  # version-checked: a concurrent change fails here and the attempt reruns
        handled = Handled(action="fired", trigger=rule, from_state=source, to_state=dest)
    payload: dict[str, Any] = {
        "deadline": deadline.key,
        "kind": deadline.kind,
        "due_on": deadline.due_on.isoformat(),
        "on_overdue": rule,
        "action": handled.action,
        "state": source,
    }
    if handled.action == "not_applicable":
        payload["reason"] = (
            f"'{rule}' is not possible from stage '{source}' "
            f"(possible: {', '.join(compiled.valid_triggers(source)) or 'none'})"
        )
    _event(session, project, now, "deadline_overdue", payload)
    if handled.action == "fired":
        transition = {"trigger": rule, "from": source, "to": handled.to_state, "override": None}
        _event(session, project, now, "state_changed", {**transition, "by_deadline": deadline.key})
    with bound_project(project, SCHEDULER_ACTOR):
        _log.warning("deadline_overdue", deadline=deadline.key, action=handled.action, rule=rule)
    return handled


def _event(
    session: Session, project: ProjectRow, now: datetime, type: str, payload: dict[str, Any]
) -> None:
    append_event(
        session,
        occurred_at=now,
        actor=SCHEDULER_ACTOR,
        type=type,
        client_id=project.client_id,
        project_id=project.id,
        payload=payload,
    )
