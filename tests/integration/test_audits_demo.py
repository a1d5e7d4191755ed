"""The demo fills the audits register the way a client would, and that satisfies the guards."""

from __future__ import annotations

from pathlib import Path

from isms_flow.bootstrap import App
from isms_flow.isms.audits import AuditRegister
from isms_flow.services.lookup import find_project
from isms_flow.services.registers import audits, demo_fillers
from isms_flow.services.registers.audits.register import load_audits
from isms_flow.services.snapshots import evaluation_context
from isms_flow.workflow.requirements import Requirement, parse_requirement
from isms_flow.workflow.snapshot import ProjectSnapshot

COVERAGE = parse_requirement({"internal_audit_coverage": "clauses_and_applicable_controls"})
INDEPENDENCE = parse_requirement({"auditor_independence": "internal_audits"})
STAGE1 = parse_requirement({"stage1_concerns": "resolved"})
MAJORS = parse_requirement({"major_nonconformities": "none_open"})
MINORS = parse_requirement({"minor_nonconformities": "plans_accepted"})


def fill(app: App, ref: str, tmp_path: Path, *requirements: Requirement) -> list[str]:
    """Run the registered demo filler of each requirement; return the lines it printed."""
    lines: list[str] = []
    for requirement in requirements:
        filler = demo_fillers()[requirement.type_key]
        lines += [step.text for step in filler(app, ref, requirement, tmp_path, "en")]
    return lines


def unmet(app: App, ref: str, *requirements: Requirement) -> list[str]:
    """The blockers of `requirements` on the stored register (no SoA: every control counts)."""
    with app.uow() as uow:
        project = find_project(uow.session, ref)
        register = load_audits(uow.session, project)
        ctx = evaluation_context(app.clock.now(), project.client.timezone)
    snapshot = ProjectSnapshot(
        state="any", registers={"audits": register, "soa_applicable": frozenset()}
    )
    vocab = app.catalog.get("iso27001-2022").definition.vocabulary
    return [
        blocker.message.en
        for requirement in requirements
        for blocker in requirement.evaluate(snapshot, ctx, vocab).blockers
    ]


def register_of(app: App, ref: str) -> AuditRegister:
    """The stored register."""
    with app.uow() as uow:
        return load_audits(uow.session, find_project(uow.session, ref))


def test_the_internal_audit_programme_covers_everything_with_independent_auditors(
    app: App, project_ref: str, tmp_path: Path
) -> None:
    assert len(unmet(app, project_ref, COVERAGE)) == 1
    lines = fill(app, project_ref, tmp_path, COVERAGE, INDEPENDENCE)  # the second adds nothing
    assert unmet(app, project_ref, COVERAGE, INDEPENDENCE) == []
    register = register_of(app, project_ref)
    internal = register.audits_of("internal")
    assert len(internal) == 3
    assert {a.auditor_department for a in internal} == {"Quality Assurance", "General Affairs & HR"}
    assert all(a.performed_by(app.clock.now().date()) for a in internal)
    grades = [(f.key, f.grade, f.status) for f in register.findings]
    assert grades == [
        ("F-001", "minor", "closed"),
        ("F-002", "minor", "plan_accepted"),
        ("F-003", "observation", "open"),
    ]
    closed = register.findings[0]
    assert closed.verified_by != closed.owner and closed.effectiveness
    assert (
        lines[-1] == "internal audit programme: 7/7 clauses and 93/93 applicable controls covered"
    )


def test_stage1_has_one_concern_resolved_and_stage2_one_minor_with_an_accepted_plan(
    app: App, project_ref: str, tmp_path: Path
) -> None:
    assert unmet(app, project_ref, STAGE1)[0].startswith("stage1_concerns: no Stage 1 audit")
    fill(app, project_ref, tmp_path, STAGE1)
    fill(app, project_ref, tmp_path, MAJORS, MINORS)
    assert unmet(app, project_ref, STAGE1, MAJORS, MINORS) == []
    [concern] = audits.list_findings(app, ref=project_ref, audit_kind="stage1")
    assert (concern.grade, concern.status, concern.plan_accepted_by) == (
        "minor",
        "corrected",
        "jqa.lead-auditor",
    )
    [stage2] = audits.list_findings(app, ref=project_ref, audit_kind="stage2")
    assert (stage2.status, stage2.control, stage2.owner) == ("plan_accepted", "A.5.18", "suzuki.it")
    assert [a.kind for a in audits.list_audits(app, ref=project_ref)] == ["stage1", "stage2"]
