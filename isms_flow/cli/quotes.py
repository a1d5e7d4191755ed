"""`isms-flow quotes …`: certification body quotes — add, list, select one, compare."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from isms_flow.cli import quotes_render as render
from isms_flow.cli.context import state_of
from isms_flow.cli.labels import label
from isms_flow.cli.output import console, print_json
from isms_flow.cli.params import JsonFlag, ProjectArg, optional_date
from isms_flow.isms.certification import DEFAULT_CURRENCY, format_days
from isms_flow.services.registers import certification as service

app = typer.Typer(
    help="Certification body quotes: compare them with the ISO/IEC 27006 chart, select one.",
    no_args_is_help=True,
)


@app.command("add")
def add(
    ctx: typer.Context,
    project: ProjectArg,
    body: Annotated[str, typer.Argument(help="The certification body, e.g. 'JQA'.")],
    accreditation: Annotated[
        str, typer.Option("--accreditation", help="Its accreditation: ISMS-AC, UKAS, ANAB…")
    ],
    days: Annotated[str, typer.Option("--days", help="Audit days quoted (Stage 1 + 2), e.g. 8.5.")],
    cost: Annotated[str, typer.Option("--cost", help="Total cost, e.g. 1650000.")],
    currency: Annotated[str, typer.Option(help="ISO 4217 code.")] = DEFAULT_CURRENCY,
    quoted: Annotated[str | None, typer.Option(help="Date of the quote (default today).")] = None,
    note: Annotated[str, typer.Option(help="What the price includes, conditions.")] = "",
    json: JsonFlag = False,
) -> None:
    """Record a certification body's quote."""
    state = state_of(ctx)
    view = service.add_quote(
        state.app,
        ref=project,
        body=body,
        accreditation=accreditation,
        audit_days=days,
        cost=cost,
        currency=currency,
        quoted_on=optional_date("--quoted", quoted),
        note=note,
        actor=state.actor_name,
    )
    if json:
        print_json(view)
        return
    text = label("quotes_added", state.lang).format(
        id=view.id,
        body=view.body,
        accreditation=view.accreditation,
        days=format_days(view.audit_days),
        price=view.price,
    )
    console.print(f"[green]✓[/green] {escape(text)}")


@app.command("list")
def list_(ctx: typer.Context, project: ProjectArg, json: JsonFlag = False) -> None:
    """Every quote of the project."""
    state = state_of(ctx)
    views = service.list_quotes(state.app, ref=project)
    if json:
        print_json(views)
    elif not views:
        console.print(label("quotes_none", state.lang))
    else:
        console.print(render.quotes_table(views, state.lang))


@app.command("select")
def select(
    ctx: typer.Context,
    project: ProjectArg,
    quote_id: Annotated[int, typer.Argument(help="Quote number (see `quotes list`).")],
    reason: Annotated[str, typer.Option("--reason", help="Why this body (kept in history).")],
    json: JsonFlag = False,
) -> None:
    """Choose the certification body of a quote; a body chosen before is unselected."""
    state = state_of(ctx)
    view = service.select_quote(
        state.app, ref=project, quote_id=quote_id, reason=reason, actor=state.actor_name
    )
    if json:
        print_json(view)
        return
    for old in view.unselected:
        text = label("quotes_unselected", state.lang).format(id=old.id, body=old.body)
        console.print(f"[yellow]![/yellow] {escape(text)}")
    chosen = view.selected
    text = label("quotes_selected", state.lang).format(
        id=chosen.id, body=chosen.body, reason=chosen.selection_reason
    )
    console.print(f"[green]✓[/green] {escape(text)}")


@app.command("compare")
def compare(
    ctx: typer.Context,
    project: ProjectArg,
    headcount: Annotated[
        int | None,
        typer.Option(help="Persons in scope (default: in-scope staff on the training roster)."),
    ] = None,
    json: JsonFlag = False,
) -> None:
    """Quotes side by side with the ISO/IEC 27006 audit days; outliers stand out."""
    state = state_of(ctx)
    view = service.compare_quotes(state.app, ref=project, headcount=headcount, lang=state.lang)
    if json:
        print_json(view)
    else:
        render.print_comparison(view, state.lang)
