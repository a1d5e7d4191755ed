"""A broken workflow file is refused with one line per problem: `FILE:LINE:COL: path: reason`.

One test per kind of bad file. Each starts from MINI_WORKFLOW (see factories.py for its line
numbers), breaks one thing, and asserts the whole message.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from isms_flow.errors import WorkflowDefinitionError
from isms_flow.workflow.loader import load_workflow_file, load_workflow_text
from isms_flow.workflow.requirements import known_requirement_types
from isms_flow.workflow.schema import FORMAT_VERSION, WorkflowDefinition
from tests.unit.factories import MINI_WORKFLOW, edit

WriteWorkflow = Callable[[str], Path]


@pytest.fixture
def write(tmp_path: Path) -> WriteWorkflow:
    """Write workflow text to tmp_path/wf.yaml and return the path."""

    def _write(text: str) -> Path:
        path = tmp_path / "wf.yaml"
        path.write_text(text, encoding="utf-8")
        return path

    return _write


def problems_of(path: Path) -> list[str]:
    """The problems the loader reports for `path` (fails when the file loads)."""
    with pytest.raises(WorkflowDefinitionError) as caught:
        load_workflow_file(path)
    assert str(caught.value) == "\n".join(caught.value.problems)
    return caught.value.problems


def test_the_mini_workflow_used_below_is_valid(write: WriteWorkflow) -> None:
    loaded = load_workflow_file(write(MINI_WORKFLOW))
    assert loaded.definition.name == "mini"
    assert [s.name for s in loaded.definition.states] == ["start", "done"]


def test_yaml_syntax_error_names_line_and_column(write: WriteWorkflow) -> None:
    path = write(edit(MINI_WORKFLOW, "  - name: done", "  - name: done: again"))
    assert problems_of(path) == [f"{path}:16:15: YAML: mapping values are not allowed here"]


def test_unclosed_flow_sequence_is_a_yaml_error(write: WriteWorkflow) -> None:
    path = write(edit(MINI_WORKFLOW, "    source: start", "    source: [start"))
    assert problems_of(path) == [
        f"{path}:22:9: YAML: while parsing a flow sequence expected ',' or ']', but got ':'"
    ]


def test_unknown_source_state_lists_known_states(write: WriteWorkflow) -> None:
    path = write(edit(MINI_WORKFLOW, "source: start", "source: strat"))
    assert problems_of(path) == [
        f"{path}:21:13: transitions[0].source[0]: unknown state 'strat' (known: start, done)"
    ]


def test_unknown_source_in_a_list_points_at_the_list_item(write: WriteWorkflow) -> None:
    path = write(edit(MINI_WORKFLOW, "source: start", "source: [start, ended]"))
    assert problems_of(path) == [
        f"{path}:21:21: transitions[0].source[1]: unknown state 'ended' (known: start, done)"
    ]


def test_unknown_dest_state_lists_known_states(write: WriteWorkflow) -> None:
    path = write(edit(MINI_WORKFLOW, "dest: done", "dest: dnoe"))
    assert problems_of(path) == [
        f"{path}:22:11: transitions[0].dest: unknown state 'dnoe' (known: start, done)"
    ]


def test_unknown_initial_state_lists_known_states(write: WriteWorkflow) -> None:
    path = write(edit(MINI_WORKFLOW, "initial: start", "initial: begin"))
    assert problems_of(path) == [
        f"{path}:5:10: initial: unknown state 'begin' (known: start, done)"
    ]


def test_unreachable_state_is_refused(write: WriteWorkflow) -> None:
    path = write(
        edit(
            MINI_WORKFLOW,
            "transitions:\n",
            "  - name: lost\n    title: {en: Lost, ja: 迷子}\n    final: true\ntransitions:\n",
        )
    )
    assert problems_of(path) == [
        f"{path}:19:5: states[2]: state 'lost' cannot be reached from 'start'"
    ]


def test_non_final_state_without_a_way_out_is_refused(write: WriteWorkflow) -> None:
    path = write(edit(MINI_WORKFLOW, "    final: true\n", ""))
    assert problems_of(path) == [
        f"{path}:16:5: states[1]: state 'done' has no way out and is not marked final: true"
    ]


def test_final_state_with_transitions_out_is_refused(write: WriteWorkflow) -> None:
    path = write(
        MINI_WORKFLOW + "  - {trigger: reopen, source: done, dest: start, title: {en: R, ja: 再}}\n"
    )
    assert problems_of(path) == [
        f"{path}:16:5: states[1]: final state 'done' has transitions out of it"
    ]


def test_duplicate_state_name_points_at_the_second_one(write: WriteWorkflow) -> None:
    path = write(
        edit(
            MINI_WORKFLOW,
            "transitions:\n",
            "  - name: start\n    title: {en: Again, ja: 再び}\ntransitions:\n",
        )
    )
    assert problems_of(path) == [
        f"{path}:19:11: states[2].name: duplicate state 'start' (first defined as states[0])"
    ]


def test_duplicate_yaml_key_is_refused(write: WriteWorkflow) -> None:
    path = write(edit(MINI_WORKFLOW, "version: 1\n", "version: 1\nversion: 2\n"))
    assert problems_of(path) == [
        f"{path}:4:1: YAML: while constructing a mapping found duplicate key "
        '"version" with value "2" (original value: "1")'
    ]


def test_duplicate_trigger_from_the_same_source_is_refused(write: WriteWorkflow) -> None:
    path = write(
        MINI_WORKFLOW
        + "  - {trigger: finish, source: start, dest: start, title: {en: F, ja: 終}}\n"
    )
    assert problems_of(path) == [
        f"{path}:24:15: transitions[1].trigger: "
        "duplicate trigger 'finish' from 'start' (already transitions[0])"
    ]


def test_unknown_requirement_type_lists_known_types(write: WriteWorkflow) -> None:
    path = write(edit(MINI_WORKFLOW, "- evidence: plan", "- document: plan"))
    known = known_requirement_types()  # the engine's own types and every register's
    assert {"evidence", "scope"} <= set(known) and list(known) == sorted(known)
    assert problems_of(path) == [
        f"{path}:14:9: states[0].requires[0]: "
        f"unknown requirement type 'document' (known: {', '.join(known)})"
    ]


def test_requirement_with_unknown_parameter_is_refused(write: WriteWorkflow) -> None:
    path = write(
        edit(MINI_WORKFLOW, "approved_by_role: boss", "approved_by_role: boss\n        minimum: 2")
    )
    assert problems_of(path) == [
        f"{path}:14:9: states[0].requires[0]: "
        "evidence requirement: minimum: Extra inputs are not permitted"
    ]


def test_requirement_with_two_types_is_refused(write: WriteWorkflow) -> None:
    path = write(edit(MINI_WORKFLOW, "approved_by_role: boss", "scope: defined"))
    assert problems_of(path) == [
        f"{path}:14:9: states[0].requires[0]: "
        "a requirement has exactly one type, found evidence, scope"
    ]


def test_undeclared_evidence_kind_is_refused(write: WriteWorkflow) -> None:
    path = write(edit(MINI_WORKFLOW, "- evidence: plan", "- evidence: budget"))
    assert problems_of(path) == [
        f"{path}:14:9: states[0].requires[0]: "
        "evidence kind 'budget' is not declared in evidence_kinds"
    ]


def test_undeclared_role_is_refused(write: WriteWorkflow) -> None:
    path = write(edit(MINI_WORKFLOW, "approved_by_role: boss", "approved_by_role: ceo"))
    assert problems_of(path) == [
        f"{path}:14:9: states[0].requires[0]: role 'ceo' is not declared in roles"
    ]


def test_title_without_japanese_is_refused(write: WriteWorkflow) -> None:
    path = write(edit(MINI_WORKFLOW, "title: {en: Done, ja: 完了}", "title: {en: Done}"))
    assert problems_of(path) == [f"{path}:17:5: states[1].title.ja: Field required"]


def test_empty_english_title_is_refused(write: WriteWorkflow) -> None:
    path = write(edit(MINI_WORKFLOW, "{en: Finish,", "{en: '',"))
    assert problems_of(path) == [
        f"{path}:23:17: transitions[0].title.en: String should have at least 1 character"
    ]


def test_unknown_top_level_field_is_refused(write: WriteWorkflow) -> None:
    path = write(edit(MINI_WORKFLOW, "initial: start\n", "initial: start\ncallbacks: [run]\n"))
    assert problems_of(path) == [f"{path}:6:1: callbacks: unknown field"]


def test_format_newer_than_supported_is_refused(write: WriteWorkflow) -> None:
    assert FORMAT_VERSION == 1
    path = write(edit(MINI_WORKFLOW, "format: 1", "format: 2"))
    assert problems_of(path) == [
        f"{path}:1:9: format: format 2 is newer than 1, the newest this isms-flow reads; "
        "upgrade isms-flow"
    ]


def test_python_tag_is_refused_and_nothing_is_executed(
    write: WriteWorkflow, tmp_path: Path
) -> None:
    marker = tmp_path / "executed"
    tag = f"!!python/object/apply:os.system ['touch {marker}']"
    path = write(edit(MINI_WORKFLOW, "name: mini", f"name: {tag}"))
    assert problems_of(path) == [
        f"{path}:2:1: name: YAML tag '!!python/object/apply:os.system' is not allowed: "
        "a workflow file is plain data"
    ]
    assert not marker.exists()


def test_python_tag_on_a_whole_document_is_refused_and_nothing_is_executed(
    write: WriteWorkflow, tmp_path: Path
) -> None:
    marker = tmp_path / "executed"
    path = write(f"!!python/object/apply:os.system ['touch {marker}']\n")
    assert problems_of(path) == [
        f"{path}:1:1: <file>: YAML tag '!!python/object/apply:os.system' is not allowed: "
        "a workflow file is plain data"
    ]
    assert not marker.exists()


def test_python_tag_on_a_valid_mapping_is_not_silently_accepted(write: WriteWorkflow) -> None:
    tagged = "title: !!python/object/apply:os.system {en: Mini workflow, ja: ミニワークフロー}"
    path = write(edit(MINI_WORKFLOW, "title: {en: Mini workflow, ja: ミニワークフロー}", tagged))
    assert problems_of(path) == [
        f"{path}:4:1: title: YAML tag '!!python/object/apply:os.system' is not allowed: "
        "a workflow file is plain data"
    ]


def test_empty_file_is_refused(write: WriteWorkflow) -> None:
    path = write("")
    assert problems_of(path) == [f"{path}:1:1: the file must be a mapping of fields"]


@pytest.mark.parametrize("text", ["- scoping\n- policy\n", "just a sentence\n", "42\n"])
def test_top_level_that_is_not_a_mapping_is_refused(write: WriteWorkflow, text: str) -> None:
    path = write(text)
    assert problems_of(path) == [f"{path}:1:1: the file must be a mapping of fields"]


def test_bytes_that_are_not_utf8_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("name: café\n".encode("latin-1"))
    assert problems_of(path) == [f"{path}: not UTF-8 text (byte 9)"]


def test_missing_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.yaml"
    assert problems_of(path) == [f"{path}: no such file"]


def test_directory_is_reported(tmp_path: Path) -> None:
    assert problems_of(tmp_path) == [f"{tmp_path}: is a directory, not a workflow file"]


def test_every_problem_of_a_file_is_reported_at_once(write: WriteWorkflow) -> None:
    text = edit(MINI_WORKFLOW, "dest: done", "dest: dnoe")
    text = edit(text, "approved_by_role: boss", "approved_by_role: ceo")
    path = write(text)
    assert problems_of(path) == [
        f"{path}:22:11: transitions[0].dest: unknown state 'dnoe' (known: start, done)",
        f"{path}:14:9: states[0].requires[0]: role 'ceo' is not declared in roles",
    ]


def test_text_source_names_the_messages() -> None:
    with pytest.raises(WorkflowDefinitionError) as caught:
        load_workflow_text(edit(MINI_WORKFLOW, "dest: done", "dest: dnoe"), source="inline")
    assert caught.value.problems == [
        "inline:22:11: transitions[0].dest: unknown state 'dnoe' (known: start, done)"
    ]


# The shipped workflow


def test_shipped_workflow_loads_with_its_states_and_transitions(
    iso: WorkflowDefinition,
) -> None:
    assert (iso.name, iso.version, iso.initial) == ("iso27001-2022", 1, "scoping")
    assert len(iso.states) == 22
    assert len(iso.transitions) == 28
    assert [s.name for s in iso.states if s.final] == ["withdrawn", "cancelled"]


def test_shipped_workflow_has_english_and_japanese_for_every_label(
    iso: WorkflowDefinition,
) -> None:
    labels = [("workflow", iso.title)]
    labels += [(f"state {s.name}", s.title) for s in iso.states]
    labels += [(f"transitions {t.trigger} {t.source}", t.title) for t in iso.transitions]
    labels += [(f"evidence kind {k}", text) for k, text in iso.evidence_kinds.items()]
    labels += [(f"role {r}", text) for r, text in iso.roles.items()]
    missing = [where for where, text in labels if not text.en.strip() or not text.ja.strip()]
    assert missing == []
    # Japanese labels really are Japanese, not a copy of the English.
    assert all(text.ja != text.en for _, text in labels)


def test_shipped_workflow_declares_only_kinds_and_roles_it_uses(
    iso: WorkflowDefinition,
) -> None:
    requirements = [r for s in iso.states for r in s.requires]
    requirements += [r for t in iso.transitions for r in t.requires]
    assert {k for r in requirements for k in r.evidence_kinds()} == set(iso.evidence_kinds)
    assert {role for r in requirements for role in r.roles()} == set(iso.roles)


def test_workflow_without_transitions_is_refused(write: WriteWorkflow) -> None:
    text = MINI_WORKFLOW.split("transitions:\n")[0] + "transitions: []\n"
    path = write(text)
    assert problems_of(path) == [
        f"{path}:19:1: transitions: Tuple should have at least 1 item after validation, not 0"
    ]
