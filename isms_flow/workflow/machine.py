"""Compile a workflow definition into one shared, model-less `transitions` machine.

One machine per workflow version serves every project (see docs/decisions.md): a project is
fired as `machine.events[trigger].trigger(token, permitted=...)` on a throwaway token that
carries its state. No callbacks from the workflow file ever reach `transitions`; the only
condition is ours: "the guard found no blockers, or an approved override permits it".
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from transitions import Machine, MachineError

from isms_flow.errors import InvalidTrigger
from isms_flow.workflow.schema import WorkflowDefinition

__all__ = ["CompiledWorkflow", "compile_workflow"]


@dataclass
class _Token:
    """The minimal model `transitions` reads and writes: just a state name."""

    state: str


def _permitted(event: Any) -> bool:
    return bool(event.kwargs.get("permitted", False))


@dataclass(frozen=True)
class CompiledWorkflow:
    """A validated definition and its compiled machine, shared by all projects on it."""

    definition: WorkflowDefinition
    digest: str
    machine: Machine

    @property
    def key(self) -> tuple[str, int]:
        """(name, version): what a project is pinned to."""
        return (self.definition.name, self.definition.version)

    def valid_triggers(self, state: str) -> list[str]:
        """Triggers defined for `state`, in file order."""
        return [t.trigger for t in self.definition.transitions_from(state)]

    def fire(self, state: str, trigger: str, *, permitted: bool) -> str | None:
        """Fire `trigger` from `state`; return the new state, or None when not permitted.

        Raises InvalidTrigger when `trigger` is not defined for `state`.
        """
        event = self.machine.events.get(trigger)
        if event is None or state not in event.transitions:
            raise InvalidTrigger(trigger, state, self.valid_triggers(state))
        token = _Token(state)
        try:
            moved = event.trigger(token, permitted=permitted)
        except MachineError:
            raise InvalidTrigger(trigger, state, self.valid_triggers(state)) from None
        return token.state if moved else None


def compile_workflow(definition: WorkflowDefinition, digest: str) -> CompiledWorkflow:
    """Build the machine for one validated definition."""
    # transitions logs every transition at INFO; at our volumes that costs more than the fire.
    logging.getLogger("transitions").setLevel(logging.WARNING)
    transitions = [
        {
            "trigger": transition.trigger,
            "source": list(transition.source),
            "dest": transition.dest,
            "conditions": [_permitted],
        }
        for transition in definition.transitions
    ]
    machine = Machine(
        model=None,
        states=[state.name for state in definition.states],
        transitions=transitions,
        initial=definition.initial,
        auto_transitions=False,
        send_event=True,
        ignore_invalid_triggers=False,
    )
    return CompiledWorkflow(definition=definition, digest=digest, machine=machine)
