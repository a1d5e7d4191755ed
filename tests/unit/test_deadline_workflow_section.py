"""The `deadlines:` section of a workflow file is validated at load like the rest: one line per
problem, `FILE:LINE:COL: path: reason`, and a rule can only name a registered rule type."""

from __future__ import annotations

from pathlib import Path

import pytest

from isms_flow.errors import WorkflowDefinitionError
from isms_flow.schedule.rules import rule_types
from isms_flow.workflow.deadline_section import DEFAULT_REMIND
from isms_flow.workflow.loader import load_workflow_file
from tests.conftest import ISO_WORKFLOW
from tests.unit.factories import MINI_WORKFLOW, edit

# MINI_WORKFLOW has 23 lines: the section starts on line 24.
SECTION = """\
deadlines:
  remind: [30, 7]
  milestones:
    certification_decision:
      - {source: start, dest: done}
  certification_bodies:
    Some Body:
      plan_review: 10 days before valid_until
  rules:
    - name: plan_review
      rule: evidence_validity
      title: {en: Plan review, ja: 計画の見直し}
      due: 0 days before valid_until
      kinds: [plan]
      on_overdue: escalate
    - name: stuck
      rule: time_in_state
      title: {en: Leave the start, ja: 開始を抜ける}
      due: 2 months after stage_entered
      stage: start
      met_by: [finish]
      on_overdue: finish
"""
WITH_DEADLINES = MINI_WORKFLOW + SECTION


@pytest.fixture
def write(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Write WITH_DEADLINES with one replacement and return its path."""

    def _write(old: str = "", new: str = "") -> Path:
        path = tmp_path / "wf.yaml"
        text = edit(WITH_DEADLINES, old, new) if old else WITH_DEADLINES
        path.write_text(text, encoding="utf-8")
        return path

    return _write


def problems_of(path: Path) -> list[str]:
    """The problems the loader reports (fails when the file loads)."""
    with pytest.raises(WorkflowDefinitionError) as caught:
        load_workflow_file(path)
    return caught.value.problems


def test_a_valid_section_loads_with_its_rules_offsets_and_terms(write) -> None:  # type: ignore[no-untyped-def]
    section = load_workflow_file(write()).definition.deadlines
    assert [rule.name for rule in section.rules] == ["plan_review", "stuck"]
    assert section.offsets(section.rule("plan_review")) == (30, 7)
    assert section.rule("stuck").due.amount == 2 and section.rule("stuck").due.unit == "months"
    assert section.certification_bodies["Some Body"]["plan_review"].text == (
        "10 days before valid_until"
    )


def test_a_workflow_without_deadlines_has_an_empty_section_with_the_default_offsets() -> None:
    from isms_flow.workflow.loader import load_workflow_text

    section = load_workflow_text(MINI_WORKFLOW, source="mini.yaml").deadlines
    assert (section.rules, section.remind) == ((), DEFAULT_REMIND)


def test_the_shipped_workflow_defines_every_rule_the_issue_asks_for() -> None:
    section = load_workflow_file(ISO_WORKFLOW).definition.deadlines
    assert {rule.rule for rule in section.rules} == set(rule_types())
    by_name = {rule.name: rule for rule in section.rules}
    assert by_name["surveillance_audit"].on_overdue == "suspend"
    assert by_name["certificate_expiry"].on_overdue == "expire"
    assert by_name["suspension_limit"].on_overdue == "withdraw"
    assert by_name["corrective_action_response"].due.text == "90 days after audit_end"


def test_an_unknown_rule_type_lists_the_known_ones(write) -> None:  # type: ignore[no-untyped-def]
    path = write("rule: evidence_validity", "rule: evidence_validty")
    known = ", ".join(sorted(rule_types()))
    assert problems_of(path) == [
        f"{path}:34:13: deadlines.rules[0].rule: unknown deadline rule 'evidence_validty' "
        f"(known: {known})"
    ]


def test_on_overdue_must_be_a_trigger_of_the_workflow_or_escalate(write) -> None:  # type: ignore[no-untyped-def]
    path = write("on_overdue: finish", "on_overdue: finsh")
    assert problems_of(path) == [
        f"{path}:45:19: deadlines.rules[1].on_overdue: unknown trigger 'finsh' "
        "(known: finish; or escalate)"
    ]


def test_reminder_offsets_are_days_before_the_due_date_each_listed_once(write) -> None:  # type: ignore[no-untyped-def]
    path = write("remind: [30, 7]", "remind: [30, -7, 30, 4000]")
    assert problems_of(path) == [
        f"{path}:25:16: deadlines.remind[1]: reminder offset -7 must be 0 to 3650 days before "
        "the due date",
        f"{path}:25:20: deadlines.remind[2]: reminder offset 30 is listed twice",
        f"{path}:25:24: deadlines.remind[3]: reminder offset 4000 must be 0 to 3650 days "
        "before the due date",
    ]


def test_offsets_may_be_written_in_days_like_30d(write) -> None:  # type: ignore[no-untyped-def]
    path = write("remind: [30, 7]", "remind: [30d, 7d]")
    assert load_workflow_file(path).definition.deadlines.remind == (30, 7)


def test_a_deadline_name_is_defined_once(write) -> None:  # type: ignore[no-untyped-def]
    path = write("name: stuck", "name: plan_review")
    assert problems_of(path) == [
        f"{path}:39:13: deadlines.rules[1].name: duplicate deadline 'plan_review' "
        "(first defined as deadlines.rules[0])"
    ]


def test_a_due_date_that_does_not_parse_says_how_to_write_it(write) -> None:  # type: ignore[no-untyped-def]
    path = write("due: 2 months after stage_entered", "due: soon")
    assert problems_of(path) == [
        f"{path}:42:12: deadlines.rules[1].due: due 'soon' must read 'N days|months|years "
        "after|before ANCHOR', e.g. '12 months after certification_decision'"
    ]


def test_a_rule_counts_only_from_the_anchors_its_type_knows(write) -> None:  # type: ignore[no-untyped-def]
    path = write("due: 2 months after stage_entered", "due: 2 months after certification_decision")
    assert problems_of(path) == [
        f"{path}:42:12: deadlines.rules[1].due: rule 'time_in_state' counts from stage_entered "
        "or certificate_expiry, not 'certification_decision'"
    ]


def test_a_rule_due_before_its_anchor_refuses_after(write) -> None:  # type: ignore[no-untyped-def]
    path = write("due: 0 days before valid_until", "due: 3 days after valid_until")
    assert problems_of(path) == [
        f"{path}:36:12: deadlines.rules[0].due: rule 'evidence_validity' is due before "
        "valid_until: write 'N days|months before valid_until'"
    ]


def test_an_option_must_fit_the_rule_type_and_the_workflow(write) -> None:  # type: ignore[no-untyped-def]
    path = write("kinds: [plan]", "kinds: [plna]\n      grades: [major]")
    assert problems_of(path) == [
        f"{path}:37:15: deadlines.rules[0].kinds[0]: evidence kind 'plna' is not declared in "
        "evidence_kinds",
        f"{path}:38:7: deadlines.rules[0].grades: 'grades' does not apply to rule "
        "'evidence_validity'",
    ]


def test_met_by_names_triggers_of_the_workflow(write) -> None:  # type: ignore[no-untyped-def]
    path = write("met_by: [finish]", "met_by: [fnish]")
    assert problems_of(path) == [
        f"{path}:44:16: deadlines.rules[1].met_by[0]: unknown trigger 'fnish' (known: finish)"
    ]


def test_a_time_limit_needs_the_stage_it_limits(write) -> None:  # type: ignore[no-untyped-def]
    path = write("      stage: start\n", "")
    assert problems_of(path) == [
        f"{path}:39:7: deadlines.rules[1]: rule 'time_in_state' needs `stage`: the state whose "
        "time it limits"
    ]


def test_an_unknown_stage_lists_the_states(write) -> None:  # type: ignore[no-untyped-def]
    path = write("      stage: start\n", "      stage: strat\n")
    assert problems_of(path) == [
        f"{path}:43:14: deadlines.rules[1].stage: unknown state 'strat' (known: start, done)"
    ]


def test_milestones_are_known_facts_matching_real_transitions(write) -> None:  # type: ignore[no-untyped-def]
    path = write("    certification_decision:", "    certification_decided:")
    assert problems_of(path)[0].startswith(
        f"{path}:27:5: deadlines.milestones.certification_decided: unknown milestone "
        "'certification_decided' (known: certification_decision, internal_audit, "
    )
    path = write("{source: start, dest: done}", "{source: done, dest: start}")
    assert problems_of(path) == [
        f"{path}:28:9: deadlines.milestones.certification_decision[0]: matches no transition "
        "of this workflow"
    ]
    path = write("{source: start, dest: done}", "{source: strat}")
    assert problems_of(path) == [
        f"{path}:28:18: deadlines.milestones.certification_decision[0].source: unknown state "
        "'strat' (known: start, done)"
    ]
    path = write("{source: start, dest: done}", "{}")
    assert problems_of(path) == [
        f"{path}:28:9: deadlines.milestones.certification_decision[0]: a milestone names at "
        "least one of trigger, source, dest"
    ]


def test_a_certification_body_sets_terms_only_for_defined_deadlines(write) -> None:  # type: ignore[no-untyped-def]
    path = write("      plan_review: 10 days", "      plan_reveiw: 10 days")
    assert problems_of(path) == [
        f"{path}:31:20: deadlines.certification_bodies.Some Body.plan_reveiw: unknown deadline "
        "'plan_reveiw' (known: plan_review, stuck)"
    ]
    path = write("plan_review: 10 days before valid_until", "plan_review: 10 days after stage2_end")
    assert problems_of(path) == [
        f"{path}:31:20: deadlines.certification_bodies.Some Body.plan_review: rule "
        "'evidence_validity' counts from valid_until, not 'stage2_end'"
    ]
