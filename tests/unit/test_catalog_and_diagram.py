"""The workflow catalog (one compiled machine per name and version) and Mermaid diagrams."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from isms_flow.errors import NotFound, WorkflowDefinitionError
from isms_flow.workflow.catalog import WorkflowCatalog
from isms_flow.workflow.diagram import mermaid_diagram
from isms_flow.workflow.loader import load_workflow_text
from isms_flow.workflow.schema import WorkflowDefinition
from tests.conftest import ISO_WORKFLOW, WORKFLOWS
from tests.unit.factories import MINI_WORKFLOW, edit, mini_workflow


def folder_with(tmp_path: Path, name: str, files: dict[str, str]) -> Path:
    """A folder `name` under tmp_path holding the given workflow texts."""
    folder = tmp_path / name
    folder.mkdir()
    for filename, text in files.items():
        (folder / filename).write_text(text, encoding="utf-8")
    return folder


# Catalog


def test_shipped_catalog_compiles_the_iso_workflow() -> None:
    compiled = WorkflowCatalog([WORKFLOWS]).get("iso27001-2022")
    assert compiled.key == ("iso27001-2022", 1)
    assert compiled.digest == hashlib.sha256(ISO_WORKFLOW.read_bytes()).hexdigest()
    assert len(compiled.definition.states) == 22


def test_same_compiled_workflow_is_returned_every_time(tmp_path: Path) -> None:
    catalog = WorkflowCatalog([folder_with(tmp_path, "wf", {"mini.yaml": MINI_WORKFLOW})])
    first = catalog.get("mini")
    assert catalog.get("mini") is first
    assert catalog.get("mini", 1) is first
    assert first.machine is catalog.get("mini").machine


def test_newest_version_is_the_default_and_older_ones_stay_available(tmp_path: Path) -> None:
    folder = folder_with(
        tmp_path,
        "wf",
        {"mini-v1.yaml": mini_workflow(version=1), "mini-v2.yml": mini_workflow(version=2)},
    )
    catalog = WorkflowCatalog([folder])
    assert catalog.get("mini").key == ("mini", 2)
    assert catalog.get("mini", 1).key == ("mini", 1)
    assert catalog.get("mini", 1) is not catalog.get("mini", 2)
    assert [
        (w.definition.name, w.definition.version, w.path.name) for w in catalog.available()
    ] == [
        ("mini", 1, "mini-v1.yaml"),
        ("mini", 2, "mini-v2.yml"),
    ]


def test_versions_compare_as_numbers_not_text(tmp_path: Path) -> None:
    folder = folder_with(
        tmp_path, "wf", {"a.yaml": mini_workflow(version=10), "b.yaml": mini_workflow(version=9)}
    )
    assert WorkflowCatalog([folder]).get("mini").key == ("mini", 10)


def test_workflows_are_gathered_from_every_folder_and_other_files_ignored(
    tmp_path: Path,
) -> None:
    first = folder_with(tmp_path, "one", {"mini.yaml": MINI_WORKFLOW, "notes.txt": "not yaml"})
    second = folder_with(tmp_path, "two", {"other.yaml": mini_workflow(name="other")})
    catalog = WorkflowCatalog([first, second, tmp_path / "missing-folder"])
    assert [w.definition.name for w in catalog.available()] == ["mini", "other"]


def test_unknown_name_lists_the_installed_names(tmp_path: Path) -> None:
    folder = folder_with(
        tmp_path, "wf", {"a.yaml": MINI_WORKFLOW, "b.yaml": mini_workflow(name="alpha")}
    )
    with pytest.raises(NotFound) as caught:
        WorkflowCatalog([folder]).get("iso9001")
    assert str(caught.value) == "workflow iso9001 not found: installed: alpha, mini"


def test_unknown_name_in_an_empty_catalog_says_none_are_installed(tmp_path: Path) -> None:
    with pytest.raises(NotFound) as caught:
        WorkflowCatalog([folder_with(tmp_path, "empty", {})]).get("mini")
    assert str(caught.value) == "workflow mini not found: installed: none installed"


def test_unknown_version_lists_the_installed_versions(tmp_path: Path) -> None:
    folder = folder_with(
        tmp_path, "wf", {"a.yaml": mini_workflow(version=1), "b.yaml": mini_workflow(version=3)}
    )
    with pytest.raises(NotFound) as caught:
        WorkflowCatalog([folder]).get("mini", 2)
    assert str(caught.value) == "workflow mini version 2 not found: installed versions: 1, 3"


def test_same_name_and_version_in_two_files_names_both_files(tmp_path: Path) -> None:
    folder = folder_with(tmp_path, "wf", {"a.yaml": MINI_WORKFLOW, "b.yaml": MINI_WORKFLOW})
    with pytest.raises(WorkflowDefinitionError) as caught:
        WorkflowCatalog([folder]).get("mini")
    assert caught.value.problems == [
        f"{folder / 'b.yaml'}: workflow mini version 1 is also defined in {folder / 'a.yaml'}"
    ]


def test_broken_file_is_reported_by_the_catalog(tmp_path: Path) -> None:
    folder = folder_with(
        tmp_path,
        "wf",
        {"good.yaml": MINI_WORKFLOW, "bad.yaml": edit(MINI_WORKFLOW, "dest: done", "dest: x")},
    )
    with pytest.raises(WorkflowDefinitionError) as caught:
        WorkflowCatalog([folder]).available()
    assert caught.value.problems == [
        f"{folder / 'bad.yaml'}:22:11: transitions[0].dest: unknown state 'x' (known: start, done)"
    ]


# Diagram


def test_diagram_is_a_mermaid_state_diagram_starting_at_the_initial_state(
    iso: WorkflowDefinition,
) -> None:
    lines = mermaid_diagram(iso).splitlines()
    assert lines[0] == "stateDiagram-v2"
    assert "    [*] --> scoping" in lines
    assert '    state "Define the ISMS scope" as scoping' in lines


def test_diagram_has_every_transition_edge(iso: WorkflowDefinition) -> None:
    lines = mermaid_diagram(iso).splitlines()
    expected = [
        f"    {source} --> {t.dest} : {t.trigger}" for t in iso.transitions for source in t.source
    ]
    edges = [line for line in lines if " : " in line]
    assert edges == expected
    assert len(edges) == 49
    assert "    expired --> certified : restore" in edges
    assert "    recertification_audit --> suspended : suspend" in edges


def test_diagram_ends_only_the_final_states(iso: WorkflowDefinition) -> None:
    ends = [line for line in mermaid_diagram(iso).splitlines() if line.endswith("--> [*]")]
    assert ends == ["    withdrawn --> [*]", "    cancelled --> [*]"]


def test_diagram_in_japanese_labels_states_in_japanese(iso: WorkflowDefinition) -> None:
    text = mermaid_diagram(iso, lang="ja")
    assert '    state "ISMSの適用範囲を決める" as scoping' in text
    assert '    state "第2段階審査（現地審査）" as stage2_audit' in text
    assert "Define the ISMS scope" not in text
    # Triggers stay machine names in both languages.
    assert "    scoping --> policy : advance" in text


def test_diagram_label_quotes_cannot_break_the_mermaid_syntax() -> None:
    text = edit(MINI_WORKFLOW, "{en: Start, ja: 開始}", '{en: "The \\"start\\"", ja: 開始}')
    definition = load_workflow_text(text, source="inline")
    assert mermaid_diagram(definition) == (
        "stateDiagram-v2\n"
        "    %% mini v1\n"
        "    state \"The 'start'\" as start\n"
        '    state "Done" as done\n'
        "    [*] --> start\n"
        "    start --> done : finish\n"
        "    done --> [*]\n"
    )
