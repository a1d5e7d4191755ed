"""`isms-flow user …`: people of an organization and their roles per client."""

from __future__ import annotations

from typing import Annotated

import typer

from isms_flow.accounts import Role
from isms_flow.cli import accounts_render as render
from isms_flow.cli.context import state_of
from isms_flow.cli.output import console, print_json
from isms_flow.cli.params import JsonFlag
from isms_flow.services import accounts as service

app = typer.Typer(
    help="Users of an organization and their roles on its clients.", no_args_is_help=True
)

EmailArg = Annotated[str, typer.Argument(help="The user's e-mail address.")]
ClientArg = Annotated[str, typer.Argument(help="The client's key, e.g. acme.")]
_ROLES = ", ".join(role.value for role in Role)


@app.command("add")
def add(
    ctx: typer.Context,
    email: EmailArg,
    org: Annotated[str, typer.Option("--org", help="The organization's key.")],
    name: Annotated[str, typer.Option("--name", help="The person's name.")],
    json: JsonFlag = False,
) -> None:
    """Add a user to an organization (no role yet)."""
    state = state_of(ctx)
    view = service.add_user(
        state.app, email=email, organization=org, name=name, actor=state.actor_name
    )
    if json:
        print_json(view)
    else:
        render.print_user_added(view, state.lang)


@app.command("grant")
def grant(
    ctx: typer.Context,
    email: EmailArg,
    client: ClientArg,
    role: Annotated[str, typer.Argument(help=f"One of {_ROLES}.")],
    json: JsonFlag = False,
) -> None:
    """Give a user a role on a client of their organization (replacing the one held)."""
    state = state_of(ctx)
    view = service.grant_role(
        state.app, email=email, client_key=client, role=role, actor=state.actor_name
    )
    if json:
        print_json(view)
    else:
        render.print_granted(view, state.lang)


@app.command("revoke")
def revoke(ctx: typer.Context, email: EmailArg, client: ClientArg, json: JsonFlag = False) -> None:
    """Take away a user's role on a client."""
    state = state_of(ctx)
    view = service.revoke_role(state.app, email=email, client_key=client, actor=state.actor_name)
    if json:
        print_json(view)
    else:
        render.print_revoked(view, state.lang)


@app.command("list")
def list_(
    ctx: typer.Context,
    org: Annotated[str | None, typer.Option("--org", help="Only this organization.")] = None,
    json: JsonFlag = False,
) -> None:
    """List users with their roles and working tokens."""
    state = state_of(ctx)
    views = service.list_users(state.app, organization=org)
    if json:
        print_json(views)
    elif not views:
        render.print_no_users(state.lang)
    else:
        console.print(render.users_table(views, state.lang))
