"""Mermaid `stateDiagram-v2` text for a workflow, in either language."""

from __future__ import annotations

from isms_flow.i18n import Language
from isms_flow.workflow.schema import WorkflowDefinition

__all__ = ["mermaid_diagram"]


def mermaid_diagram(definition: WorkflowDefinition, lang: Language = "en") -> str:
    """Render the workflow as Mermaid text; state labels in `lang`, triggers by name."""
    lines = ["stateDiagram-v2", f"    %% {definition.name} v{definition.version}"]
    for state in definition.states:
        label = state.title.in_(lang).replace('"', "'")
        lines.append(f'    state "{label}" as {state.name}')
    lines.append(f"    [*] --> {definition.initial}")
    for transition in definition.transitions:
        for source in transition.source:
            lines.append(f"    {source} --> {transition.dest} : {transition.trigger}")
    for state in definition.states:
        if state.final:
            lines.append(f"    {state.name} --> [*]")
    return "\n".join(lines) + "\n"
