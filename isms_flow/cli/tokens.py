"""`isms-flow token …`: API tokens of users — created once, listed by fingerprint, revoked."""

from __future__ import annotations

from typing import Annotated

import typer

from isms_flow.accounts.tokens import DEFAULT_EXPIRY_DAYS, MAX_EXPIRY_DAYS
from isms_flow.cli import accounts_render as render
from isms_flow.cli.context import state_of
from isms_flow.cli.output import console, print_json
from isms_flow.cli.params import JsonFlag
from isms_flow.services import accounts as service

app = typer.Typer(
    help="API tokens: shown once at creation, stored only as a hash, expiring, revocable.",
    no_args_is_help=True,
)

EmailArg = Annotated[str, typer.Argument(help="The user's e-mail address.")]


@app.command("create")
def create(
    ctx: typer.Context,
    email: EmailArg,
    expires_in_days: Annotated[
        int,
        typer.Option(
            "--expires-in-days", help=f"Days until it stops working (1–{MAX_EXPIRY_DAYS})."
        ),
    ] = DEFAULT_EXPIRY_DAYS,
    name: Annotated[str, typer.Option("--name", help="A label, e.g. what uses it.")] = "",
    json: JsonFlag = False,
) -> None:
    """Create an API token for a user and print it, this once."""
    state = state_of(ctx)
    view = service.create_token(
        state.app,
        email=email,
        actor=state.actor_name,
        expires_in_days=expires_in_days,
        name=name,
    )
    if json:
        print_json(view)
    else:
        render.print_token_created(view, state.lang, state.settings.timezone)


@app.command("list")
def list_(ctx: typer.Context, email: EmailArg, json: JsonFlag = False) -> None:
    """List a user's tokens (by fingerprint; never the token)."""
    state = state_of(ctx)
    views = service.list_tokens(state.app, email=email)
    if json:
        print_json(views)
    elif not views:
        render.print_no_tokens(email, state.lang)
    else:
        console.print(render.tokens_table(views, state.lang, state.settings.timezone))


@app.command("revoke")
def revoke(
    ctx: typer.Context,
    token_id: Annotated[int, typer.Argument(metavar="TOKEN_ID", help="As `token list` shows.")],
    json: JsonFlag = False,
) -> None:
    """Revoke a token: it is refused from now on."""
    state = state_of(ctx)
    view = service.revoke_token(state.app, token_id=token_id, actor=state.actor_name)
    if json:
        print_json(view)
    else:
        render.print_token_revoked(view, state.lang)
