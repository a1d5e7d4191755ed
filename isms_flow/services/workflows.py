"""Use cases for workflow definitions: list, show, validate a file, draw a diagram."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel

from isms_flow.i18n import Language
from isms_flow.workflow.catalog import WorkflowCatalog
from isms_flow.workflow.diagram import mermaid_diagram
from isms_flow.workflow.loader import load_workflow_file

__all__ = [
    "StateSummary",
    "WorkflowSummary",
    "describe_workflow",
    "diagram_workflow",
    "list_workflows",
    "validate_workflow_file",
]


class StateSummary(BaseModel):
    """A state with its requirements and triggers, in one language."""

    name: str
    title: str
    final: bool
    requires: list[str]
    triggers: list[str]


class WorkflowSummary(BaseModel):
    """A workflow version as listed or shown."""

    name: str
    version: int
    title: str
    path: str | None
    """Where the file lies; None where the caller may not learn server paths (the API)."""
    digest: str
    states: int
    transitions: int
    detail: list[StateSummary] = []


def list_workflows(catalog: WorkflowCatalog, lang: Language) -> list[WorkflowSummary]:
    """Every installed workflow version."""
    return [
        WorkflowSummary(
            name=w.definition.name,
            version=w.definition.version,
            title=w.definition.title.in_(lang),
            path=str(w.path),
            digest=w.digest,
            states=len(w.definition.states),
            transitions=len(w.definition.transitions),
        )
        for w in catalog.available()
    ]


def describe_workflow(
    catalog: WorkflowCatalog, name: str, version: int | None, lang: Language
) -> WorkflowSummary:
    """One workflow with every state, its requirements and its triggers."""
    compiled = catalog.get(name, version)
    definition = compiled.definition
    vocab = definition.vocabulary
    summary = next(
        s
        for s in list_workflows(catalog, lang)
        if (s.name, s.version) == (definition.name, definition.version)
    )
    detail = [
        StateSummary(
            name=state.name,
            title=state.title.in_(lang),
            final=state.final,
            requires=[r.label(vocab).in_(lang) for r in state.requires],
            triggers=[f"{t.trigger} → {t.dest}" for t in definition.transitions_from(state.name)],
        )
        for state in definition.states
    ]
    return summary.model_copy(update={"detail": detail})


def validate_workflow_file(path: Path, lang: Language) -> WorkflowSummary:
    """Load one file (raises WorkflowDefinitionError naming every problem)."""
    loaded = load_workflow_file(path)
    d = loaded.definition
    return WorkflowSummary(
        name=d.name,
        version=d.version,
        title=d.title.in_(lang),
        path=str(path),
        digest=loaded.digest,
        states=len(d.states),
        transitions=len(d.transitions),
    )


def diagram_workflow(
    catalog: WorkflowCatalog, name: str, version: int | None, lang: Language
) -> str:
    """Mermaid stateDiagram-v2 text."""
    return mermaid_diagram(catalog.get(name, version).definition, lang)
