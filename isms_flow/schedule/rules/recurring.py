"""Rules of things that must be renewed: evidence before it lapses, the yearly internal audit
and management review (ISO/IEC 27001 9.2, 9.3 "at planned intervals", in practice yearly)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from isms_flow.schedule.rules.base import RuleContext, RuleType, merge_dates, register, shift
from isms_flow.schedule.timeline import Deadline, DeadlineStatus

__all__: list[str] = []


def _evidence_validity(ctx: RuleContext) -> list[Deadline]:
    kinds = set(ctx.rule.kinds)
    deadlines: list[Deadline] = []
    for fact in ctx.timeline.evidence:
        if fact.valid_until is None or (kinds and fact.kind not in kinds):
            continue
        status: DeadlineStatus = "open"
        if not fact.current:
            # A newer version replaced it (met); an older one was restored over it (cancelled).
            status = "met" if fact.current_version > fact.version else "cancelled"
        deadlines.append(
            ctx.deadline(
                f"{fact.kind}#{fact.document_id}v{fact.version}",
                shift(fact.valid_until, ctx.due),
                status,
                evidence_kind=fact.kind,
                document=fact.document_id,
                name=fact.name,
                version=fact.version,
                valid_until=fact.valid_until,
            )
        )
    return deadlines


def _every_time(ctx: RuleContext, held: Iterable[date], milestone: str) -> list[Deadline]:
    """One deadline counted from each time it was done; all but the latest are met."""
    kinds = set(ctx.rule.kinds)
    documented = [f.effective_on for f in ctx.timeline.evidence if f.kind in kinds]
    # A report or minutes uploaded weeks after the recorded audit or review documents that
    # event, not another one: like a transition, it merges into the register's date.
    days = merge_dates(
        ctx.timeline.held(held), ctx.timeline.held([*documented, *ctx.milestone(milestone)])
    )
    return [
        ctx.deadline(
            day.isoformat(),
            shift(day, ctx.due),
            "met" if index + 1 < len(days) else "open",
            last_held=day,
            next_held=days[index + 1] if index + 1 < len(days) else None,
        )
        for index, day in enumerate(days)
    ]


def _internal_audit(ctx: RuleContext) -> list[Deadline]:
    held = (audit.ended_on for audit in ctx.timeline.audits if audit.kind == "internal")
    return _every_time(ctx, held, "internal_audit")


def _management_review(ctx: RuleContext) -> list[Deadline]:
    return _every_time(ctx, ctx.timeline.reviews, "management_review")


register(
    RuleType(
        name="evidence_validity",
        summary="evidence with a valid-until date renewed before it lapses",
        anchors={"valid_until": "before"},
        compute=_evidence_validity,
        options={"kinds": None},
    )
)
register(
    RuleType(
        name="internal_audit",
        summary="the next internal audit within the period after the last one (audits "
        "register, evidence of `kinds`, or the `internal_audit` milestone)",
        anchors={"last_internal_audit": "after"},
        compute=_internal_audit,
        options={"kinds": None},
        milestones=frozenset({"internal_audit"}),
    )
)
register(
    RuleType(
        name="management_review",
        summary="the next management review within the period after the last one",
        anchors={"last_management_review": "after"},
        compute=_management_review,
        options={"kinds": None},
        milestones=frozenset({"management_review"}),
    )
)
