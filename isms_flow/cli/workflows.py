"""`isms-flow workflow …`: list, show, validate and draw workflow definitions."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from isms_flow.cli.context import state_of
from isms_flow.cli.labels import label
from isms_flow.cli.output import console, new_table, print_json
from isms_flow.cli.params import JsonFlag
from isms_flow.services import workflows as service
from isms_flow.workflow.catalog import WorkflowCatalog

app = typer.Typer(help="Workflow definitions (YAML files, validated).", no_args_is_help=True)

VersionOpt = Annotated[int | None, typer.Option(help="Default: newest installed.")]


def _catalog(ctx: typer.Context) -> WorkflowCatalog:
    # Reading workflows needs no database: build the catalog straight from settings.
    return WorkflowCatalog(state_of(ctx).settings.effective_workflow_dirs)


@app.command("list")
def list_(ctx: typer.Context, json: JsonFlag = False) -> None:
    """Installed workflows and versions."""
    lang = state_of(ctx).lang
    views = service.list_workflows(_catalog(ctx), lang)
    if json:
        print_json(views)
        return
    table = new_table(
        label("workflow", lang),
        label("version", lang),
        label("title", lang),
        label("stage", lang),
        label("file", lang),
    )
    for v in views:
        table.add_row(v.name, str(v.version), v.title, str(v.states), v.path)
    console.print(table)


@app.command("show")
def show(ctx: typer.Context, name: str, version: VersionOpt = None, json: JsonFlag = False) -> None:
    """Every stage with its requirements and triggers."""
    lang = state_of(ctx).lang
    view = service.describe_workflow(_catalog(ctx), name, version, lang)
    if json:
        print_json(view)
        return
    console.print(f"[bold]{view.name}[/bold] v{view.version} — {escape(view.title)}")
    table = new_table(label("stage", lang), label("requirement", lang), label("trigger", lang))
    for state in view.detail:
        title = f"{escape(state.title)}\n[dim]{state.name}{' (final)' if state.final else ''}[/dim]"
        table.add_row(
            title,
            "\n".join(f"• {escape(r)}" for r in state.requires) or "—",
            "\n".join(state.triggers) or "—",
        )
    console.print(table)


@app.command("validate")
def validate(ctx: typer.Context, file: Path, json: JsonFlag = False) -> None:
    """Check a workflow file; exit 2 with FILE:LINE:COL: reason for every problem."""
    view = service.validate_workflow_file(file, state_of(ctx).lang)
    if json:
        print_json(view)
    else:
        console.print(
            f"[green]✓[/green] {file}: {view.name} v{view.version} is valid "
            f"({view.states} states, {view.transitions} transitions)"
        )


@app.command("diagram")
def diagram(ctx: typer.Context, name: str, version: VersionOpt = None) -> None:
    """Print the workflow as Mermaid stateDiagram-v2 text."""
    sys.stdout.write(service.diagram_workflow(_catalog(ctx), name, version, state_of(ctx).lang))
