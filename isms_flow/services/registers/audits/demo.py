"""The demo's audits register: a year's internal audit programme run by independent auditors,
its findings worked through the corrective-action lifecycle, then the certification body's
Stage 1 (one concern, resolved) and Stage 2 (one minor nonconformity with an accepted plan)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from isms_flow.bootstrap import App
from isms_flow.i18n import Language
from isms_flow.isms.audits import CLAUSES
from isms_flow.services.demo import DemoStep
from isms_flow.services.registers.audits.findings import (
    accept_plan,
    add_finding,
    close_finding,
    list_findings,
    mark_corrected,
    verify_finding,
)
from isms_flow.services.registers.audits.programme import add_audit, audit_coverage, list_audits
from isms_flow.services.registers.audits.views import AuditView, FindingView

if TYPE_CHECKING:
    from isms_flow.workflow.requirements import Requirement

__all__ = ["fill_certification_findings", "fill_internal_audits", "fill_stage1"]

_RECORDER = "sato.isms"  # the ISMS manager keeps the register
_TOP = "tanaka.ceo"
_AUDITOR = ("山田 直樹", "Quality Assurance")  # the QA manager, trained as internal auditor
_AUDITOR_OF_QA = ("伊藤 彩", "General Affairs & HR")  # audits QA, so nobody audits their own
_CB_AUDITOR = "中村 修 (JQA lead auditor)"
_CB_LOGIN = "jqa.lead-auditor"


@dataclass(frozen=True)
class _Plan:
    """One audit of the programme: days before today, auditor, areas, clauses, and the Annex A
    controls it samples (whole themes by prefix, or single controls)."""

    days_ago: int
    auditor: tuple[str, str]
    areas: tuple[str, ...]
    clauses: tuple[str, ...]
    themes: tuple[str, ...] = ()
    controls: tuple[str, ...] = ()

    def samples(self, control: str) -> bool:
        """Does this audit sample `control` ("A.5.35")?"""
        return control.split(".")[1] in self.themes or control in self.controls


_PROGRAMME = (
    _Plan(
        45,
        _AUDITOR,
        ("Corporate Planning", "Information Systems", "General Affairs & HR", "Finance"),
        ("4", "5", "6", "7.1", "7.2", "7.3", "7.4", "9.3", "10"),
        ("5", "6"),
    ),
    _Plan(
        30,
        _AUDITOR,
        ("Development Dept. 1", "Development Dept. 2", "Infrastructure & Operations"),
        ("7.5", "8", "9.1"),
        ("7", "8"),
    ),
    # Who audits the auditors: the audit function itself, and its independent review (A.5.35).
    _Plan(20, _AUDITOR_OF_QA, ("Quality Assurance",), ("8.1", "9.2"), (), ("A.5.35", "A.5.36")),
)


def _say(view: FindingView) -> str:
    return f"{view.key} {view.grade_title} ({view.audit}, {view.clause or view.control})"


def fill_internal_audits(
    app: App, ref: str, requirement: Requirement, folder: Path, lang: Language
) -> Iterator[DemoStep]:
    """Run the programme (once), raise its findings, and take them through their lifecycle."""
    if list_audits(app, ref=ref, kind="internal"):
        return
    before = audit_coverage(app, ref=ref, lang=lang)
    applicable = set(before.missing_controls)  # nothing is covered yet: all that is needed
    today = before.as_of
    audits: list[AuditView] = []
    for plan in _PROGRAMME:
        day = today - timedelta(days=plan.days_ago)
        controls = [c for c in sorted(applicable) if plan.samples(c)]
        view = add_audit(
            app,
            ref=ref,
            kind="internal",
            started_on=day,
            ended_on=day + timedelta(days=1),
            auditor=plan.auditor[0],
            auditor_department=plan.auditor[1],
            areas=plan.areas,
            clauses=plan.clauses,
            controls=[c.removeprefix("A.") for c in controls],
            actor=_RECORDER,
            lang=lang,
        )
        audits.append(view)
        yield DemoStep(
            "evidence",
            f"internal audit {view.key} on {view.started_on}: {view.auditor} "
            f"({view.auditor_department}) audited {', '.join(view.areas)} — clauses "
            f"{', '.join(view.clauses)}, {len(view.controls)} Annex A controls",
        )
    yield from _internal_findings(app, ref, audits, today, lang)
    after = audit_coverage(app, ref=ref, lang=lang)
    yield DemoStep(
        "evidence",
        f"internal audit programme: {len(CLAUSES) - len(after.missing_clauses)}/{len(CLAUSES)} "
        f"clauses and {sum(t.covered for t in after.themes)}/"
        f"{sum(t.applicable for t in after.themes)} applicable controls covered",
        tuple(f"{t.title}: {t.covered}/{t.applicable}" for t in after.themes),
    )


def _internal_findings(
    app: App, ref: str, audits: list[AuditView], today: date, lang: Language
) -> Iterator[DemoStep]:
    documents = add_finding(
        app,
        ref=ref,
        audit=audits[0].key,
        grade="minor",
        clause="7.5.3",
        description="2 of 5 sampled ISMS procedures had no recorded approval of their current "
        "revision.",
        root_cause="The document template has no approval block, so revisions were published "
        "without sign-off.",
        correction="Both procedures were re-approved by the ISMS manager.",
        corrective_action="Approval block added to the template; document control now checks "
        "it before publication.",
        owner=_RECORDER,
        due=today + timedelta(days=10),
        actor=_AUDITOR[0],
        lang=lang,
    )
    yield DemoStep("evidence", f"finding {_say(documents)}: {documents.description}")
    accept_plan(app, ref=ref, key=documents.key, actor=_TOP, lang=lang)
    mark_corrected(app, ref=ref, key=documents.key, actor=_RECORDER, lang=lang)
    verify_finding(
        app,
        ref=ref,
        key=documents.key,
        effectiveness="Re-sampled 8 procedures revised since: all approved before publication.",
        actor=_AUDITOR[0],
        lang=lang,
    )
    close_finding(app, ref=ref, key=documents.key, actor=_RECORDER, lang=lang)
    yield DemoStep(
        "approval",
        f"{documents.key}: plan accepted by {_TOP}, corrected by {_RECORDER}, effectiveness "
        f"verified by {_AUDITOR[0]}, closed",
    )
    patches = add_finding(
        app,
        ref=ref,
        audit=audits[1].key,
        grade="minor",
        clause="8.1",
        control="8.8",
        description="Critical patches reached 3 of 40 sampled build servers 45 days after "
        "release; the rule is 14 days.",
        root_cause="The build servers were never added to the automated patching group.",
        correction="The three servers were patched on the day of the audit.",
        corrective_action="Build servers joined the patching group; a weekly patch-age report "
        "goes to the infrastructure manager.",
        owner="suzuki.it",
        due=today + timedelta(days=45),
        actor=_AUDITOR[0],
        lang=lang,
    )
    accept_plan(app, ref=ref, key=patches.key, actor=_RECORDER, lang=lang)
    yield DemoStep(
        "approval",
        f"finding {_say(patches)}: plan accepted by {_RECORDER}, due {patches.due}",
    )
    observation = add_finding(
        app,
        ref=ref,
        audit=audits[1].key,
        grade="observation",
        clause="9.1",
        description="Quarterly access-review results are kept in personal mailboxes rather "
        "than in the ISMS records folder.",
        actor=_AUDITOR[0],
        lang=lang,
    )
    yield DemoStep("evidence", f"finding {_say(observation)}: no corrective action needed")


def fill_stage1(
    app: App, ref: str, requirement: Requirement, folder: Path, lang: Language
) -> Iterator[DemoStep]:
    """Record the Stage 1 audit with one concern, then resolve the concern."""
    if not list_audits(app, ref=ref, kind="stage1"):
        today = audit_coverage(app, ref=ref, lang=lang).as_of
        audit = add_audit(
            app,
            ref=ref,
            kind="stage1",
            started_on=today - timedelta(days=7),
            auditor=_CB_AUDITOR,
            areas=("Development division", "Tokyo head office"),
            clauses=CLAUSES,
            actor=_RECORDER,
            lang=lang,
        )
        yield DemoStep("evidence", f"Stage 1 audit {audit.key} on {audit.started_on} recorded")
        concern = add_finding(
            app,
            ref=ref,
            audit=audit.key,
            grade="minor",
            clause="6.2",
            description="Information security objectives of the development division have no "
            "measurable targets or owners.",
            root_cause="The objectives were copied from the group policy without local planning.",
            correction="Objectives restated with targets, owners and review dates.",
            corrective_action="Objective planning added to the annual ISMS calendar; the "
            "management review checks each objective's measurement.",
            owner=_RECORDER,
            due=today + timedelta(days=14),
            actor=_RECORDER,
            lang=lang,
        )
        yield DemoStep("evidence", f"Stage 1 concern {_say(concern)}: {concern.description}")
    for finding in list_findings(app, ref=ref, audit_kind="stage1", open_only=True, lang=lang):
        yield from _resolve_stage1(app, ref, finding, lang)


def _resolve_stage1(app: App, ref: str, finding: FindingView, lang: Language) -> Iterator[DemoStep]:
    if finding.grade not in ("major", "minor"):
        close_finding(app, ref=ref, key=finding.key, actor=_RECORDER, lang=lang)
        yield DemoStep("approval", f"{finding.key} closed")
        return
    if finding.status == "open":
        accept_plan(app, ref=ref, key=finding.key, actor=_RECORDER, by=_CB_LOGIN, lang=lang)
    if finding.status in ("open", "plan_accepted"):
        mark_corrected(app, ref=ref, key=finding.key, actor=_RECORDER, lang=lang)
        yield DemoStep(
            "approval",
            f"{finding.key}: plan accepted by {_CB_LOGIN}, corrected by {_RECORDER} before Stage 2",
        )


def fill_certification_findings(
    app: App, ref: str, requirement: Requirement, folder: Path, lang: Language
) -> Iterator[DemoStep]:
    """Record the Stage 2 audit (once) with a minor nonconformity whose plan the body accepts."""
    if list_audits(app, ref=ref, kind="stage2"):
        return
    coverage = audit_coverage(app, ref=ref, lang=lang)
    today = coverage.as_of
    audit = add_audit(
        app,
        ref=ref,
        kind="stage2",
        started_on=today - timedelta(days=3),
        ended_on=today - timedelta(days=2),
        auditor=_CB_AUDITOR,
        areas=("Development division", "Tokyo head office"),
        clauses=CLAUSES,
        controls=["all"],
        actor=_RECORDER,
        lang=lang,
    )
    yield DemoStep(
        "evidence", f"Stage 2 audit {audit.key} on {audit.started_on}–{audit.ended_on} recorded"
    )
    leavers = add_finding(
        app,
        ref=ref,
        audit=audit.key,
        grade="minor",
        clause="8.1",
        control="5.18",
        description="Accounts of 2 leavers in the source-code hosting service were removed 9 "
        "days after they left.",
        root_cause="The leaver checklist covers the directory only; the hosting service has "
        "local accounts.",
        correction="Both accounts were removed.",
        corrective_action="Single sign-on enforced for the hosting service; HR's leaver "
        "notice now opens a ticket for every system with local accounts.",
        owner="suzuki.it",
        due=today + timedelta(days=60),
        actor=_RECORDER,
        lang=lang,
    )
    accept_plan(app, ref=ref, key=leavers.key, actor=_RECORDER, by=_CB_LOGIN, lang=lang)
    yield DemoStep(
        "approval",
        f"Stage 2 finding {_say(leavers)}: corrective action plan accepted by {_CB_LOGIN}; "
        "its implementation is checked at the first surveillance audit",
    )
