"""`isms-flow serve`: the HTTP API and the scheduler, in the foreground until Ctrl-C or SIGTERM."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from isms_flow.cli.context import CliState, state_of
from isms_flow.cli.labels import label
from isms_flow.cli.output import console, err_console
from isms_flow.i18n import Language
from isms_flow.services.demo import DEMO_CLIENT, DemoStep
from isms_flow.services.demo_access import DemoAccess, seed_demo

if TYPE_CHECKING:
    from isms_flow.api.serving import ServerPlan

EXIT_NOT_STARTED = 70  # as an internal error: the log says why the server could not start


def serve(
    ctx: typer.Context,
    host: Annotated[
        str | None, typer.Option(help="Address to listen on (default: the setting, 127.0.0.1).")
    ] = None,
    port: Annotated[
        int | None,
        typer.Option(min=1, max=65535, help="Port to listen on (default: the setting, 8000)."),
    ] = None,
    workers: Annotated[
        int, typer.Option(min=1, help="API processes; the scheduler still runs only once.")
    ] = 1,
    no_scheduler: Annotated[
        bool, typer.Option("--no-scheduler", help="Serve only; run `scheduler run` elsewhere.")
    ] = False,
    seed_demo_data: Annotated[
        bool,
        typer.Option("--seed-demo", help="Demo data on first start; a new demo token each start."),
    ] = False,
) -> None:
    """Serve the HTTP API with the scheduler beside it (one process by default)."""
    state = state_of(ctx)
    settings = state.settings
    # Imported here, not at module level: FastAPI and uvicorn take over a second to import,
    # which every other `isms-flow` command would pay at start-up.
    from isms_flow.api.serving import ServerPlan, base_url, listening_socket, run_server

    plan = ServerPlan(workers=workers, scheduler=not no_scheduler, log_level=settings.log_level)
    host, port = host or settings.api_host, port or settings.api_port
    # Bound before seeding: a busy port is reported before anything changes.
    with listening_socket(host, port) as listener:
        url = base_url(host, port)
        access = _seed(state) if seed_demo_data else None
        _print_banner(state, plan, url)
        if access is not None:
            _print_token(access, url, state.lang)
        console.print(label("serve_stop_hint", state.lang), soft_wrap=True)
        started = run_server(state.app, plan, listener, environment=_worker_environment(state))
    if not started:
        err_console.print(f"[bold red]error[/bold red]: {label('serve_failed', state.lang)}")
        raise typer.Exit(EXIT_NOT_STARTED)
    console.print(label("serve_stopped", state.lang))


def _seed(state: CliState) -> DemoAccess | None:
    refs: list[str] = []

    def remember(step: DemoStep) -> None:
        if step.ref:
            refs.append(step.ref)

    access = seed_demo(state.app, actor=state.actor_name, lang=state.lang, on_step=remember)
    lang = state.lang
    if access is None:
        console.print(label("serve_demo_none", lang).format(client=DEMO_CLIENT), soft_wrap=True)
    elif access.seeded:
        line = label("serve_demo_seeded", lang).format(
            client=access.client, project=refs[-1] if refs else ""
        )
        console.print(line, soft_wrap=True)
    else:
        console.print(label("serve_demo_kept", lang), soft_wrap=True)
    return access


def _print_banner(state: CliState, plan: ServerPlan, url: str) -> None:
    lang, interval = state.lang, f"{state.settings.scheduler.tick_seconds:g}"
    console.print(
        label("serve_listening", lang).format(url=url, docs=f"{url}/docs"), soft_wrap=True
    )
    if not plan.scheduler:
        console.print(label("serve_scheduler_off", lang), soft_wrap=True)
        return
    key = "serve_scheduler_here" if plan.workers == 1 else "serve_scheduler_parent"
    line = label(key, lang).format(pid=os.getpid(), interval=interval, workers=plan.workers)
    console.print(line, soft_wrap=True)
    if plan.workers > 1 and state.settings.effective_database_url.startswith("sqlite"):
        console.print(
            label("serve_sqlite_workers", lang).format(workers=plan.workers), soft_wrap=True
        )


def _print_token(access: DemoAccess, url: str, lang: Language) -> None:
    expires = access.expires_at.date().isoformat()
    intro = label("serve_token", lang).format(
        email=access.email, role=access.role, client=access.client, expires=expires
    )
    console.print(escape(intro), soft_wrap=True)
    console.print(f"  [bold]{escape(access.token)}[/bold]", soft_wrap=True)
    console.print(label("serve_try", lang))
    for path in ("/me", "/portfolio"):
        line = f'curl -H "Authorization: Bearer {access.token}" {url}{path}'
        console.print(f"  {escape(line)}", soft_wrap=True)


def _worker_environment(state: CliState) -> dict[str, str]:
    """The global options as ISMS_FLOW_* variables: every server process reads them."""
    given = {
        "ISMS_FLOW_CONFIG": str(state.config_file.resolve()) if state.config_file else None,
        "ISMS_FLOW_DATABASE_URL": state.database_url,
        "ISMS_FLOW_LANGUAGE": state.language,
        "ISMS_FLOW_ACTOR": state.actor,
        "ISMS_FLOW_LOG_LEVEL": state.log_level,
    }
    return {name: value for name, value in given.items() if value is not None}
