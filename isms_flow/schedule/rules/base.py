"""The contract of a deadline rule type and the registry that resolves names from workflow files.

A rule in a workflow's `deadlines:` section names its type (`rule: surveillance_audit`); only
types registered here exist, so a workflow file never names code to run.

Contract of a type (`RuleType`): the anchors its `due` may count from and in which direction,
the options it takes (`kinds`, `grades`, `audit_kinds`, `met_by`) with their allowed values,
whether it needs a `stage`, the milestones it reads, and `compute(ctx) -> list[Deadline]`, a
pure function of the `RuleContext` (the timeline, the certification cycles, the rule). Keys
are `"{rule name}:{suffix}"` with a suffix that stays the same while the deadline's basis does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

from isms_flow.isms.training import add_months
from isms_flow.schedule.cycles import Cycle
from isms_flow.schedule.timeline import Deadline, DeadlineStatus, Timeline
from isms_flow.workflow.deadline_section import DeadlineRuleDefinition, DueSpec

__all__ = [
    "MILESTONES",
    "Direction",
    "RuleContext",
    "RuleType",
    "merge_dates",
    "register",
    "registered",
    "shift",
]

Direction = Literal["after", "before"]

MILESTONES: Mapping[str, str] = {
    "certification_decision": "an initial certification decision: a cycle starts",
    "recertification_decision": "a recertification (or restoration): the next cycle starts",
    "surveillance_audit": "a surveillance audit was held",
    "major_nonconformity": "Stage 2 raised a major nonconformity",
    "internal_audit": "an internal audit was held",
    "management_review": "a management review was held",
}
"""Dated facts a workflow may recognise from its transitions (`deadlines.milestones`)."""


def shift(day: date, due: DueSpec) -> date:
    """`day` moved by the due spec: calendar months clamp to month ends (31 Jan + 1 month is
    28 or 29 Feb; 29 Feb + 12 months is 28 Feb in a common year)."""
    if due.unit == "months":
        return add_months(day, due.signed_amount)
    return day + timedelta(days=due.signed_amount)


def merge_dates(
    register: Iterable[date], transitions: Iterable[date], *, same_within_days: int = 120
) -> tuple[date, ...]:
    """Dates of one kind of event from the register and from transitions, each event once.

    The same audit is often both recorded in the register and passed as a stage (advancing out
    of `surveillance_audit_1`) some days or weeks later: a transition that follows a recorded
    event within `same_within_days` is that event, not another one.
    """
    recorded = sorted(set(register))
    merged = set(recorded)
    for day in sorted(set(transitions)):
        if not any(0 <= (day - seen).days <= same_within_days for seen in recorded):
            merged.add(day)
    return tuple(sorted(merged))


@dataclass(frozen=True)
class RuleContext:
    """Everything a rule type reads to compute one rule's deadlines."""

    rule: DeadlineRuleDefinition
    due: DueSpec
    """The rule's due spec, or the selected certification body's for this rule."""
    timeline: Timeline
    cycles: tuple[Cycle, ...]
    milestones: Mapping[str, tuple[date, ...]]
    """Days each milestone's transitions happened, oldest first."""
    final_states: frozenset[str]

    def milestone(self, name: str) -> tuple[date, ...]:
        """Days the milestone `name` happened (none when the workflow does not declare it)."""
        return self.milestones.get(name, ())

    def deadline(
        self, suffix: str, due_on: date, status: DeadlineStatus, **basis: object
    ) -> Deadline:
        """A deadline of this rule; `basis` says what it came from (JSON-able values)."""
        facts: dict[str, object] = {"rule": self.rule.rule, "due": self.due.text}
        if self.rule.stage:
            facts["stage"] = self.rule.stage
        facts.update({k: v.isoformat() if isinstance(v, date) else v for k, v in basis.items()})
        return Deadline(
            key=f"{self.rule.name}:{suffix}",
            kind=self.rule.name,
            due_on=due_on,
            status=status,
            on_overdue=self.rule.on_overdue or "",
            basis=facts,
        )


@dataclass(frozen=True)
class RuleType:
    """A kind of deadline rule a workflow file may name."""

    name: str
    summary: str
    anchors: Mapping[str, Direction]
    """Each anchor `due` may count from, and whether the due date is after or before it."""
    compute: Callable[[RuleContext], list[Deadline]]
    options: Mapping[str, frozenset[str] | None] = field(default_factory=dict)
    """Options it takes and their allowed values (None: names checked against the workflow)."""
    needs_stage: bool = False
    milestones: frozenset[str] = frozenset()


_REGISTRY: dict[str, RuleType] = {}


def register(rule_type: RuleType) -> RuleType:
    """Make a rule type known by its name."""
    _REGISTRY[rule_type.name] = rule_type
    return rule_type


def registered() -> Mapping[str, RuleType]:
    """The registered rule types by name (see `schedule.rules.rule_types` for all built-ins)."""
    return _REGISTRY
