"""`isms-flow org …`: the organizations (consultancies, in-house teams) that own clients."""

from __future__ import annotations

from typing import Annotated

import typer

from isms_flow.cli import accounts_render as render
from isms_flow.cli.context import state_of
from isms_flow.cli.output import console, print_json
from isms_flow.cli.params import JsonFlag
from isms_flow.services import accounts as service

app = typer.Typer(
    help="Organizations: the consultancies and in-house teams that own clients and users.",
    no_args_is_help=True,
)


@app.command("add")
def add(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="Short key, e.g. nakano-consulting.")],
    name: Annotated[str, typer.Option("--name", help="The organization's name.")],
    json: JsonFlag = False,
) -> None:
    """Register an organization."""
    state = state_of(ctx)
    view = service.add_organization(state.app, key=key, name=name, actor=state.actor_name)
    if json:
        print_json(view)
    else:
        render.print_organization_added(view, state.lang)


@app.command("list")
def list_(ctx: typer.Context, json: JsonFlag = False) -> None:
    """List organizations with their clients and number of users."""
    state = state_of(ctx)
    views = service.list_organizations(state.app)
    if json:
        print_json(views)
    else:
        console.print(render.organizations_table(views, state.lang))
