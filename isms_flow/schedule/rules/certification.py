"""Rules of the certificate cycle: expiry, surveillance audits, recertification.

ISO/IEC 17021-1 9.1.3 and IAF practice (shared/domain/iso27001.md §3.4): a certificate is valid
three years from the certification decision; the first surveillance audit is due no later than
12 months after the decision and one is due in every calendar year that is not the
recertification year; the recertification must be decided before expiry, with a lead time the
workflow sets.
"""

from __future__ import annotations

from datetime import date

from isms_flow.schedule.cycles import Cycle
from isms_flow.schedule.rules.base import RuleContext, RuleType, merge_dates, register, shift
from isms_flow.schedule.timeline import Deadline, DeadlineStatus

__all__: list[str] = []

_CYCLE_MILESTONES = frozenset({"certification_decision", "recertification_decision"})


def _superseded(cycle: Cycle, by: date) -> DeadlineStatus | None:
    """Met when the next cycle was decided by `by`, cancelled when it came later, else None."""
    if cycle.renewed_on is None:
        return None
    return "met" if cycle.renewed_on <= by else "cancelled"


def _certificate_expiry(ctx: RuleContext) -> list[Deadline]:
    return [
        ctx.deadline(
            str(cycle.number),
            cycle.expiry,
            _superseded(cycle, cycle.expiry) or "open",
            cycle=cycle.number,
            certification_decision=cycle.start,
            certificate=cycle.certificate,
            renewed_on=cycle.renewed_on,
        )
        for cycle in ctx.cycles
    ]


def _surveillance_slots(ctx: RuleContext, cycle: Cycle) -> list[tuple[int, date, date]]:
    """(calendar year, first day that counts, due date) of each audit the cycle needs."""
    first = shift(cycle.start, ctx.due)
    slots: list[tuple[int, date, date]] = []
    if first < cycle.expiry:
        slots.append((first.year, cycle.start, first))
    # Every later calendar year up to, not including, the recertification (expiry) year.
    for year in range(first.year + 1, cycle.expiry.year):
        slots.append((year, date(year, 1, 1), date(year, 12, 31)))
    return slots


def _surveillance_audit(ctx: RuleContext) -> list[Deadline]:
    held = merge_dates(
        ctx.timeline.held(a.ended_on for a in ctx.timeline.audits if a.kind == "surveillance"),
        ctx.milestone("surveillance_audit"),
    )
    used: set[date] = set()
    deadlines: list[Deadline] = []
    keys: set[str] = set()
    for cycle in ctx.cycles:
        for ordinal, (year, start, due) in enumerate(_surveillance_slots(ctx, cycle), start=1):
            hit = next((day for day in held if day not in used and start <= day <= due), None)
            if hit is not None:
                used.add(hit)
            status: DeadlineStatus = "met" if hit is not None else "open"
            if hit is None and cycle.renewed_on is not None and cycle.renewed_on <= due:
                status = "cancelled"  # recertified early: the new cycle has its own audits
            suffix = str(year) if str(year) not in keys else f"{year}.{cycle.number}"
            keys.add(suffix)
            deadlines.append(
                ctx.deadline(
                    suffix,
                    due,
                    status,
                    cycle=cycle.number,
                    certification_decision=cycle.start,
                    audit=ordinal,
                    held_on=hit,
                )
            )
    return deadlines


def _recertification(ctx: RuleContext) -> list[Deadline]:
    return [
        ctx.deadline(
            str(cycle.number),
            shift(cycle.expiry, ctx.due),
            _superseded(cycle, cycle.expiry) or "open",
            cycle=cycle.number,
            certificate_expiry=cycle.expiry,
            renewed_on=cycle.renewed_on,
        )
        for cycle in ctx.cycles
    ]


register(
    RuleType(
        name="certificate_expiry",
        summary="the certificate of each cycle expires (a recorded certificate's expiry wins)",
        anchors={"certification_decision": "after"},
        compute=_certificate_expiry,
        milestones=_CYCLE_MILESTONES,
    )
)
register(
    RuleType(
        name="surveillance_audit",
        summary="the first surveillance audit after the decision, then one each calendar year "
        "that is not the recertification year (by 31 December)",
        anchors={"certification_decision": "after"},
        compute=_surveillance_audit,
        milestones=_CYCLE_MILESTONES | {"surveillance_audit"},
    )
)
register(
    RuleType(
        name="recertification",
        summary="the recertification decided before the certificate expires (with a lead time)",
        anchors={"certificate_expiry": "before"},
        compute=_recertification,
        milestones=_CYCLE_MILESTONES,
    )
)
