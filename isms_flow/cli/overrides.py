"""`isms-flow project override …`: force a blocked trigger with a reason and four eyes."""

from __future__ import annotations

from typing import Annotated

import typer

from isms_flow.cli import render
from isms_flow.cli.context import state_of
from isms_flow.cli.output import console, print_json
from isms_flow.cli.params import JsonFlag, ProjectArg
from isms_flow.services import overrides as service

app = typer.Typer(
    help="Overrides: force a blocked stage (needs a second person).", no_args_is_help=True
)


@app.command("request")
def request(
    ctx: typer.Context,
    project: ProjectArg,
    trigger: Annotated[str, typer.Argument(help="The blocked trigger, e.g. advance.")],
    reason: Annotated[str, typer.Option("--reason", help="Why the blockers may be overridden.")],
    json: JsonFlag = False,
) -> None:
    """Ask for an override; it waits for a different person's approval."""
    state = state_of(ctx)
    view = service.request_override(
        state.app,
        ref=project,
        trigger=trigger,
        reason=reason,
        actor=state.actor_name,
        lang=state.lang,
    )
    if json:
        print_json(view)
        return
    approve = f"isms-flow project override approve {view.project} {view.id}"
    console.print(
        f"[yellow]override #{view.id}[/yellow] of '{view.trigger}' requested by "
        f"{view.requested_by}; another person approves it with `{approve}`"
    )


@app.command("approve")
def approve(
    ctx: typer.Context,
    project: ProjectArg,
    override_id: Annotated[int, typer.Argument(help="The override number.")],
    json: JsonFlag = False,
) -> None:
    """Approve someone else's override: the trigger fires, and both names are recorded."""
    state = state_of(ctx)
    view = service.approve_override(
        state.app, ref=project, override_id=override_id, actor=state.actor_name, lang=state.lang
    )
    if json:
        print_json(view)
    else:
        render.print_transition(view)


@app.command("list")
def list_(ctx: typer.Context, project: ProjectArg, json: JsonFlag = False) -> None:
    """Every override of a project."""
    state = state_of(ctx)
    views = service.list_overrides(state.app, ref=project)
    if json:
        print_json(views)
    else:
        console.print(render.override_table(views, state.lang))
