"""Checks of a workflow's `deadlines:` section that its schema cannot express.

Rule types, their anchors and options, triggers named in `on_overdue` and `met_by`, stages,
evidence kinds, milestones and certification bodies' terms: every problem is reported with its
location, which the loader turns into `FILE:LINE:COL`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from isms_flow.workflow.deadline_section import (
    ESCALATE,
    MAX_OFFSET_DAYS,
    DeadlineRuleDefinition,
    DueSpec,
    TransitionMatch,
)

if TYPE_CHECKING:
    from isms_flow.schedule.rules import RuleType
    from isms_flow.workflow.schema import Location, Problem, WorkflowDefinition

__all__ = ["deadline_problems"]

_OPTIONS = ("kinds", "grades", "audit_kinds", "met_by")
_SINGULAR = {"kinds": "evidence kind", "grades": "grade", "audit_kinds": "audit kind"}


def deadline_problems(definition: WorkflowDefinition) -> list[Problem]:
    """Every problem of the `deadlines:` section, with its location."""
    # The rule types live with the schedule; like requirement types they are looked up when a
    # file is checked, so the workflow package does not depend on them when it is imported.
    from isms_flow.schedule.rules import MILESTONES, rule_types

    section = definition.deadlines
    types = rule_types()
    problems = _offset_problems(("deadlines", "remind"), section.remind)
    names: dict[str, int] = {}
    for index, rule in enumerate(section.rules):
        where: Location = ("deadlines", "rules", index)
        if rule.name in names:
            problems.append(
                (
                    (*where, "name"),
                    f"duplicate deadline '{rule.name}' "
                    f"(first defined as deadlines.rules[{names[rule.name]}])",
                )
            )
        names.setdefault(rule.name, index)
        problems += _rule_problems(definition, where, rule, types.get(rule.rule), sorted(types))
    for name, matchers in section.milestones.items():
        where = ("deadlines", "milestones", name)
        if name not in MILESTONES:
            known = ", ".join(sorted(MILESTONES))
            problems.append((where, f"unknown milestone '{name}' (known: {known})"))
        for index, matcher in enumerate(matchers):
            problems += _matcher_problems(definition, (*where, index), matcher)
    for body, terms in section.certification_bodies.items():
        if not body.strip():
            problems.append((("deadlines", "certification_bodies"), "a body needs a name"))
        for name, due in terms.items():
            where = ("deadlines", "certification_bodies", body, name)
            if name not in names:
                known = ", ".join(names) or "none defined"
                problems.append((where, f"unknown deadline '{name}' (known: {known})"))
                continue
            rule = section.rules[names[name]]
            rule_type = types.get(rule.rule)
            if rule_type is not None:
                problems += _due_problems(where, rule, due, rule_type)
    return problems


def _rule_problems(
    definition: WorkflowDefinition,
    where: Location,
    rule: DeadlineRuleDefinition,
    rule_type: RuleType | None,
    known_types: Sequence[str],
) -> list[Problem]:
    problems: list[Problem] = []
    states = [state.name for state in definition.states]
    triggers = _triggers(definition)
    if rule_type is None:
        known = ", ".join(known_types)
        problems.append(((*where, "rule"), f"unknown deadline rule '{rule.rule}' (known: {known})"))
    else:
        problems += _due_problems((*where, "due"), rule, rule.due, rule_type)
        problems += _option_problems(definition, where, rule, rule_type)
        if rule_type.needs_stage and rule.stage is None:
            problems.append(
                (where, f"rule '{rule.rule}' needs `stage`: the state whose time it limits")
            )
    if rule.remind is not None:
        problems += _offset_problems((*where, "remind"), rule.remind)
    if rule.on_overdue is not None and rule.on_overdue not in (*triggers, ESCALATE):
        problems.append(
            (
                (*where, "on_overdue"),
                f"unknown trigger '{rule.on_overdue}' "
                f"(known: {', '.join(triggers)}; or {ESCALATE})",
            )
        )
    if rule.stage is not None and rule.stage not in states:
        problems.append(
            ((*where, "stage"), f"unknown state '{rule.stage}' (known: {', '.join(states)})")
        )
    return problems


def _due_problems(
    where: Location, rule: DeadlineRuleDefinition, due: DueSpec, rule_type: RuleType
) -> list[Problem]:
    direction = rule_type.anchors.get(due.anchor)
    if direction is None:
        anchors = " or ".join(rule_type.anchors)
        return [(where, f"rule '{rule.rule}' counts from {anchors}, not '{due.anchor}'")]
    if direction != due.direction and due.amount != 0:
        return [
            (
                where,
                f"rule '{rule.rule}' is due {direction} {due.anchor}: "
                f"write 'N days|months {direction} {due.anchor}'",
            )
        ]
    return []


def _option_problems(
    definition: WorkflowDefinition,
    where: Location,
    rule: DeadlineRuleDefinition,
    rule_type: RuleType,
) -> list[Problem]:
    problems: list[Problem] = []
    triggers = _triggers(definition)
    for option in _OPTIONS:
        values: tuple[str, ...] = getattr(rule, option)
        if not values:
            continue
        if option not in rule_type.options:
            problems.append(((*where, option), f"'{option}' does not apply to rule '{rule.rule}'"))
            continue
        allowed = rule_type.options[option]
        for index, value in enumerate(values):
            at = (*where, option, index)
            if option == "kinds" and value not in definition.evidence_kinds:
                problems.append((at, f"evidence kind '{value}' is not declared in evidence_kinds"))
            elif option == "met_by" and value not in triggers:
                problems.append((at, f"unknown trigger '{value}' (known: {', '.join(triggers)})"))
            elif allowed is not None and value not in allowed:
                known = ", ".join(sorted(allowed))
                problems.append((at, f"unknown {_SINGULAR[option]} '{value}' (known: {known})"))
    return problems


def _matcher_problems(
    definition: WorkflowDefinition, where: Location, matcher: TransitionMatch
) -> list[Problem]:
    if matcher.trigger is None and matcher.source is None and matcher.dest is None:
        return [(where, "a milestone names at least one of trigger, source, dest")]
    problems: list[Problem] = []
    states = [state.name for state in definition.states]
    triggers = _triggers(definition)
    if matcher.trigger is not None and matcher.trigger not in triggers:
        problems.append(
            (
                (*where, "trigger"),
                f"unknown trigger '{matcher.trigger}' (known: {', '.join(triggers)})",
            )
        )
    for field in ("source", "dest"):
        value = getattr(matcher, field)
        if value is not None and value not in states:
            problems.append(
                ((*where, field), f"unknown state '{value}' (known: {', '.join(states)})")
            )
    if problems:
        return problems
    if not any(
        matcher.matches(t.trigger, source, t.dest)
        for t in definition.transitions
        for source in t.source
    ):
        problems.append((where, "matches no transition of this workflow"))
    return problems


def _offset_problems(where: Location, offsets: Sequence[int]) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[int] = set()
    for index, days in enumerate(offsets):
        if not 0 <= days <= MAX_OFFSET_DAYS:
            problems.append(
                (
                    (*where, index),
                    f"reminder offset {days} must be 0 to {MAX_OFFSET_DAYS} days before "
                    "the due date",
                )
            )
        elif days in seen:
            problems.append(((*where, index), f"reminder offset {days} is listed twice"))
        seen.add(days)
    return problems


def _triggers(definition: WorkflowDefinition) -> Sequence[str]:
    return list(dict.fromkeys(t.trigger for t in definition.transitions))
