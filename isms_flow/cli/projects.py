"""`isms-flow project …`: create, status, advance and other triggers, history, overrides."""

from __future__ import annotations

from typing import Annotated

import typer

from isms_flow.cli import overrides, render
from isms_flow.cli.context import state_of
from isms_flow.cli.output import console, print_json
from isms_flow.cli.params import JsonFlag, ProjectArg
from isms_flow.services import history, projects

app = typer.Typer(help="Certification projects.", no_args_is_help=True)
app.add_typer(overrides.app, name="override")


@app.command("create")
def create(
    ctx: typer.Context,
    client: Annotated[str, typer.Argument(help="Client key.")],
    key: Annotated[str, typer.Argument(help="Project key, e.g. isms-2026.")],
    title: Annotated[str, typer.Option("--title", help="What the project is.")],
    workflow: Annotated[str, typer.Option(help="Workflow name.")] = "iso27001-2022",
    workflow_version: Annotated[int | None, typer.Option(help="Default: newest.")] = None,
    whole: Annotated[bool, typer.Option("--whole", help="Scope: the whole organization.")] = False,
    unit: Annotated[
        list[str] | None, typer.Option("--unit", help="Scope: a department or site (repeatable).")
    ] = None,
    json: JsonFlag = False,
) -> None:
    """Start a project at the first stage of its workflow."""
    state = state_of(ctx)
    view = projects.create_project(
        state.app,
        client_key=client,
        key=key,
        title=title,
        actor=state.actor_name,
        workflow=workflow,
        workflow_version=workflow_version,
        scope_whole=whole,
        scope_units=unit or [],
        lang=state.lang,
    )
    if json:
        print_json(view)
    else:
        console.print(
            f"[green]✓[/green] project [bold]{view.ref}[/bold] created at {view.state_title}"
        )


@app.command("list")
def list_(
    ctx: typer.Context,
    client: Annotated[str | None, typer.Option(help="Only this client's projects.")] = None,
    json: JsonFlag = False,
) -> None:
    """List projects with their current stage."""
    state = state_of(ctx)
    views = projects.list_projects(state.app, client_key=client, lang=state.lang)
    if json:
        print_json(views)
    else:
        console.print(render.project_table(views, state.lang, state.settings.timezone))


@app.command("scope")
def scope(
    ctx: typer.Context,
    project: ProjectArg,
    whole: Annotated[bool, typer.Option("--whole", help="The whole organization.")] = False,
    unit: Annotated[list[str] | None, typer.Option("--unit", help="A department or site.")] = None,
    json: JsonFlag = False,
) -> None:
    """Record the certification scope."""
    state = state_of(ctx)
    view = projects.set_scope(
        state.app,
        ref=project,
        actor=state.actor_name,
        whole=whole,
        units=unit or [],
        lang=state.lang,
    )
    if json:
        print_json(view)
    else:
        console.print(f"[green]✓[/green] scope of {view.ref}: {view.scope}")


@app.command("status")
def status(ctx: typer.Context, project: ProjectArg, json: JsonFlag = False) -> None:
    """The current stage: its checklist, what is missing, and what can happen next."""
    state = state_of(ctx)
    view = projects.project_status(state.app, ref=project, lang=state.lang)
    if json:
        print_json(view)
    else:
        render.print_status(view, state.lang)


@app.command("advance")
def advance(ctx: typer.Context, project: ProjectArg, json: JsonFlag = False) -> None:
    """Move to the next stage if its requirements are met (exit 1 and the blockers if not)."""
    _fire(ctx, project, "advance", json)


@app.command("trigger")
def trigger(
    ctx: typer.Context,
    project: ProjectArg,
    name: Annotated[str, typer.Argument(help="Trigger, e.g. raise_major_nonconformity.")],
    json: JsonFlag = False,
) -> None:
    """Fire any trigger of the current stage (see `project status`)."""
    _fire(ctx, project, name, json)


def _fire(ctx: typer.Context, project: str, name: str, json: bool) -> None:
    state = state_of(ctx)
    view = projects.fire_trigger(
        state.app, ref=project, trigger=name, actor=state.actor_name, lang=state.lang
    )
    if json:
        print_json(view)
    else:
        render.print_transition(view)


@app.command("history")
def history_(
    ctx: typer.Context,
    project: ProjectArg,
    limit: Annotated[int | None, typer.Option(help="Only the newest N events.")] = None,
    json: JsonFlag = False,
) -> None:
    """Every recorded change of the project, oldest first."""
    state = state_of(ctx)
    views = history.project_history(state.app, ref=project, limit=limit)
    if json:
        print_json(views)
    else:
        console.print(render.history_table(views, state.lang, state.settings.timezone))
