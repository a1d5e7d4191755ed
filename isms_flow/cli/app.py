"""The `isms-flow` command: global options, sub-commands, and the one error mapping."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, NoReturn

import structlog
import typer

from isms_flow.cli import (
    audit,
    audits,
    calendar,
    certificate,
    clients,
    deadlines,
    demo,
    evidence,
    notifications,
    orgs,
    portfolio,
    projects,
    quotes,
    recipients,
    review,
    risks,
    scheduler,
    serve,
    simulate,
    soa,
    tokens,
    training,
    users,
    workflows,
)
from isms_flow.cli.context import CliState
from isms_flow.cli.output import err_console, print_json
from isms_flow.errors import (
    AuthenticationFailed,
    BadInput,
    ConflictError,
    GuardBlocked,
    IntegrityFailure,
    InvalidTrigger,
    IsmsFlowError,
    NotFound,
    PermissionDenied,
    WorkflowDefinitionError,
)
from isms_flow.i18n import Language
from isms_flow.logging import configure_logging

__all__ = ["EXIT_CODES", "app", "main"]

EXIT_DONE, EXIT_BLOCKED, EXIT_BAD_INPUT, EXIT_CONFLICT, EXIT_INTERNAL = 0, 1, 2, 3, 70

EXIT_CODES: dict[type[IsmsFlowError], int] = {
    GuardBlocked: EXIT_BLOCKED,
    IntegrityFailure: EXIT_BLOCKED,
    ConflictError: EXIT_CONFLICT,
    BadInput: EXIT_BAD_INPUT,
    NotFound: EXIT_BAD_INPUT,
    InvalidTrigger: EXIT_BAD_INPUT,
    PermissionDenied: EXIT_BAD_INPUT,
    WorkflowDefinitionError: EXIT_BAD_INPUT,
    AuthenticationFailed: EXIT_BAD_INPUT,
}

app = typer.Typer(
    name="isms-flow",
    help="ISO/IEC 27001 certification projects as state machines.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(clients.app, name="client")
app.add_typer(projects.app, name="project")
app.add_typer(evidence.app, name="evidence")
app.add_typer(audit.app, name="audit")
app.add_typer(audits.app, name="audits")
app.add_typer(workflows.app, name="workflow")
app.add_typer(training.app, name="training")
app.add_typer(soa.app, name="soa")
app.add_typer(risks.app, name="risks")
app.add_typer(review.app, name="review")
app.add_typer(quotes.app, name="quotes")
app.add_typer(certificate.app, name="certificate")
app.add_typer(recipients.app, name="recipients")
app.add_typer(scheduler.app, name="scheduler")
app.add_typer(notifications.app, name="notifications")
app.add_typer(orgs.app, name="org")
app.add_typer(users.app, name="user")
app.add_typer(tokens.app, name="token")
app.command("demo")(demo.demo)
app.command("deadlines")(deadlines.deadlines)
app.command("calendar")(calendar.calendar)
app.command("simulate")(simulate.simulate)
app.command("portfolio")(portfolio.portfolio)
app.command("serve")(serve.serve)
clients.app.command("reminders")(deadlines.client_reminders)


@app.callback()
def _root(
    ctx: typer.Context,
    db: Annotated[
        str | None, typer.Option("--db", help="SQLAlchemy database URL (default: SQLite file).")
    ] = None,
    config: Annotated[
        Path | None, typer.Option("--config", help="A TOML file of settings.")
    ] = None,
    lang: Annotated[
        Language | None, typer.Option("--lang", help="Language of output: en or ja.")
    ] = None,
    actor: Annotated[
        str | None, typer.Option("--actor", help="Who is acting (default: your login).")
    ] = None,
    log_level: Annotated[
        str | None, typer.Option("--log-level", help="debug, info, warning or error.")
    ] = None,
) -> None:
    """Global options; every command below reads them."""
    state = CliState(
        config_file=config, database_url=db, language=lang, actor=actor, log_level=log_level
    )
    ctx.obj = state
    ctx.call_on_close(state.close)


def exit_code_for(error: IsmsFlowError) -> int:
    """The exit code of an error class (2 for anything unlisted)."""
    for cls in type(error).__mro__:
        if cls in EXIT_CODES:
            return EXIT_CODES[cls]
    return EXIT_BAD_INPUT


_GLOBAL_OPTIONS = ("--db", "--config", "--lang", "--actor", "--log-level")


def hoist_global_options(args: list[str]) -> list[str]:
    """Move global options to the front, so `project status X --lang ja` works too."""
    front: list[str] = []
    rest: list[str] = []
    index = 0
    while index < len(args):
        arg = args[index]
        if arg == "--":
            rest += args[index:]
            break
        name = arg.split("=", 1)[0]
        if name in _GLOBAL_OPTIONS:
            if "=" in arg or index + 1 >= len(args):
                front.append(arg)
            else:
                front += args[index : index + 2]
                index += 1
        else:
            rest.append(arg)
        index += 1
    return front + rest


def main(argv: list[str] | None = None) -> NoReturn:
    """Run the CLI; map every error to one message and an exit code, never a traceback."""
    args = hoist_global_options(sys.argv[1:] if argv is None else argv)
    wants_json = "--json" in args
    configure_logging()  # until settings are read, so early failures log like later ones
    command = typer.main.get_command(app)
    try:
        command.main(args, prog_name="isms-flow", standalone_mode=False)
    except IsmsFlowError as error:
        _report(error, wants_json)
        sys.exit(exit_code_for(error))
    except typer.Exit as done:
        sys.exit(done.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        err_console.print("aborted")
        sys.exit(130)
    except Exception as error:  # the last line of defence: a message, not a traceback
        if _is_usage_error(error):
            error.show()  # type: ignore[attr-defined]
            sys.exit(EXIT_BAD_INPUT)
        structlog.get_logger(__name__).debug("internal_error", exc_info=True)
        err_console.print(
            f"[red]internal error[/red]: {type(error).__name__}: {error} "
            "(run with --log-level debug for details)",
            markup=True,
        )
        sys.exit(EXIT_INTERNAL)
    sys.exit(EXIT_DONE)


def _is_usage_error(error: Exception) -> bool:
    # Typer's parser errors (unknown option, missing argument, bad value) know how to show
    # themselves; Typer vendors its own click, so recognise them by shape, not by class.
    return callable(getattr(error, "show", None)) and hasattr(error, "exit_code")


def _report(error: IsmsFlowError, wants_json: bool) -> None:
    kind = type(error).__name__
    # The verify commands already printed their verdict (intact: false) as the one JSON document.
    if wants_json and not isinstance(error, IntegrityFailure):
        body: dict[str, object] = {"error": {"type": kind, "message": str(error)}}
        if isinstance(error, GuardBlocked):
            body["error"] = {**body["error"], "blockers": error.reasons}  # type: ignore[dict-item]
        if isinstance(error, InvalidTrigger):
            body["error"] = {**body["error"], "valid_triggers": error.valid}  # type: ignore[dict-item]
        print_json(body)
    prefix = "blocked" if isinstance(error, GuardBlocked) else "error"
    err_console.print(f"[bold red]{prefix}[/bold red]: {error}", markup=True, soft_wrap=True)
