"""The audits register on a real SQLite file: the finding lifecycle, its events, refusals that
change nothing, and the audit guards read through `project status`."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from isms_flow.bootstrap import App
from isms_flow.clock import FrozenClock
from isms_flow.errors import BadInput, GuardBlocked, NotFound, PermissionDenied
from isms_flow.isms.requirements.audits import InternalAuditCoverageRequirement
from isms_flow.services import evidence, projects
from isms_flow.services.lookup import find_project
from isms_flow.services.registers import audits
from isms_flow.services.registers.audits.register import load_audits
from isms_flow.services.snapshots import evaluation_context
from isms_flow.services.views import CheckView
from isms_flow.workflow.requirements import parse_requirement
from isms_flow.workflow.snapshot import ProjectSnapshot
from tests.integration.support import (
    MakeFile,
    event_count,
    execute,
    project_state,
    row_count,
    stored_events,
)

TODAY = date(2026, 4, 1)  # the conftest clock, in Tokyo


def internal_audit(app: App, ref: str, **changes: object) -> str:
    """Record an independent internal audit of Development on 2026-03-10; return its key."""
    options: dict[str, object] = {
        "kind": "internal",
        "started_on": date(2026, 3, 10),
        "auditor": "山田 直樹",
        "auditor_department": "Quality Assurance",
        "areas": ["Development"],
        "clauses": ["4-8"],
        "controls": ["A.5.1-A.5.37"],
        "actor": "sato.isms",
    }
    options.update(changes)
    return audits.add_audit(app, ref=ref, **options).key  # type: ignore[arg-type]


def minor_finding(app: App, ref: str, audit: str, **changes: object) -> str:
    """Raise a minor nonconformity with a complete plan owned by suzuki.it; return its key."""
    options: dict[str, object] = {
        "audit": audit,
        "grade": "minor",
        "clause": "8.1",
        "control": "A.8.8",
        "description": "3 of 40 build servers patched 45 days late.",
        "root_cause": "Build servers outside the patching group.",
        "correction": "The three servers were patched.",
        "corrective_action": "Build servers joined the patching group.",
        "owner": "suzuki.it",
        "due": date(2026, 5, 15),
        "actor": "yamada.audit",
    }
    options.update(changes)
    return audits.add_finding(app, ref=ref, **options).key  # type: ignore[arg-type]


def test_a_finding_walks_its_lifecycle_and_every_step_is_an_event(
    app: App, project_ref: str, clock: FrozenClock
) -> None:
    audit = internal_audit(app, project_ref)
    assert audit == "IA-2026-1"
    key = minor_finding(app, project_ref, audit, root_cause="", owner=None)
    assert key == "F-001"
    updated = audits.update_finding(
        app, ref=project_ref, key=key, root_cause="Not in the group.", owner="suzuki.it", actor="s"
    )
    assert (updated.status, updated.owner, updated.note) == ("open", "suzuki.it", "")

    clock.advance(timedelta(hours=1))
    accepted = audits.accept_plan(app, ref=project_ref, key=key, actor="sato.isms")
    assert (accepted.status, accepted.plan_accepted_by) == ("plan_accepted", "sato.isms")
    assert accepted.plan_accepted_at == clock.now()
    assert audits.mark_corrected(app, ref=project_ref, key=key, actor="suzuki.it").status == (
        "corrected"
    )
    clock.advance(timedelta(days=30))
    verified = audits.verify_finding(
        app, ref=project_ref, key=key, effectiveness="Patch age ≤ 14 days for 6 weeks.", actor="y"
    )
    assert (verified.status, verified.verified_by, verified.verified_at) == (
        "verified",
        "y",
        clock.now(),
    )
    assert verified.effectiveness == "Patch age ≤ 14 days for 6 weeks."
    closed = audits.close_finding(app, ref=project_ref, key=key, actor="sato.isms")
    assert closed.status == "closed"

    events = [e for e in stored_events(app) if e.type.startswith(("audit_", "finding_"))]
    assert [e.type for e in events] == [
        "audit_added",
        "finding_added",
        "finding_updated",
        "finding_plan_accepted",
        "finding_corrected",
        "finding_verified",
        "finding_closed",
    ]
    assert events[0].payload["clauses"] == ["4", "5", "6", "7", "8"]
    assert len(events[0].payload["controls"]) == 37
    assert events[2].payload["changed"] == {
        "root_cause": ["", "Not in the group."],
        "owner": [None, "suzuki.it"],
    }
    assert events[5].actor == "y" and events[5].payload["verified_by"] == "y"
    assert project_state(app)[1] == 1 + len(events)  # each change moved the project's version


def test_the_owner_cannot_verify_their_own_action_and_nothing_changes(
    app: App, project_ref: str
) -> None:
    key = minor_finding(app, project_ref, internal_audit(app, project_ref))
    audits.accept_plan(app, ref=project_ref, key=key, actor="sato.isms")
    audits.mark_corrected(app, ref=project_ref, key=key, actor="suzuki.it")
    before = (event_count(app), project_state(app))
    with pytest.raises(PermissionDenied, match=r"suzuki\.it owns F-001"):
        audits.verify_finding(
            app, ref=project_ref, key=key, effectiveness="checked", actor="suzuki.it"
        )
    with pytest.raises(PermissionDenied, match=r"SUZUKI\.IT owns F-001"):
        audits.verify_finding(
            app, ref=project_ref, key=key, effectiveness="ok", actor="boss", by="SUZUKI.IT"
        )
    assert (event_count(app), project_state(app)) == before
    [finding] = audits.list_findings(app, ref=project_ref)
    assert (finding.status, finding.verified_by) == ("corrected", None)


def test_verifying_an_open_finding_is_refused(app: App, project_ref: str) -> None:
    key = minor_finding(app, project_ref, internal_audit(app, project_ref))
    before = event_count(app)
    with pytest.raises(BadInput, match="cannot be verified before the correction is done"):
        audits.verify_finding(app, ref=project_ref, key=key, effectiveness="x", actor="y")
    with pytest.raises(BadInput, match="accept its corrective action plan first"):
        audits.mark_corrected(app, ref=project_ref, key=key, actor="y")
    assert event_count(app) == before


def test_changing_an_accepted_plan_withdraws_the_acceptance(app: App, project_ref: str) -> None:
    key = minor_finding(app, project_ref, internal_audit(app, project_ref))
    audits.accept_plan(app, ref=project_ref, key=key, actor="sato.isms")
    view = audits.update_finding(
        app, ref=project_ref, key=key, due=date(2026, 6, 30), actor="suzuki.it"
    )
    assert (view.status, view.plan_accepted_by, view.plan_accepted_at) == ("open", None, None)
    assert view.note.startswith("the accepted corrective action plan was withdrawn")
    assert stored_events(app)[-1].payload["plan_withdrawn"] is True
    with pytest.raises(BadInput, match="F-001: nothing to change; nothing was saved"):
        audits.update_finding(app, ref=project_ref, key=key, due=date(2026, 6, 30), actor="x")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"ended_on": date(2026, 3, 9)}, "would end on 2026-03-09, before it starts on 2026-03-10"),
        ({"auditor_department": None}, "records the auditor's department"),
        ({"areas": []}, "names the areas it audits"),
        ({"clauses": ["4", "11"]}, "clause '11' is not a clause of 4–10"),
        ({"controls": ["A.9.1"]}, "Annex A control 'A.9.1' not found"),
        ({"kind": "audit"}, "audit kind 'audit' is unknown"),
        ({"auditor": "  "}, "the auditor must not be empty"),
        ({"key": "IA 1"}, "audit key 'IA 1' must be"),
    ],
)
def test_a_bad_audit_is_refused_and_nothing_is_saved(
    app: App, project_ref: str, changes: dict[str, object], message: str
) -> None:
    before = event_count(app)
    with pytest.raises((BadInput, NotFound), match=message):
        internal_audit(app, project_ref, **changes)
    assert (event_count(app), row_count(app, "audits")) == (before, 0)


def test_findings_belong_to_an_audit_that_has_started(app: App, project_ref: str) -> None:
    planned = internal_audit(app, project_ref, started_on=date(2026, 6, 1), key="IA-PLAN")
    with pytest.raises(BadInput, match="audit IA-PLAN starts on 2026-06-01: findings are"):
        minor_finding(app, project_ref, planned)
    with pytest.raises(NotFound, match="audit IA-9 not found: known: IA-PLAN"):
        minor_finding(app, project_ref, "IA-9")
    with pytest.raises(BadInput, match="already exists"):
        internal_audit(app, project_ref, key="ia-plan")
    assert row_count(app, "findings") == 0


def test_keys_are_numbered_across_the_project_and_listing_filters(
    app: App, project_ref: str
) -> None:
    first = internal_audit(app, project_ref)
    stage1 = internal_audit(
        app, project_ref, kind="stage1", auditor="JQA", auditor_department=None, areas=[]
    )
    assert stage1 == "S1-2026-1"
    minor_finding(app, project_ref, first)
    audits.add_finding(
        app, ref=project_ref, audit=stage1, grade="observation", clause="9.1",
        description="Records in mailboxes.", actor="jqa",
    )  # fmt: skip
    major = minor_finding(app, project_ref, stage1, grade="major")
    assert major == "F-003"
    audits.close_finding(app, ref=project_ref, key="F-002", actor="sato.isms")

    def keys(**filters: str | bool) -> list[str]:
        return [f.key for f in audits.list_findings(app, ref=project_ref, **filters)]  # type: ignore[arg-type]

    assert keys() == ["F-001", "F-002", "F-003"]
    assert keys(open_only=True) == ["F-001", "F-003"]
    assert keys(grade="major") == ["F-003"]
    assert keys(audit_kind="stage1") == ["F-002", "F-003"]
    assert keys(audit="ia-2026-1", status="open") == ["F-001"]
    with pytest.raises(BadInput, match="grade 'serious' is unknown"):
        keys(grade="serious")
    [listed_first, listed_stage1] = audits.list_audits(app, ref=project_ref)
    assert (listed_first.findings, listed_first.open_findings) == (1, 1)
    assert (listed_stage1.findings, listed_stage1.open_findings) == (2, 1)


def test_an_auditor_of_their_own_department_is_warned_when_recording(
    app: App, project_ref: str
) -> None:
    view = audits.add_audit(
        app,
        ref=project_ref,
        kind="internal",
        started_on=date(2026, 3, 1),
        auditor="山田 直樹",
        auditor_department="Quality Assurance",
        areas=["Quality assurance", "Development"],
        actor="sato.isms",
        lang="ja",
    )
    assert view.warnings == ["独立性なし: Quality Assuranceの山田 直樹が自部署を監査"]


# --- the guards, through the stored register -------------------------------------------------


def check(app: App, ref: str, label: str) -> CheckView:
    """The checklist line of the current stage with this label."""
    return next(c for c in projects.project_status(app, ref=ref).checklist if c.label == label)


def test_stage1_concerns_block_stage2_until_corrected(
    app: App, project_ref: str, make_file: MakeFile
) -> None:
    execute(app, "UPDATE projects SET state = 'stage1_audit' WHERE key = 'isms'")
    evidence.add_evidence(
        app, ref=project_ref, kind="stage1_audit_report", file=make_file("s1.pdf"), actor="s"
    )
    label = "Stage 1 audit concerns resolved before Stage 2"
    assert (check(app, project_ref, label).have, check(app, project_ref, label).need) == (0, 1)
    stage1 = internal_audit(
        app, project_ref, kind="stage1", auditor="JQA", auditor_department=None,
        started_on=date(2026, 3, 25),
    )  # fmt: skip
    key = minor_finding(app, project_ref, stage1, clause="6.2", control=None)
    line = check(app, project_ref, label)
    assert (line.met, line.have, line.need) == (False, 0, 1)
    with pytest.raises(GuardBlocked) as blocked:
        projects.fire_trigger(app, ref=project_ref, trigger="advance", actor="s", lang="ja")
    assert blocked.value.reasons == [
        "第1段階審査の指摘事項: 指摘1件のうち1件が未解決です: F-001（S1-2026-1、箇条6.2；未対応）"
    ]
    audits.accept_plan(app, ref=project_ref, key=key, actor="s", by="jqa.lead-auditor")
    audits.mark_corrected(app, ref=project_ref, key=key, actor="sato.isms")
    assert check(app, project_ref, label).met
    moved = projects.fire_trigger(app, ref=project_ref, trigger="advance", actor="s")
    assert moved.to_state == "stage2_audit"


def test_stage2_is_blocked_by_an_open_major_and_a_minor_without_an_accepted_plan(
    app: App, project_ref: str, make_file: MakeFile
) -> None:
    execute(app, "UPDATE projects SET state = 'stage2_audit' WHERE key = 'isms'")
    evidence.add_evidence(
        app, ref=project_ref, kind="stage2_audit_report", file=make_file("s2.pdf"), actor="s"
    )
    stage2 = internal_audit(
        app, project_ref, kind="stage2", auditor="JQA", auditor_department=None,
        started_on=date(2026, 3, 30), ended_on=date(2026, 3, 31),
    )  # fmt: skip
    major = minor_finding(app, project_ref, stage2, grade="major", clause="9.2", control=None)
    minor = minor_finding(app, project_ref, stage2)
    status = projects.project_status(app, ref=project_ref)
    lines = {c.label: (c.met, c.have, c.need) for c in status.checklist}
    assert lines["No open major nonconformity (correction verified)"] == (False, 0, 1)
    assert lines["Every minor nonconformity has an accepted corrective action plan"] == (
        False,
        0,
        1,
    )
    with pytest.raises(GuardBlocked) as blocked:
        projects.fire_trigger(app, ref=project_ref, trigger="advance", actor="s")
    assert blocked.value.reasons == [
        "major_nonconformities: 1 still open: F-001 (S2-2026-1, clause 9.2; open)",
        "minor_nonconformities: 1 without an accepted corrective action plan: "
        "F-002 (S2-2026-1, clause 8.1, A.8.8)",
    ]
    audits.accept_plan(app, ref=project_ref, key=minor, actor="s", by="jqa.lead-auditor")
    audits.accept_plan(app, ref=project_ref, key=major, actor="s", by="jqa.lead-auditor")
    audits.mark_corrected(app, ref=project_ref, key=major, actor="suzuki.it")
    with pytest.raises(GuardBlocked) as still:
        projects.fire_trigger(app, ref=project_ref, trigger="advance", actor="s")
    assert still.value.reasons == [
        "major_nonconformities: 1 still open: F-001 (S2-2026-1, clause 9.2; corrected)"
    ]
    audits.verify_finding(
        app, ref=project_ref, key=major, effectiveness="On-site follow-up.", actor="jqa"
    )
    moved = projects.fire_trigger(app, ref=project_ref, trigger="advance", actor="s")
    assert moved.to_state == "certification_decision"


def test_coverage_reads_the_stored_audits_against_the_applicable_controls(
    app: App, project_ref: str
) -> None:
    internal_audit(app, project_ref, clauses=["4-8"], controls=["5.1-5.37"])
    internal_audit(
        app, project_ref, auditor="伊藤 彩", auditor_department="HR", areas=["Quality Assurance"],
        clauses=["9.2", "10.1"], controls=["8.8"], started_on=date(2026, 3, 20),
    )  # fmt: skip
    requirement = parse_requirement({"internal_audit_coverage": "clauses_and_applicable_controls"})
    assert isinstance(requirement, InternalAuditCoverageRequirement)
    with app.uow() as uow:
        project = find_project(uow.session, project_ref)
        register = load_audits(uow.session, project)
        ctx = evaluation_context(app.clock.now(), project.client.timezone)
    assert [a.key for a in register.audits] == ["IA-2026-1", "IA-2026-2"]
    snapshot = ProjectSnapshot(
        state="internal_audit",
        registers={"audits": register, "soa_applicable": frozenset({"5.1", "8.8", "8.12"})},
    )
    result = requirement.evaluate(
        snapshot, ctx, app.catalog.get("iso27001-2022").definition.vocabulary
    )
    assert (result.have, result.need) == (9, 10)
    assert result.blockers[0].items == ("A.8.12",)

    view = audits.audit_coverage(app, ref=project_ref)
    assert view.as_of == TODAY and view.since == date(2025, 4, 1)
    assert [(c.clause, c.audits) for c in view.clauses][-3:] == [
        ("8", ["IA-2026-1"]),
        ("9", ["IA-2026-2"]),
        ("10", ["IA-2026-2"]),
    ]
    assert [(t.theme, t.covered, t.applicable) for t in view.themes] == [
        ("5", 37, 37),
        ("6", 0, 8),
        ("7", 0, 14),
        ("8", 1, 34),
    ]
    assert view.missing_clauses == [] and not view.complete


def test_a_planned_audit_is_updated_once_it_took_place(
    app: App, project_ref: str, clock: FrozenClock
) -> None:
    key = internal_audit(app, project_ref, started_on=date(2026, 4, 20), clauses=["4-6"])
    assert not audits.list_audits(app, ref=project_ref)[0].performed
    clock.advance(timedelta(days=30))
    view = audits.update_audit(
        app, ref=project_ref, key=key, clauses=["4-10"], controls=["all"], actor="yamada.audit"
    )
    assert view.performed and view.clauses == ["4", "5", "6", "7", "8", "9", "10"]
    assert len(view.controls) == 93
    event = stored_events(app)[-1]
    assert (event.type, event.actor) == ("audit_updated", "yamada.audit")
    assert event.payload["changed"]["clauses"] == [
        ["4", "5", "6"],
        ["4", "5", "6", "7", "8", "9", "10"],
    ]
    with pytest.raises(BadInput, match="audit IA-2026-1: nothing to change; nothing was saved"):
        audits.update_audit(app, ref=project_ref, key=key, clauses=["4-10"], actor="y")
    with pytest.raises(BadInput, match="would end on 2026-04-19"):
        audits.update_audit(app, ref=project_ref, key=key, ended_on=date(2026, 4, 19), actor="y")
    assert stored_events(app)[-1].seq == event.seq
