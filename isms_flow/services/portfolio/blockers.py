"""What holds each project of a page back: the blockers of its stage's forward trigger.

The guard is the engine's own (`workflow.engine.assess_trigger`, as `project status` and
`project fire` use it); only the loading differs: the snapshots of a whole page are read
together (`services.snapshots.load_snapshots`), a fixed number of queries for any page size.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from isms_flow.services.portfolio.query import PageRow
from isms_flow.services.snapshots import evaluation_context, load_snapshots
from isms_flow.workflow.engine import assess_trigger, parts_read
from isms_flow.workflow.schema import TransitionDefinition, WorkflowDefinition

__all__ = ["ForwardBlockers", "count_blockers", "forward_trigger"]


@dataclass(frozen=True)
class ForwardBlockers:
    """The forward trigger of a project's stage and how many blockers it has now."""

    trigger: str
    blockers: int


def forward_trigger(definition: WorkflowDefinition, state: str) -> TransitionDefinition | None:
    """The trigger that moves a project on from `state`: the first transition out of it (in
    file order) that checks the stage's requirements. Side paths such as suspension or
    cancellation do not; a final stage has none."""
    return next((t for t in definition.transitions_from(state) if t.checks_stage), None)


def count_blockers(
    session: Session,
    rows: Sequence[PageRow],
    definitions: Mapping[int, WorkflowDefinition],
    now: datetime,
) -> dict[int, ForwardBlockers]:
    """By project id: the forward trigger's blockers of each row whose workflow is known
    (`definitions`, by project id) and whose stage has a forward trigger."""
    wanted: list[tuple[PageRow, WorkflowDefinition, TransitionDefinition]] = []
    for row in rows:
        definition = definitions.get(row.id)
        trigger = forward_trigger(definition, row.state) if definition is not None else None
        if definition is not None and trigger is not None:
            wanted.append((row, definition, trigger))
    snapshots = load_snapshots(
        session, [(row, parts_read(definition, row.state)) for row, definition, _ in wanted]
    )
    found: dict[int, ForwardBlockers] = {}
    for row, definition, trigger in wanted:
        context = evaluation_context(now, row.timezone)
        option = assess_trigger(definition, snapshots[row.id], context, trigger.trigger)
        found[row.id] = ForwardBlockers(trigger.trigger, len(option.blockers))
    return found
