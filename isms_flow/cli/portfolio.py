"""`isms-flow portfolio`: every project at a glance — stage, blockers, next deadline."""

from __future__ import annotations

import shlex
from typing import Annotated

import typer

from isms_flow.cli import portfolio_render as render
from isms_flow.cli.context import state_of
from isms_flow.cli.params import JsonFlag
from isms_flow.services.accounts import user_principal
from isms_flow.services.portfolio import list_portfolio

__all__ = ["portfolio"]


def portfolio(
    ctx: typer.Context,
    client: Annotated[str | None, typer.Option("--client", help="Only this client.")] = None,
    stage: Annotated[
        str | None, typer.Option("--stage", help="Only projects in this stage.")
    ] = None,
    overdue: Annotated[
        bool | None,
        typer.Option("--overdue/--no-overdue", help="Only overdue projects, or only the others."),
    ] = None,
    limit: Annotated[int, typer.Option("--limit", help="Projects per page (1–500).")] = 50,
    cursor: Annotated[
        str | None, typer.Option("--cursor", help="Continue after an earlier page.")
    ] = None,
    user: Annotated[
        str | None, typer.Option("--user", help="Show only what this user (e-mail) may see.")
    ] = None,
    json: JsonFlag = False,
) -> None:
    """Every project, soonest deadline first: stage, days in it, blockers, days left."""
    state = state_of(ctx)
    principal = None if user is None else user_principal(state.app, email=user)
    page = list_portfolio(
        state.app,
        principal=principal,
        client=client,
        stage=stage,
        overdue=overdue,
        cursor=cursor,
        limit=limit,
        lang=state.lang,
    )
    again = _command(client, stage, overdue, limit, user)
    render.print_portfolio(page, json, state.lang, user=user, again=again)


def _command(
    client: str | None, stage: str | None, overdue: bool | None, limit: int, user: str | None
) -> str:
    """This command line without its cursor, to continue with the next one."""
    words = ["isms-flow", "portfolio"]
    for option, value in (("--client", client), ("--stage", stage), ("--user", user)):
        if value is not None:
            words += [option, value]
    if overdue is not None:
        words.append("--overdue" if overdue else "--no-overdue")
    if limit != 50:
        words += ["--limit", str(limit)]
    return shlex.join(words)
