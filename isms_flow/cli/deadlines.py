"""`isms-flow deadlines` and `isms-flow client reminders`: what is due when, and which days
before a deadline a client is reminded."""

from __future__ import annotations

from typing import Annotated

import typer

from isms_flow.cli import deadlines_render as render
from isms_flow.cli.context import state_of
from isms_flow.cli.params import JsonFlag
from isms_flow.services import deadlines as service

__all__ = ["client_reminders", "deadlines"]


def deadlines(
    ctx: typer.Context,
    project: Annotated[
        str | None,
        typer.Argument(help="CLIENT/PROJECT, or PROJECT when unambiguous (default: all)."),
    ] = None,
    client: Annotated[
        str | None, typer.Option("--client", help="Every project of this client.")
    ] = None,
    all_: Annotated[
        bool, typer.Option("--all", help="Also deadlines already met or cancelled.")
    ] = False,
    json: JsonFlag = False,
) -> None:
    """Deadlines, soonest first: days left, overdue or due soon, what happens if missed."""
    state = state_of(ctx)
    view = service.list_deadlines(
        state.app, ref=project, client=client, lang=state.lang, include_all=all_
    )
    render.print_deadlines(view, json, state.lang)


def client_reminders(
    ctx: typer.Context,
    client: Annotated[str, typer.Argument(help="The client's key.")],
    days: Annotated[
        str | None,
        typer.Option("--days", help="Days before the due date, e.g. 60,14,3."),
    ] = None,
    kind: Annotated[
        str | None,
        typer.Option("--kind", help="Only this deadline kind (default: every kind)."),
    ] = None,
    clear: Annotated[
        bool, typer.Option("--clear", help="Remove the client's own days: the workflow's apply.")
    ] = False,
    json: JsonFlag = False,
) -> None:
    """Show or set the days before a deadline this client's reminders go out."""
    state = state_of(ctx)
    if days is None and not clear and kind is None:
        view = service.show_client_reminders(state.app, client=client, lang=state.lang)
    else:
        view = service.set_client_reminders(
            state.app,
            client=client,
            days=days,
            kind=kind,
            clear=clear,
            actor=state.actor_name,
            lang=state.lang,
        )
    render.print_client_reminders(view, json, state.lang)
