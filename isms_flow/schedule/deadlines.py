"""Pure: a project's timeline and its workflow's rules → deadlines → the deliveries they need.

Nothing here reads a clock or a database. `compute_deadlines` applies every rule of the
workflow's `deadlines:` section (through the rule registry) to a `Timeline`; `plan_deliveries`
says which outbox rows a deadline needs: one reminder per offset and channel at 09:00
client-local on `due_on - offset`, and, when the rule says what happens if it is missed, one
escalation per channel at `due_at`, the start of the day after `due_on` (client-local).
See docs/scheduling.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from functools import cache, lru_cache
from typing import Literal
from zoneinfo import ZoneInfo

from isms_flow.schedule.cycles import Cycle, certificate_cycles
from isms_flow.schedule.rules import RuleContext, rule_types, shift
from isms_flow.schedule.timeline import Deadline, Timeline
from isms_flow.workflow.deadline_section import DueSpec, certification_body_terms
from isms_flow.workflow.schema import WorkflowDefinition

__all__ = [
    "REMINDER_HOUR",
    "DeliveryPlan",
    "PlannedDelivery",
    "compute_deadlines",
    "cycles_of",
    "day_start",
    "idempotency_key",
    "overdue_at",
    "plan_deliveries",
    "reminder_fire_at",
]

REMINDER_HOUR = 9
"""Reminders fire at 09:00 in the client's time zone."""

_DEFAULT_CYCLE = DueSpec(
    amount=36,
    unit="months",
    direction="after",
    anchor="certification_decision",
    text="3 years after certification_decision",
)


def _milestones(definition: WorkflowDefinition, timeline: Timeline) -> dict[str, tuple[date, ...]]:
    found: dict[str, tuple[date, ...]] = {}
    for name, matchers in definition.deadlines.milestones.items():
        days = {
            t.on
            for t in timeline.transitions
            if any(m.matches(t.trigger, t.source, t.dest) for m in matchers)
        }
        found[name] = tuple(sorted(days))
    return found


def _body(timeline: Timeline) -> str | None:
    if timeline.certification_body:
        return timeline.certification_body
    return timeline.certificates[-1].body if timeline.certificates else None


def _cycle_length(definition: WorkflowDefinition, terms: Mapping[str, DueSpec]) -> DueSpec:
    for rule in definition.deadlines.rules:
        if rule.rule == "certificate_expiry":
            return terms.get(rule.name, rule.due)
    return _DEFAULT_CYCLE


def cycles_of(definition: WorkflowDefinition, timeline: Timeline) -> tuple[Cycle, ...]:
    """The project's certification cycles under the workflow's (or its body's) cycle length."""
    terms = certification_body_terms(definition.deadlines, _body(timeline))
    return _cycles(definition, timeline, terms, _milestones(definition, timeline))


def _cycles(
    definition: WorkflowDefinition,
    timeline: Timeline,
    terms: Mapping[str, DueSpec],
    milestones: Mapping[str, tuple[date, ...]],
) -> tuple[Cycle, ...]:
    length = _cycle_length(definition, terms)
    return certificate_cycles(
        timeline.certificates,
        milestones.get("certification_decision", ()),
        milestones.get("recertification_decision", ()),
        expiry_of=lambda day: shift(day, length),
    )


def compute_deadlines(definition: WorkflowDefinition, timeline: Timeline) -> tuple[Deadline, ...]:
    """Every deadline the workflow's rules give this timeline, in rule order.

    Once the project is in a final state (withdrawn, cancelled) nothing is open any more: what
    was still open is cancelled, its basis gone.
    """
    section = definition.deadlines
    if not section.rules:
        return ()
    terms = certification_body_terms(section, _body(timeline))
    milestones = _milestones(definition, timeline)
    cycles = _cycles(definition, timeline, terms, milestones)
    final_states = frozenset(state.name for state in definition.states if state.final)
    types = rule_types()
    deadlines: list[Deadline] = []
    for rule in section.rules:
        context = RuleContext(
            rule=rule,
            due=terms.get(rule.name, rule.due),
            timeline=timeline,
            cycles=cycles,
            milestones=milestones,
            final_states=final_states,
        )
        deadlines += types[rule.rule].compute(context)
    if timeline.state in final_states:
        deadlines = [
            replace(d, status="cancelled", basis={**d.basis, "ended_in": timeline.state})
            if d.status == "open"
            else d
            for d in deadlines
        ]
    return tuple(deadlines)


# Memoized: a refresh of thousands of projects asks for the same few days over and over.
@lru_cache(maxsize=65536)
def _local(day: date, at: time, timezone: str) -> datetime:
    return datetime.combine(day, at, tzinfo=_zone(timezone)).astimezone(UTC)


@cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def reminder_fire_at(due_on: date, offset_days: int, timezone: str) -> datetime:
    """09:00 client-local on `due_on - offset_days`, as UTC."""
    return _local(due_on - timedelta(days=offset_days), time(REMINDER_HOUR), timezone)


def day_start(day: date, timezone: str) -> datetime:
    """00:00 client-local on `day`, as UTC."""
    return _local(day, time(0), timezone)


def overdue_at(due_on: date, timezone: str) -> datetime:
    """The first instant a deadline is missed: 00:00 client-local the day after `due_on`."""
    return day_start(due_on + timedelta(days=1), timezone)


def idempotency_key(
    project_id: int, deadline_key: str, due_on: date, kind: str, offset_days: int, channel: str
) -> str:
    """The outbox row's identity; a receiver drops a delivery whose key it has seen."""
    return f"{project_id}:{deadline_key}:{due_on.isoformat()}:{kind}:{offset_days}:{channel}"


@dataclass(frozen=True)
class PlannedDelivery:
    """An outbox row a deadline needs."""

    kind: Literal["reminder", "escalation"]
    offset_days: int
    channel: str
    fire_at: datetime
    idempotency_key: str


@dataclass(frozen=True)
class DeliveryPlan:
    """The rows to create (when missing) and every key a pending row may keep."""

    create: tuple[PlannedDelivery, ...]
    valid_keys: frozenset[str]


def plan_deliveries(
    project_id: int,
    deadline: Deadline,
    *,
    offsets: Iterable[int],
    channels: Iterable[str],
    timezone: str,
    now: datetime,
) -> DeliveryPlan:
    """The outbox rows an open deadline needs, as of `now`.

    A deadline computed late (a finding recorded weeks after its audit, a certificate entered
    after the fact) does not send every reminder it missed at once: of the offsets already
    past only the nearest one is created, and none once the deadline itself is past. Its
    escalation is always created: a missed deadline must be acted upon. Rows that exist keep
    going (a reminder that came due while the scheduler was down is still delivered, late).
    A met or cancelled deadline needs nothing.
    """
    if deadline.status != "open":
        return DeliveryPlan((), frozenset())
    channel_list = sorted(set(channels))
    due_at = overdue_at(deadline.due_on, timezone)
    planned: list[PlannedDelivery] = []
    create: list[PlannedDelivery] = []
    nearest_past: int | None = None
    for offset in sorted(set(offsets), reverse=True):
        fire_at = reminder_fire_at(deadline.due_on, offset, timezone)
        rows = [
            _delivery(project_id, deadline, "reminder", offset, c, fire_at) for c in channel_list
        ]
        planned += rows
        if fire_at > now:
            create += rows
        elif now < due_at:
            nearest_past = offset
    if nearest_past is not None:
        fire_at = reminder_fire_at(deadline.due_on, nearest_past, timezone)
        create += [
            _delivery(project_id, deadline, "reminder", nearest_past, c, fire_at)
            for c in channel_list
        ]
    if deadline.on_overdue:
        rows = [_delivery(project_id, deadline, "escalation", 0, c, due_at) for c in channel_list]
        planned += rows
        create += rows
    return DeliveryPlan(
        create=tuple(sorted(create, key=lambda d: (d.fire_at, d.channel))),
        valid_keys=frozenset(d.idempotency_key for d in planned),
    )


def _delivery(
    project_id: int,
    deadline: Deadline,
    kind: Literal["reminder", "escalation"],
    offset: int,
    channel: str,
    fire_at: datetime,
) -> PlannedDelivery:
    key = idempotency_key(project_id, deadline.key, deadline.due_on, kind, offset, channel)
    return PlannedDelivery(kind, offset, channel, fire_at, key)
