"""Rules of nonconformities: a major at Stage 2 verified within six months, and the response to
each finding of a certification body's audit.

Shared/domain/iso27001.md §3.3: a major nonconformity at initial certification must be
corrected and verified within 6 months of the last day of Stage 2, or Stage 2 is repeated; the
client answers each nonconformity within a time the certification body defines (often 90 days).
"""

from __future__ import annotations

from isms_flow.isms.audits import AUDIT_KINDS
from isms_flow.isms.findings import CORRECTED, RESOLVED
from isms_flow.schedule.rules.base import RuleContext, RuleType, register, shift
from isms_flow.schedule.timeline import Deadline, DeadlineStatus

__all__: list[str] = []

_CERTIFICATION_BODY_AUDITS = ("stage1", "stage2", "surveillance", "recertification", "follow_up")
# A major raised by a transition this soon after a recorded Stage 2 is that Stage 2's.
_SAME_STAGE2_DAYS = 120


def _major_nonconformity(ctx: RuleContext) -> list[Deadline]:
    grades = set(ctx.rule.grades or ("major",))
    stage2 = sorted(
        (audit for audit in ctx.timeline.audits if audit.kind == "stage2"),
        key=lambda audit: audit.ended_on,
    )
    decisions = [cycle.start for cycle in ctx.cycles]
    deadlines: list[Deadline] = []
    with_majors = []
    for audit in stage2:
        majors = [
            f for f in ctx.timeline.findings if f.audit_key == audit.key and f.grade in grades
        ]
        if not majors:
            continue
        with_majors.append(audit.ended_on)
        status: DeadlineStatus = "open"
        if all(f.status in RESOLVED for f in majors) or any(
            day >= audit.ended_on for day in decisions
        ):
            status = "met"
        elif any(later.started_on > audit.ended_on for later in stage2):
            status = "cancelled"  # Stage 2 was repeated: the repeat has its own findings
        deadlines.append(
            ctx.deadline(
                audit.key,
                shift(audit.ended_on, ctx.due),
                status,
                audit=audit.key,
                stage2_end=audit.ended_on,
                findings=[f.key for f in majors],
            )
        )
    # A major raised only as a transition (no findings recorded): counted from that day.
    raised = ctx.milestone("major_nonconformity")
    for day in raised:
        if any(0 <= (day - ended).days <= _SAME_STAGE2_DAYS for ended in with_majors):
            continue
        status = "open"
        if any(decided >= day for decided in decisions):
            status = "met"
        elif any(later > day for later in raised) or any(a.started_on > day for a in stage2):
            status = "cancelled"
        deadlines.append(ctx.deadline(day.isoformat(), shift(day, ctx.due), status, raised_on=day))
    return deadlines


def _corrective_action_response(ctx: RuleContext) -> list[Deadline]:
    grades = set(ctx.rule.grades or ("major", "minor"))
    kinds = set(ctx.rule.audit_kinds or _CERTIFICATION_BODY_AUDITS)
    return [
        ctx.deadline(
            f"{finding.audit_key}/{finding.key}",
            shift(finding.audit_ended_on, ctx.due),
            "open" if finding.status == "open" else "met",
            audit=finding.audit_key,
            finding=finding.key,
            grade=finding.grade,
            audit_end=finding.audit_ended_on,
            finding_status=finding.status,
        )
        for finding in ctx.timeline.findings
        if finding.grade in grades and finding.audit_kind in kinds
    ]


def _corrective_action_due(ctx: RuleContext) -> list[Deadline]:
    # Any audit, internal ones too: the owner's due date is the client's own commitment, and a
    # surveillance audit checks that accepted plans were carried out on time.
    grades = set(ctx.rule.grades or ("major", "minor"))
    kinds = set(ctx.rule.audit_kinds or AUDIT_KINDS)
    return [
        ctx.deadline(
            f"{finding.audit_key}/{finding.key}",
            shift(finding.due, ctx.due),
            "met" if finding.status in CORRECTED else "open",
            audit=finding.audit_key,
            finding=finding.key,
            grade=finding.grade,
            finding_due=finding.due,
            finding_status=finding.status,
        )
        for finding in ctx.timeline.findings
        if finding.due is not None and finding.grade in grades and finding.audit_kind in kinds
    ]


register(
    RuleType(
        name="corrective_action_due",
        summary="each nonconformity's corrective action carried out by its owner's due date",
        anchors={"finding_due": "after"},
        compute=_corrective_action_due,
        options={
            "grades": frozenset({"major", "minor"}),
            "audit_kinds": frozenset(AUDIT_KINDS),
        },
    )
)
register(
    RuleType(
        name="major_nonconformity",
        summary="a major nonconformity of Stage 2 verified within the period (else Stage 2 "
        "is repeated)",
        anchors={"stage2_end": "after"},
        compute=_major_nonconformity,
        options={"grades": frozenset({"major", "minor"})},
        milestones=frozenset(
            {"major_nonconformity", "certification_decision", "recertification_decision"}
        ),
    )
)
register(
    RuleType(
        name="corrective_action_response",
        summary="each nonconformity of a certification body's audit answered (plan accepted)",
        anchors={"audit_end": "after"},
        compute=_corrective_action_response,
        options={
            "grades": frozenset({"major", "minor"}),
            "audit_kinds": frozenset(AUDIT_KINDS),
        },
    )
)
