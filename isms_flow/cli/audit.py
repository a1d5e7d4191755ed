"""`isms-flow audit …`: verify the hash-chained history."""

from __future__ import annotations

from typing import Annotated

import typer

from isms_flow.cli.context import state_of
from isms_flow.cli.output import console, print_json
from isms_flow.errors import IntegrityFailure
from isms_flow.services import history

app = typer.Typer(help="The tamper-evident history.", no_args_is_help=True)


@app.command("verify")
def verify(
    ctx: typer.Context,
    anchor: Annotated[
        str | None,
        typer.Option(help="SEQ:HASH printed by an earlier run; proves nothing was cut off since."),
    ] = None,
    json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """Re-hash the whole history; exit 1 naming the first bad event if it was tampered with."""
    view = history.verify_history(state_of(ctx).app, anchor=anchor)
    if json:
        print_json(view)
    elif view.intact:
        console.print(
            f"[green]✓[/green] {view.events} events verified; anchor: {view.events}:{view.head}"
        )
    if not view.intact:
        raise IntegrityFailure(
            f"history check failed after {view.events} good events: {view.problem}"
        )
