"""A limit on the time spent in a state: a suspension lasts at most six months, a certificate
can be restored within six months of its expiry (shared/domain/iso27001.md §3.4–3.5).

Each entry into the rule's `stage` opens a deadline. Leaving the stage by one of `met_by`'s
triggers meets it; leaving otherwise (by the rule's own `on_overdue` trigger, or to a final
state) cancels it. Without `met_by`, any other way out meets it.
"""

from __future__ import annotations

from datetime import date

from isms_flow.schedule.rules.base import RuleContext, RuleType, register, shift
from isms_flow.schedule.timeline import Deadline, DeadlineStatus, Transition

__all__: list[str] = []


def _anchor(ctx: RuleContext, entered: date) -> date | None:
    if ctx.due.anchor == "stage_entered":
        return entered
    # certificate_expiry: the expiry of the cycle running when the stage was entered
    running = [cycle for cycle in ctx.cycles if cycle.start <= entered]
    return running[-1].expiry if running else None


def _outcome(ctx: RuleContext, left: Transition | None) -> DeadlineStatus:
    if left is None:
        return "open"
    if ctx.rule.met_by:
        return "met" if left.trigger in ctx.rule.met_by else "cancelled"
    if left.trigger == ctx.rule.on_overdue or left.dest in ctx.final_states:
        return "cancelled"
    return "met"


def _time_in_state(ctx: RuleContext) -> list[Deadline]:
    stage = ctx.rule.stage
    transitions = ctx.timeline.transitions
    deadlines: list[Deadline] = []
    seen: dict[str, int] = {}
    for index, entry in enumerate(transitions):
        if entry.dest != stage or entry.source == stage:
            continue
        anchor = _anchor(ctx, entry.on)
        if anchor is None:
            continue
        left = next(
            (t for t in transitions[index + 1 :] if t.source == stage and t.dest != stage), None
        )
        suffix = entry.on.isoformat()
        seen[suffix] = seen.get(suffix, 0) + 1
        if seen[suffix] > 1:  # entered twice on one day
            suffix = f"{suffix}.{seen[suffix]}"
        deadlines.append(
            ctx.deadline(
                suffix,
                shift(anchor, ctx.due),
                _outcome(ctx, left),
                entered_on=entry.on,
                entered_by=entry.trigger,
                left_on=left.on if left else None,
                left_by=left.trigger if left else None,
            )
        )
    return deadlines


register(
    RuleType(
        name="time_in_state",
        summary="leave `stage` within the period after entering it (or after the certificate "
        "expired)",
        anchors={"stage_entered": "after", "certificate_expiry": "after"},
        compute=_time_in_state,
        options={"met_by": None},
        needs_stage=True,
    )
)
