"""Guard evaluation: what a stage needs, what blocks each trigger. Pure functions."""

from __future__ import annotations

from dataclasses import dataclass

from isms_flow.errors import InvalidTrigger
from isms_flow.i18n import LocalizedText
from isms_flow.workflow.requirements import Blocker, RequirementResult
from isms_flow.workflow.schema import StateDefinition, TransitionDefinition, WorkflowDefinition
from isms_flow.workflow.snapshot import EvaluationContext, ProjectSnapshot

__all__ = ["StageReport", "TriggerOption", "assess_stage", "assess_trigger", "parts_read"]


@dataclass(frozen=True)
class TriggerOption:
    """A trigger available from the current stage and what, if anything, blocks it."""

    trigger: str
    dest: str
    title: LocalizedText
    results: tuple[RequirementResult, ...]

    @property
    def blockers(self) -> tuple[Blocker, ...]:
        """Every blocker of every unmet requirement, in order."""
        return tuple(b for result in self.results for b in result.blockers)

    @property
    def open(self) -> bool:
        """True when nothing blocks this trigger."""
        return not self.blockers


@dataclass(frozen=True)
class StageReport:
    """The current stage: its checklist and every trigger with its blockers."""

    state: StateDefinition
    checklist: tuple[RequirementResult, ...]
    options: tuple[TriggerOption, ...]


def parts_read(definition: WorkflowDefinition, state: str) -> frozenset[str]:
    """Register parts the requirements of `state` and of its triggers read."""
    requirements = [
        *definition.state(state).requires,
        *(r for t in definition.transitions_from(state) for r in t.requires),
    ]
    return frozenset(part for r in requirements for part in r.reads)


def assess_stage(
    definition: WorkflowDefinition, snapshot: ProjectSnapshot, ctx: EvaluationContext
) -> StageReport:
    """Evaluate the current stage's requirements and every trigger out of it."""
    state = definition.state(snapshot.state)
    vocab = definition.vocabulary
    checklist = tuple(r.evaluate(snapshot, ctx, vocab) for r in state.requires)
    options = tuple(
        _option(definition, transition, checklist, snapshot, ctx)
        for transition in definition.transitions_from(snapshot.state)
    )
    return StageReport(state=state, checklist=checklist, options=options)


def assess_trigger(
    definition: WorkflowDefinition,
    snapshot: ProjectSnapshot,
    ctx: EvaluationContext,
    trigger: str,
) -> TriggerOption:
    """Evaluate one trigger from the current stage; InvalidTrigger when it does not exist."""
    for transition in definition.transitions_from(snapshot.state):
        if transition.trigger == trigger:
            state = definition.state(snapshot.state)
            vocab = definition.vocabulary
            checklist = tuple(r.evaluate(snapshot, ctx, vocab) for r in state.requires)
            return _option(definition, transition, checklist, snapshot, ctx)
    valid = [t.trigger for t in definition.transitions_from(snapshot.state)]
    raise InvalidTrigger(trigger, snapshot.state, valid)


def _option(
    definition: WorkflowDefinition,
    transition: TransitionDefinition,
    checklist: tuple[RequirementResult, ...],
    snapshot: ProjectSnapshot,
    ctx: EvaluationContext,
) -> TriggerOption:
    vocab = definition.vocabulary
    own = tuple(r.evaluate(snapshot, ctx, vocab) for r in transition.requires)
    results = (checklist if transition.checks_stage else ()) + own
    return TriggerOption(
        trigger=transition.trigger, dest=transition.dest, title=transition.title, results=results
    )
