"""`isms-flow scheduler run`: the foreground service that delivers reminders and escalations."""

from __future__ import annotations

import threading
from typing import Annotated

import typer

from isms_flow.cli.context import state_of
from isms_flow.cli.labels import label
from isms_flow.cli.notifications_render import delivery_line, tick_line
from isms_flow.cli.output import console, print_json
from isms_flow.errors import BadInput
from isms_flow.schedule.channels.registry import build_channels
from isms_flow.schedule.dispatcher import Delivery, TickReport, new_worker_id, tick
from isms_flow.schedule.scheduler import run_scheduler, stop_on_signals

app = typer.Typer(help="The scheduler: delivers what is due, on time, once.", no_args_is_help=True)


@app.command("run")
def run(
    ctx: typer.Context,
    once: Annotated[
        bool, typer.Option("--once", help="Deliver what is due now, then exit (for cron).")
    ] = False,
    interval: Annotated[
        float | None, typer.Option(help="Seconds between ticks (default: the setting).")
    ] = None,
    json: Annotated[bool, typer.Option("--json", help="With --once: print the report.")] = False,
) -> None:
    """Deliver due reminders and escalations every interval until SIGTERM or Ctrl-C."""
    state = state_of(ctx)
    every = state.settings.scheduler.tick_seconds if interval is None else interval
    if every <= 0:
        raise BadInput(f"--interval must be more than 0 seconds, not {interval:g}")
    app_, lang, zone = state.app, state.lang, state.settings.timezone
    channels, worker = build_channels(state.settings), new_worker_id()

    def show(delivery: Delivery) -> None:
        if not json:
            console.print(delivery_line(delivery, lang))

    def summary(report: TickReport) -> None:
        if report.deliveries:
            console.print(f"[dim]{tick_line(report, lang, zone)}[/dim]")

    if once:
        report = tick(
            app_, now=app_.clock.now(), worker_id=worker, channels=channels, on_delivery=show
        )
        if json:
            print_json(report.as_dict())
        else:
            summary(report)
        return
    stop = threading.Event()
    console.print(label("scheduler_started", lang).format(worker=worker, interval=f"{every:g}"))
    with stop_on_signals(stop):
        run_scheduler(
            app_,
            channels=channels,
            worker_id=worker,
            interval=every,
            stop=stop,
            on_delivery=show,
            on_tick=summary,
        )
    console.print(label("scheduler_stopped", lang))
