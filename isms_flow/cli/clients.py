"""`isms-flow client …`: register and list clients."""

from __future__ import annotations

from typing import Annotated

import typer

from isms_flow.cli.context import state_of
from isms_flow.cli.labels import label
from isms_flow.cli.output import console, new_table, print_json
from isms_flow.cli.params import JsonFlag
from isms_flow.services import clients as service

app = typer.Typer(help="Clients: the organizations seeking certification.", no_args_is_help=True)


@app.command("add")
def add(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="Short key, e.g. acme.")],
    name: Annotated[str, typer.Option("--name", help="The organization's name.")],
    timezone: Annotated[
        str | None, typer.Option(help="IANA time zone (default Asia/Tokyo).")
    ] = None,
    language: Annotated[str | None, typer.Option(help="en or ja.")] = None,
    org: Annotated[
        str, typer.Option("--org", help="The organization owning it (see `isms-flow org list`).")
    ] = "default",
    json: JsonFlag = False,
) -> None:
    """Register a client."""
    state = state_of(ctx)
    view = service.add_client(
        state.app,
        key=key,
        name=name,
        actor=state.actor_name,
        timezone=timezone,
        language=language,
        organization=org,
    )
    if json:
        print_json(view)
    else:
        console.print(f"[green]✓[/green] client [bold]{view.key}[/bold] ({view.name}) added")


@app.command("list")
def list_(ctx: typer.Context, json: JsonFlag = False) -> None:
    """List clients."""
    state = state_of(ctx)
    views = service.list_clients(state.app)
    if json:
        print_json(views)
        return
    lang = state.lang
    table = new_table(
        *(label(k, lang) for k in ("key", "name", "timezone", "language", "projects"))
    )
    for v in views:
        table.add_row(v.key, v.name, v.timezone, v.language, str(v.projects))
    console.print(table)
