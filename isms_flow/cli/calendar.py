"""`isms-flow calendar`: the open deadlines as an iCalendar (.ics) file with reminder alarms."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from isms_flow.cli.context import state_of
from isms_flow.cli.labels import label
from isms_flow.cli.output import console, print_json
from isms_flow.services import deadlines as service

__all__ = ["calendar"]


def calendar(
    ctx: typer.Context,
    output: Annotated[Path, typer.Option("--output", "-o", help="The .ics file to write.")],
    project: Annotated[
        str | None,
        typer.Argument(help="CLIENT/PROJECT, or PROJECT when unambiguous (default: all)."),
    ] = None,
    client: Annotated[
        str | None, typer.Option("--client", help="Every project of this client.")
    ] = None,
    json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """Write one all-day event per open deadline, with its reminders as alarms; importing the
    file again updates the events instead of adding copies."""
    state = state_of(ctx)
    view = service.export_calendar(
        state.app, file=output, ref=project, client=client, lang=state.lang
    )
    if json:
        print_json(view)
        return
    text = label("calendar_written", state.lang).format(**view.model_dump())
    console.print(f"[green]✓[/green] {escape(text)}")
