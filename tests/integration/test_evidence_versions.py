"""Evidence documents keep every version; approvals, restores and refusals behave sensibly."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from isms_flow.bootstrap import App
from isms_flow.errors import BadInput, GuardBlocked, NotFound
from isms_flow.services import evidence, projects
from isms_flow.services.lookup import find_project
from isms_flow.services.snapshots import evaluation_context, load_snapshot
from isms_flow.services.views import EvidenceView
from isms_flow.workflow.requirements import RequirementResult
from isms_flow.workflow.requirements.evidence import EvidenceRequirement
from tests.integration.support import MakeFile, event_count, row_count, satisfy_scoping


def _upload(app: App, ref: str, make_file: MakeFile, content: str, **extra: Any) -> EvidenceView:
    return evidence.add_evidence(
        app,
        ref=ref,
        kind=extra.pop("kind", "scope_statement"),
        file=make_file(extra.pop("filename", "scope.pdf"), content),
        actor=extra.pop("actor", "consultant"),
        **extra,
    )


def test_a_second_upload_of_a_kind_is_version_two_of_the_same_document(
    app: App, project_ref: str, make_file: MakeFile
) -> None:
    first = _upload(app, project_ref, make_file, "draft")
    second = _upload(app, project_ref, make_file, "final")
    assert (first.id, first.version) == (second.id, 1) and second.version == 2
    assert second.current and second.versions == 2
    listed = evidence.list_evidence(app, ref=project_ref, all_versions=True)
    assert [(v.version, v.current) for v in listed] == [(1, False), (2, True)]
    assert [v.version for v in evidence.list_evidence(app, ref=project_ref)] == [2]


def _judge(app: App, ref: str, requirement: EvidenceRequirement) -> RequirementResult:
    """Evaluate one requirement on the project's stored evidence, as a guard would."""
    with app.uow() as uow:
        project = find_project(uow.session, ref)
        definition = app.catalog.get(project.workflow_name, project.workflow_version).definition
        snapshot = load_snapshot(uow.session, project)
        context = evaluation_context(app.clock.now(), project.client.timezone)
    return requirement.evaluate(snapshot, context, definition.vocabulary)


def test_a_different_name_is_a_separate_document_so_min_count_two_can_be_met(
    app: App, project_ref: str, make_file: MakeFile
) -> None:
    # A workflow may ask for two documents of one kind (the shipped one no longer does: quotes
    # became register data); only distinct names make two documents, versions do not.
    two = EvidenceRequirement(evidence="isms_procedures", min_count=2)
    kind = "isms_procedures"
    first = _upload(app, project_ref, make_file, "v1", kind=kind, name="Document control")
    first_v2 = _upload(app, project_ref, make_file, "v2", kind=kind, name="Document control")
    assert first_v2.id == first.id and first_v2.version == 2
    result = _judge(app, project_ref, two)
    assert (result.met, result.have) == (False, 1)
    assert [b.message.en for b in result.blockers] == [
        "isms_procedures: 1 of 2 required ISMS procedures (document control, incidents, access "
        "control) qualify"
    ]

    second = _upload(app, project_ref, make_file, "ir", kind=kind, name="Incident response")
    assert second.id != first.id and second.version == 1
    assert _judge(app, project_ref, two).met


def test_restoring_v1_makes_it_current_again_and_its_approval_counts(
    app: App, project_ref: str, make_file: MakeFile
) -> None:
    satisfy_scoping(app, project_ref, make_file)  # scope_statement v1, approved
    [statement] = evidence.list_evidence(app, ref=project_ref, kind="scope_statement")
    _upload(app, project_ref, make_file, "an unapproved rewrite")  # v2 is current, unapproved
    with pytest.raises(GuardBlocked) as blocked:
        projects.fire_trigger(app, ref=project_ref, trigger="advance", actor="c")
    assert blocked.value.reasons == [
        "scope_statement: 0 of 1 required ISMS scope statement (4.3) qualify — "
        "'scope_statement' v2: not approved by Top management"
    ]

    restored = evidence.restore_evidence(
        app, ref=project_ref, document_id=statement.id, version=1, actor="c"
    )
    assert restored.version == 1 and restored.current
    assert [a.by for a in restored.approvals] == ["ceo"]
    all_versions = evidence.list_evidence(
        app, ref=project_ref, kind="scope_statement", all_versions=True
    )
    assert [(v.version, v.current) for v in all_versions] == [(1, True), (2, False)]
    assert projects.fire_trigger(app, ref=project_ref, trigger="advance", actor="c").to_state == (
        "policy"
    )


def test_a_new_upload_after_a_restore_takes_the_next_free_number(
    app: App, project_ref: str, make_file: MakeFile
) -> None:
    doc = _upload(app, project_ref, make_file, "one")
    _upload(app, project_ref, make_file, "two")
    evidence.restore_evidence(app, ref=project_ref, document_id=doc.id, version=1, actor="c")
    third = _upload(app, project_ref, make_file, "three")
    assert third.version == 3 and third.current


def test_restoring_the_current_version_is_refused(
    app: App, project_ref: str, make_file: MakeFile
) -> None:
    doc = _upload(app, project_ref, make_file, "only")
    events = event_count(app)
    with pytest.raises(BadInput, match="already the current version"):
        evidence.restore_evidence(app, ref=project_ref, document_id=doc.id, version=1, actor="c")
    with pytest.raises(NotFound, match="v7"):
        evidence.restore_evidence(app, ref=project_ref, document_id=doc.id, version=7, actor="c")
    assert event_count(app) == events


def test_approving_with_an_unknown_role_is_refused_listing_the_known_roles(
    app: App, project_ref: str, make_file: MakeFile
) -> None:
    doc = _upload(app, project_ref, make_file, "scope")
    with pytest.raises(BadInput) as refused:
        evidence.approve_evidence(
            app, ref=project_ref, document_id=doc.id, role="ceo", actor="alice"
        )
    message = str(refused.value)
    assert "unknown role 'ceo'" in message
    for role in ["top_management", "isms_manager", "risk_owner", "internal_auditor"]:
        assert role in message
    assert row_count(app, "evidence_approvals") == 0


def test_the_same_person_cannot_approve_twice_in_the_same_role(
    app: App, project_ref: str, make_file: MakeFile
) -> None:
    doc = _upload(app, project_ref, make_file, "scope")
    evidence.approve_evidence(
        app, ref=project_ref, document_id=doc.id, role="top_management", actor="ceo"
    )
    events = event_count(app)
    with pytest.raises(
        BadInput, match="ceo already approved 'scope_statement' v1 as top_management"
    ):
        evidence.approve_evidence(
            app, ref=project_ref, document_id=doc.id, role="top_management", actor="ceo"
        )
    assert event_count(app) == events
    # Another role, or another person, is a new approval.
    evidence.approve_evidence(
        app, ref=project_ref, document_id=doc.id, role="isms_manager", actor="ceo"
    )
    evidence.approve_evidence(
        app, ref=project_ref, document_id=doc.id, role="top_management", actor="coo"
    )
    assert row_count(app, "evidence_approvals") == 3


def test_approving_an_earlier_version_leaves_the_current_one_unapproved(
    app: App, project_ref: str, make_file: MakeFile
) -> None:
    doc = _upload(app, project_ref, make_file, "one")
    _upload(app, project_ref, make_file, "two")
    approved = evidence.approve_evidence(
        app, ref=project_ref, document_id=doc.id, role="top_management", actor="ceo", version=1
    )
    assert approved.version == 1 and not approved.current
    [current] = evidence.list_evidence(app, ref=project_ref, kind="scope_statement")
    assert current.version == 2 and current.approvals == []


def test_valid_until_before_the_effective_date_is_refused(
    app: App, project_ref: str, make_file: MakeFile
) -> None:
    with pytest.raises(
        BadInput, match="valid-until 2026-03-31 is before the effective date 2026-04-01"
    ):
        _upload(app, project_ref, make_file, "x", valid_until=date(2026, 3, 31))
    with pytest.raises(BadInput, match="before the effective date 2026-05-01"):
        _upload(
            app,
            project_ref,
            make_file,
            "x",
            effective_date=date(2026, 5, 1),
            valid_until=date(2026, 4, 30),
        )
    assert row_count(app, "evidence_versions") == 0
    assert event_count(app) == 2


def test_an_unknown_evidence_kind_is_refused_with_a_did_you_mean_hint(
    app: App, project_ref: str, make_file: MakeFile
) -> None:
    events = event_count(app)
    with pytest.raises(BadInput, match="did you mean 'scope_statement'") as refused:
        _upload(app, project_ref, make_file, "x", kind="scope_statment")
    assert "unknown evidence kind 'scope_statment'" in str(refused.value)
    with pytest.raises(BadInput) as far_off:
        _upload(app, project_ref, make_file, "x", kind="xyzzy")
    assert "did you mean" not in str(far_off.value)
    assert event_count(app) == events
    assert row_count(app, "evidence_documents") == 0


def test_evidence_of_another_project_cannot_be_approved_through_this_one(
    app: App, project_ref: str, make_file: MakeFile
) -> None:
    projects.create_project(app, client_key="acme", key="other", title="Other", actor="c")
    doc = _upload(app, "acme/other", make_file, "theirs")
    with pytest.raises(NotFound, match=f"evidence #{doc.id} of project acme/isms"):
        evidence.approve_evidence(
            app, ref=project_ref, document_id=doc.id, role="top_management", actor="ceo"
        )
    assert row_count(app, "evidence_approvals") == 0
