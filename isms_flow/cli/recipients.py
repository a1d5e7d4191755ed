"""`isms-flow recipients …`: who a client's reminders and escalations go to."""

from __future__ import annotations

from typing import Annotated

import typer

from isms_flow.cli import recipients_render as render
from isms_flow.cli.context import state_of
from isms_flow.cli.output import console, print_json
from isms_flow.cli.params import JsonFlag
from isms_flow.errors import BadInput
from isms_flow.services import recipients as service

app = typer.Typer(
    help="Notification recipients of a client: e-mail addresses and signed webhooks, by role.",
    no_args_is_help=True,
)

ClientArg = Annotated[str, typer.Argument(help="The client's key, e.g. acme.")]


@app.command("add")
def add(
    ctx: typer.Context,
    client: ClientArg,
    role: Annotated[str, typer.Option("--role", help=f"One of {', '.join(service.ROLES)}.")],
    email: Annotated[str | None, typer.Option("--email", help="An e-mail address.")] = None,
    webhook: Annotated[
        str | None, typer.Option("--webhook", help="An http(s) URL to POST signed JSON to.")
    ] = None,
    secret: Annotated[
        str | None, typer.Option("--secret", help="Webhook HMAC key (default: generated).")
    ] = None,
    language: Annotated[
        str | None, typer.Option("--language", help="en or ja (default: the client's).")
    ] = None,
    json: JsonFlag = False,
) -> None:
    """Add an e-mail address (--email) or a webhook (--webhook) for notifications of a role."""
    if (email is None) == (webhook is None):
        raise BadInput("give exactly one of --email ADDRESS or --webhook URL")
    state = state_of(ctx)
    view = service.add_recipient(
        state.app,
        client_key=client,
        channel="email" if email is not None else "webhook",
        address=email if email is not None else str(webhook),
        role=role,
        language=language,
        secret=secret,
        actor=state.actor_name,
    )
    if json:
        print_json(view)
    else:
        render.print_added(view, state.lang)


@app.command("list")
def list_(ctx: typer.Context, client: ClientArg, json: JsonFlag = False) -> None:
    """List a client's recipients (webhook secrets only by fingerprint)."""
    state = state_of(ctx)
    views = service.list_recipients(state.app, client_key=client)
    if json:
        print_json(views)
    elif not views:
        render.print_none(client, state.lang)
    else:
        console.print(render.recipients_table(views, state.lang, state.settings.timezone))


@app.command("remove")
def remove(
    ctx: typer.Context,
    client: ClientArg,
    recipient_id: Annotated[int, typer.Argument(metavar="ID", help="As `recipients list` shows.")],
    json: JsonFlag = False,
) -> None:
    """Stop sending notifications to a recipient."""
    state = state_of(ctx)
    view = service.remove_recipient(
        state.app, client_key=client, recipient_id=recipient_id, actor=state.actor_name
    )
    if json:
        print_json(view)
    else:
        render.print_removed(view, state.lang)
