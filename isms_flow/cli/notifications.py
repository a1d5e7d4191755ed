"""`isms-flow notifications …`: what the outbox sent, what waits, what failed; retry a failure."""

from __future__ import annotations

from typing import Annotated

import typer

from isms_flow.cli.context import state_of
from isms_flow.cli.labels import label
from isms_flow.cli.notifications_render import notification_table
from isms_flow.cli.output import console, print_json
from isms_flow.cli.params import JsonFlag
from isms_flow.errors import BadInput
from isms_flow.services import notifications as service

app = typer.Typer(
    help="Reminders and escalations: sent, pending and failed deliveries.",
    invoke_without_command=True,
)


@app.callback()
def list_(
    ctx: typer.Context,
    failed: Annotated[bool, typer.Option("--failed", help="Only deliveries that gave up.")] = False,
    pending: Annotated[
        bool, typer.Option("--pending", help="Only deliveries still to be made.")
    ] = False,
    project: Annotated[
        str | None, typer.Option("--project", help="Only this project (CLIENT/PROJECT).")
    ] = None,
    limit: Annotated[int, typer.Option(help="Show at most this many rows.")] = 100,
    json: JsonFlag = False,
) -> None:
    """List notifications by when they fire, with attempts, last error and the late flag."""
    if ctx.invoked_subcommand is not None:
        return
    if failed and pending:
        raise BadInput("give --failed or --pending, not both")
    state = state_of(ctx)
    show: service.Filter = "failed" if failed else "pending" if pending else "all"
    found = service.list_notifications(state.app, show=show, ref=project, limit=limit)
    if json:
        print_json(found)
    elif not found.notifications:
        console.print(label("notifications_none", state.lang))
    else:
        console.print(notification_table(found.notifications, state.lang))
        if found.more:
            console.print(f"[dim]{label('notifications_more', state.lang).format(more=found.more)}")


@app.command("retry")
def retry(
    ctx: typer.Context,
    notification_id: Annotated[int, typer.Argument(help="ID of a failed notification.")],
    json: JsonFlag = False,
) -> None:
    """Put a failed notification back in the queue; the next tick delivers it."""
    state = state_of(ctx)
    view = service.retry_notification(
        state.app, notification_id=notification_id, actor=state.actor_name
    )
    if json:
        print_json(view)
    else:
        text = label("notifications_requeued", state.lang).format(id=view.id)
        console.print(f"[green]✓[/green] {text}")
