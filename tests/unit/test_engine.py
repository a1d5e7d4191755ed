"""Guards and the compiled machine, on the shipped ISO/IEC 27001 workflow."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from isms_flow.errors import InvalidTrigger
from isms_flow.isms.audits import AuditRegister
from isms_flow.workflow.engine import assess_stage, assess_trigger
from isms_flow.workflow.machine import CompiledWorkflow, compile_workflow
from isms_flow.workflow.schema import WorkflowDefinition
from isms_flow.workflow.snapshot import EvidenceFact, ProjectSnapshot, Scope
from tests.unit.factories import CTX, TODAY, fact


def snapshot(state: str, *facts: EvidenceFact, scope: Scope | None = None) -> ProjectSnapshot:
    """A project at `state` with the given current evidence versions."""
    return ProjectSnapshot(state=state, scope=scope, evidence=facts)


def numbered(*facts: EvidenceFact) -> tuple[EvidenceFact, ...]:
    """Give each fact its own document id, as the store would."""
    return tuple(replace(f, document_id=index) for index, f in enumerate(facts, 1))


SCOPING_DONE = numbered(
    fact("scope_statement", "scope.pdf", approved_by=("top_management",)),
    fact("asset_inventory", "assets.xlsx"),
    fact("context_analysis", "context.docx"),
)


# assess_stage


def test_stage_checklist_lists_each_requirement_in_file_order(iso: WorkflowDefinition) -> None:
    report = assess_stage(iso, snapshot("scoping"), CTX)
    assert report.state.name == "scoping"
    assert [r.label.en for r in report.checklist] == [
        "Certification scope recorded (whole organization or named departments/sites)",
        "ISMS scope statement (4.3) (approved by Top management)",
        "Information asset inventory",
        "Issues and interested parties (4.1/4.2)",
    ]
    assert [r.met for r in report.checklist] == [False, False, False, False]


def test_stage_options_are_every_trigger_out_of_the_stage(iso: WorkflowDefinition) -> None:
    report = assess_stage(iso, snapshot("scoping"), CTX)
    assert [(o.trigger, o.dest) for o in report.options] == [
        ("advance", "policy"),
        ("cancel", "cancelled"),
    ]
    advance, cancel = report.options
    assert advance.title.en == "Advance to the next stage"
    assert advance.title.ja == "次の段階へ進む"
    assert [b.code for b in advance.blockers] == [
        "scope",
        "scope_statement",
        "asset_inventory",
        "context_analysis",
    ]
    assert not advance.open
    # cancel does not check the stage: only its own requirement blocks it.
    assert [b.code for b in cancel.blockers] == ["cancellation_decision"]
    assert [b.message.en for b in cancel.blockers] == [
        "cancellation_decision: no Decision to stop the certification project uploaded"
    ]


def test_advance_opens_when_every_stage_requirement_is_met(iso: WorkflowDefinition) -> None:
    report = assess_stage(
        iso, snapshot("scoping", *SCOPING_DONE, scope=Scope(whole_organization=True)), CTX
    )
    assert all(r.met for r in report.checklist)
    advance = report.options[0]
    assert advance.open
    assert advance.blockers == ()
    assert len(advance.results) == 4


def test_one_missing_document_leaves_exactly_its_blocker(iso: WorkflowDefinition) -> None:
    evidence = SCOPING_DONE[:2]
    report = assess_stage(
        iso, snapshot("scoping", *evidence, scope=Scope(whole_organization=True)), CTX
    )
    assert [b.message.en for b in report.options[0].blockers] == [
        "context_analysis: no Issues and interested parties (4.1/4.2) uploaded"
    ]


def test_side_path_ignores_stage_requirements_but_applies_its_own(
    iso: WorkflowDefinition,
) -> None:
    # stage1_audit requires its report and resolved concerns; report_stage1_concerns requires
    # the same report but not via the stage, and cancel requires only the cancellation decision.
    no_audits = replace(snapshot("stage1_audit"), registers={"audits": AuditRegister()})
    report = assess_stage(iso, no_audits, CTX)
    options = {o.trigger: o for o in report.options}
    assert list(options) == ["advance", "report_stage1_concerns", "cancel"]
    assert [b.code for b in options["advance"].blockers] == [
        "stage1_audit_report",
        "stage1_concerns",
    ]
    assert [b.code for b in options["report_stage1_concerns"].blockers] == ["stage1_audit_report"]
    assert len(options["report_stage1_concerns"].results) == 1

    decision = fact("cancellation_decision", "stop.pdf", approved_by=("top_management",))
    with_decision = replace(snapshot("stage1_audit", decision), registers=no_audits.registers)
    cancel = assess_trigger(iso, with_decision, CTX, "cancel")
    assert cancel.open
    assert cancel.dest == "cancelled"


def test_side_path_without_requirements_is_always_open(iso: WorkflowDefinition) -> None:
    # follow_up_audit's own requirement is unmet, yet repeat_stage2 does not check the stage.
    no_findings = replace(snapshot("follow_up_audit"), registers={"audits": AuditRegister()})
    option = assess_trigger(iso, no_findings, CTX, "repeat_stage2")
    assert option.open
    assert option.results == ()
    advance = assess_trigger(iso, no_findings, CTX, "advance")
    assert [b.code for b in advance.blockers] == ["follow_up_audit_report"]


def test_side_path_own_requirement_uses_its_own_parameters(iso: WorkflowDefinition) -> None:
    # restore needs recertification documents no older than 183 days.
    old = numbered(
        fact("recertification_audit_report", "ra.pdf", effective_date=TODAY - timedelta(days=184)),
        fact("recertification_decision", "rd.pdf", effective_date=TODAY - timedelta(days=183)),
    )
    option = assess_trigger(iso, snapshot("expired", *old), CTX, "restore")
    assert [b.message.en for b in option.blockers] == [
        "recertification_audit_report: 0 of 1 required Recertification audit report qualify — "
        "'ra.pdf' v1: dated 2025-09-29, older than 183 days"
    ]


def test_final_stage_has_an_empty_checklist_and_no_options(iso: WorkflowDefinition) -> None:
    report = assess_stage(iso, snapshot("withdrawn"), CTX)
    assert report.checklist == ()
    assert report.options == ()


# assess_trigger


def test_trigger_not_valid_from_the_stage_lists_the_valid_ones(iso: WorkflowDefinition) -> None:
    with pytest.raises(InvalidTrigger) as caught:
        assess_trigger(iso, snapshot("scoping"), CTX, "restore")
    assert (
        str(caught.value)
        == "'restore' is not possible from stage 'scoping' (possible: advance, cancel)"
    )
    assert caught.value.valid == ["advance", "cancel"]
    assert (caught.value.trigger, caught.value.state) == ("restore", "scoping")


def test_trigger_from_a_final_stage_says_the_stage_is_final(iso: WorkflowDefinition) -> None:
    with pytest.raises(InvalidTrigger) as caught:
        assess_trigger(iso, snapshot("cancelled"), CTX, "advance")
    assert str(caught.value) == (
        "'advance' is not possible from stage 'cancelled' (possible: none: this stage is final)"
    )


def test_assess_trigger_agrees_with_assess_stage(iso: WorkflowDefinition) -> None:
    state = snapshot("scoping", *SCOPING_DONE[:1])
    report = assess_stage(iso, state, CTX)
    for option in report.options:
        assert assess_trigger(iso, state, CTX, option.trigger) == option


# The compiled machine


def test_fire_returns_the_new_state_when_permitted(iso_compiled: CompiledWorkflow) -> None:
    assert iso_compiled.fire("scoping", "advance", permitted=True) == "policy"
    assert iso_compiled.fire("surveillance_audit_2", "suspend", permitted=True) == "suspended"
    assert iso_compiled.fire("expired", "restart_with_stage2", permitted=True) == "stage2_audit"


def test_fire_returns_none_when_not_permitted(iso_compiled: CompiledWorkflow) -> None:
    assert iso_compiled.fire("scoping", "advance", permitted=False) is None
    # The machine is shared: a refused fire leaves nothing behind for the next one.
    assert iso_compiled.fire("scoping", "advance", permitted=True) == "policy"


def test_fire_of_a_trigger_not_defined_for_the_state_raises(
    iso_compiled: CompiledWorkflow,
) -> None:
    with pytest.raises(InvalidTrigger) as caught:
        iso_compiled.fire("scoping", "restore", permitted=True)
    assert caught.value.valid == ["advance", "cancel"]


def test_fire_of_an_unknown_trigger_raises_listing_valid_ones(
    iso_compiled: CompiledWorkflow,
) -> None:
    with pytest.raises(InvalidTrigger) as caught:
        iso_compiled.fire("expired", "fly_away", permitted=True)
    assert str(caught.value) == (
        "'fly_away' is not possible from stage 'expired' "
        "(possible: withdraw, restore, restart_with_stage2)"
    )


def test_compiled_workflow_is_keyed_by_name_and_version(iso_compiled: CompiledWorkflow) -> None:
    assert iso_compiled.key == ("iso27001-2022", 1)
    assert len(iso_compiled.digest) == 64
    assert iso_compiled.valid_triggers("suspended") == ["reinstate", "withdraw", "expire"]


def test_machine_keeps_no_models_however_often_it_fires(iso: WorkflowDefinition) -> None:
    compiled = compile_workflow(iso, "digest")
    for _ in range(50):
        for transition in iso.transitions:
            for source in transition.source:
                assert compiled.fire(source, transition.trigger, permitted=True) == transition.dest
                assert compiled.fire(source, transition.trigger, permitted=False) is None
    assert compiled.machine.models == []


def test_machine_has_no_automatic_transitions(iso_compiled: CompiledWorkflow) -> None:
    assert "to_certified" not in iso_compiled.machine.events
    with pytest.raises(InvalidTrigger):
        iso_compiled.fire("scoping", "to_certified", permitted=True)


@settings(max_examples=50, deadline=None)
@given(data=st.data())
def test_random_walk_follows_the_definition(
    data: st.DataObject, iso: WorkflowDefinition, iso_compiled: CompiledWorkflow
) -> None:
    state = iso.initial
    for _ in range(30):
        valid = iso_compiled.valid_triggers(state)
        if not valid:
            assert iso.state(state).final
            break
        trigger = data.draw(st.sampled_from(valid))
        expected = next(t.dest for t in iso.transitions_from(state) if t.trigger == trigger)
        if not data.draw(st.booleans()):
            assert iso_compiled.fire(state, trigger, permitted=False) is None
        assert iso_compiled.fire(state, trigger, permitted=True) == expected
        state = expected
    assert iso_compiled.machine.models == []
