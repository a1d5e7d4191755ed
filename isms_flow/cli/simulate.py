"""`isms-flow simulate`: every reminder and escalation that would fire if nobody did anything."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import structlog
import typer

from isms_flow.cli import simulate_render as render
from isms_flow.cli.context import state_of
from isms_flow.services.simulation import simulate_schedule

__all__ = ["simulate"]


def simulate(
    ctx: typer.Context,
    until: Annotated[
        str, typer.Option("--until", help="Simulate to the end of this day (YYYY-MM-DD).")
    ],
    project: Annotated[
        str | None,
        typer.Argument(help="CLIENT/PROJECT, or PROJECT when unambiguous (default: all)."),
    ] = None,
    client: Annotated[
        str | None, typer.Option("--client", help="Every project of this client.")
    ] = None,
    json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """Run the scheduler on a copy of the database with a simulated clock from now to UNTIL
    and list, in order, what it would send and do. Nothing is sent or changed."""
    state = state_of(ctx)
    app = state.app
    with _quiet_unless(state.log_level):
        view = simulate_schedule(app, until=until, ref=project, client=client, lang=state.lang)
    render.print_simulation(view, json, state.lang)


@contextmanager
def _quiet_unless(requested: str | None) -> Iterator[None]:
    """The simulated scheduler logs like the real one (a suspension is a warning); those lines
    are not news about the real world, so they stay silent unless a log level was asked for."""
    if requested is not None:
        yield
        return
    previous = structlog.get_config()["wrapper_class"]
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.ERROR))
    try:
        yield
    finally:
        structlog.configure(wrapper_class=previous)
