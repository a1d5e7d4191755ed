"""What happens, exactly once, when a deadline passes unmet: docs/scheduling.md "Escalations".

The rule's `on_overdue` names a trigger of the workflow (`suspend`, `expire`, `withdraw`…),
`escalate`, or nothing. A trigger is fired as the actor `scheduler` with guards bypassed — the
way a certification body's decision bypasses them — and its `state_changed` event says which
deadline caused it. Every case appends a `deadline_overdue` event and marks the deadline
`overdue`.

Exactly once: the first statement of the transaction is a conditional UPDATE that flips the
deadlines from `open` to `overdue` and returns the ones it flipped; only the dispatcher whose
UPDATE flipped a deadline acts on it, and the triggers, the events and the flips commit
together or not at all. A deadline has one escalation row per channel; whichever is claimed
first does the work, the others only deliver. A dispatcher handles the escalations of a whole
batch in one transaction; should one of them fail (a workflow version no longer installed),
each is handled on its own so that the others still happen.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import structlog
from sqlalchemy import bindparam, select, update
from sqlalchemy.engine import Row
from sqlalchemy.orm import Session

from isms_flow.bootstrap import App
from isms_flow.errors import ConflictError
from isms_flow.services.retry import VersionPin, retry_on_conflict
from isms_flow.store.events import NewEvent, append_events
from isms_flow.store.models import ClientRow, ProjectRow
from isms_flow.store.tables.schedule import DeadlineRow
from isms_flow.workflow.deadline_section import ESCALATE

__all__ = ["SCHEDULER_ACTOR", "Handled", "handle_overdue", "handle_overdue_many"]

SCHEDULER_ACTOR = "scheduler"
"""Who the history names for what the scheduler does on its own."""

_log = structlog.get_logger(__name__)

_MARK_OVERDUE = (
    update(DeadlineRow)
    .where(
        DeadlineRow.id.in_(bindparam("ids", expanding=True)),
        DeadlineRow.status == "open",
        DeadlineRow.overdue_handled_at.is_(None),
        DeadlineRow.due_at <= bindparam("now"),
    )
    .values(status="overdue", overdue_handled_at=bindparam("now"))
    .returning(DeadlineRow.id)
)
_TARGETS: Any = (
    select(
        DeadlineRow.id,
        DeadlineRow.key,
        DeadlineRow.kind,
        DeadlineRow.due_on,
        DeadlineRow.on_overdue,
        ProjectRow.id.label("project_id"),
        ProjectRow.key.label("project_key"),
        ProjectRow.client_id,
        ClientRow.key.label("client_key"),
        ProjectRow.state,
        ProjectRow.version,
        ProjectRow.workflow_name,
        ProjectRow.workflow_version,
    )
    .join(ProjectRow, ProjectRow.id == DeadlineRow.project_id)
    .join(ClientRow, ClientRow.id == ProjectRow.client_id)
    .where(DeadlineRow.id.in_(bindparam("ids", expanding=True)))
)
# Version-checked like an ORM flush: a project changed since it was read fails the batch, which
# is then judged again on what the project is now.
_MOVE = (
    update(ProjectRow)
    .where(ProjectRow.id == bindparam("project_id"), ProjectRow.version == bindparam("was"))
    .values(
        state=bindparam("dest"),
        state_entered_at=bindparam("now"),
        updated_at=bindparam("now"),
        state_visit=ProjectRow.state_visit + 1,
        version=ProjectRow.version + 1,
    )
)


@dataclass(frozen=True)
class Handled:
    """What this call did: `fired`, `not_applicable`, `escalated`, `none`, or `skipped` when
    the deadline was not open any more (handled already, met, or cancelled)."""

    action: str
    trigger: str | None = None
    from_state: str | None = None
    to_state: str | None = None
    version: int | None = None
    """The project version a fired trigger moved on (the project is now at `version + 1`)."""


def handle_overdue(app: App, *, deadline_id: int, now: datetime) -> Handled:
    """Apply the deadline's `on_overdue` once; `skipped` when it is no longer open."""
    return _handle(app, [deadline_id], now)[deadline_id]


def handle_overdue_many(
    app: App, *, deadline_ids: Iterable[int], now: datetime
) -> dict[int, Handled | Exception]:
    """Apply the `on_overdue` of each deadline once, together; by deadline id, what was done —
    or the error that kept one deadline from being handled (the others are handled anyway)."""
    ids = list(dict.fromkeys(deadline_ids))
    if not ids:
        return {}
    try:
        return dict(_handle(app, ids, now))
    except Exception:  # one bad deadline must not hold up the others: handle each alone
        if len(ids) == 1:
            raise
    found: dict[int, Handled | Exception] = {}
    for deadline_id in ids:
        try:
            found[deadline_id] = handle_overdue(app, deadline_id=deadline_id, now=now)
        except Exception as error:
            found[deadline_id] = error
    return found


def _handle(app: App, ids: list[int], now: datetime) -> dict[int, Handled]:
    def attempt(pin: VersionPin) -> dict[int, Handled]:
        with app.uow() as uow:
            connection = uow.session.connection()
            # Written first: the winner holds the rows (and on SQLite the write lock) from here.
            won = set(uow.execute_write(_MARK_OVERDUE, {"ids": ids, "now": now}).scalars())
            handled = {deadline_id: Handled(action="skipped") for deadline_id in ids}
            if won:
                targets = connection.execute(_TARGETS, {"ids": sorted(won)}).all()
                by_id = {row.id: row for row in targets}
                moved: dict[int, tuple[str, int]] = {}  # project → (state, version) now
                events: list[NewEvent] = []
                for deadline_id in ids:
                    if deadline_id in by_id:
                        handled[deadline_id] = _apply(
                            app, uow.session, by_id[deadline_id], moved, events, now
                        )
                append_events(uow.session, events)
            uow.commit()
            return handled

    # A project changed between our read and our write is simply judged again: the scheduler
    # acts on whatever state the project is in now.
    return retry_on_conflict(attempt)


def _apply(
    app: App,
    session: Session,
    target: Row[Any],
    moved: dict[int, tuple[str, int]],
    events: list[NewEvent],
    now: datetime,
) -> Handled:
    compiled = app.catalog.get(target.workflow_name, target.workflow_version)
    rule = target.on_overdue
    source, version = moved.get(target.project_id, (target.state, target.version))
    if not rule:
        handled = Handled(action="none", from_state=source)
    elif rule == ESCALATE:
        handled = Handled(action="escalated", from_state=source)
    elif rule not in compiled.valid_triggers(source):
        handled = Handled(action="not_applicable", trigger=rule, from_state=source)
    else:
        dest = compiled.fire(source, rule, permitted=True)
        assert dest is not None  # permitted fires always move
        params = {"project_id": target.project_id, "was": version, "dest": dest, "now": now}
        if session.connection().execute(_MOVE, params).rowcount != 1:
            raise ConflictError("the project was changed concurrently; judged again")
        moved[target.project_id] = (dest, version + 1)
        handled = Handled("fired", trigger=rule, from_state=source, to_state=dest, version=version)
    payload: dict[str, Any] = {
        "deadline": target.key,
        "kind": target.kind,
        "due_on": target.due_on.isoformat(),
        "on_overdue": rule,
        "action": handled.action,
        "state": source,
    }
    if handled.action == "not_applicable":
        payload["reason"] = (
            f"'{rule}' is not possible from stage '{source}' "
            f"(possible: {', '.join(compiled.valid_triggers(source)) or 'none'})"
        )
    events.append(_event(target, now, "deadline_overdue", payload))
    if handled.action == "fired":
        transition = {"trigger": rule, "from": source, "to": handled.to_state, "override": None}
        events.append(
            _event(target, now, "state_changed", {**transition, "by_deadline": target.key})
        )
    with structlog.contextvars.bound_contextvars(
        client=target.client_key, project=target.project_key, actor=SCHEDULER_ACTOR
    ):
        _log.warning("deadline_overdue", deadline=target.key, action=handled.action, rule=rule)
    return handled


def _event(target: Row[Any], now: datetime, type: str, payload: dict[str, Any]) -> NewEvent:
    return NewEvent(
        occurred_at=now,
        actor=SCHEDULER_ACTOR,
        type=type,
        client_id=target.client_id,
        project_id=target.project_id,
        payload=payload,
    )
