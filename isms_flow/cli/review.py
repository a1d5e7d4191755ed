"""`isms-flow review …`: record management reviews (9.3) and read them back."""

from __future__ import annotations

from typing import Annotated

import typer

from isms_flow.cli import review_render as render
from isms_flow.cli.context import state_of
from isms_flow.cli.labels import label
from isms_flow.cli.output import console, print_json
from isms_flow.cli.params import JsonFlag, ProjectArg, required_date
from isms_flow.errors import BadInput
from isms_flow.isms.reviews import parse_attendee, parse_decision, parse_input
from isms_flow.services.registers import reviews as service

app = typer.Typer(
    help="Management reviews (9.3): attendees, the 9.3.2 inputs a–g, decisions.",
    no_args_is_help=True,
)


@app.command("add")
def add(
    ctx: typer.Context,
    project: ProjectArg,
    held: Annotated[str, typer.Option("--held", help="Day of the meeting (YYYY-MM-DD).")],
    top_management: Annotated[
        list[str] | None,
        typer.Option("--top-management", help="'NAME | ROLE' of a top manager present; repeat."),
    ] = None,
    attendee: Annotated[
        list[str] | None, typer.Option("--attendee", help="'NAME | ROLE' of another attendee.")
    ] = None,
    input_: Annotated[
        list[str] | None,
        typer.Option("--input", help="'ITEM=NOTES' for a 9.3.2 input a–g considered; repeat."),
    ] = None,
    improvement: Annotated[
        list[str] | None,
        typer.Option(help="'DECISION | OWNER | DUE' on continual improvement (9.3.3)."),
    ] = None,
    change: Annotated[
        list[str] | None, typer.Option(help="'DECISION | OWNER | DUE' on a change to the ISMS.")
    ] = None,
    json: JsonFlag = False,
) -> None:
    """Record a management review; inputs left out count as not considered."""
    state = state_of(ctx)
    people = [parse_attendee(spec, top_management=True) for spec in top_management or []]
    people += [parse_attendee(spec, top_management=False) for spec in attendee or []]
    notes: dict[str, str] = {}
    for spec in input_ or []:
        key, text = parse_input(spec)
        if key in notes:
            raise BadInput(f"input {key} is given twice")
        notes[key] = text
    decisions = [parse_decision(spec, "improvement") for spec in improvement or []]
    decisions += [parse_decision(spec, "change") for spec in change or []]
    view = service.record_review(
        state.app,
        ref=project,
        held_on=required_date("--held", held),
        attendees=people,
        inputs=notes,
        decisions=decisions,
        actor=state.actor_name,
        lang=state.lang,
    )
    if json:
        print_json(view)
    else:
        render.print_recorded(view, state.lang)


@app.command("list")
def list_(ctx: typer.Context, project: ProjectArg, json: JsonFlag = False) -> None:
    """Every management review, oldest first (★ marks top management)."""
    state = state_of(ctx)
    views = service.list_reviews(state.app, ref=project, lang=state.lang)
    if json:
        print_json(views)
    elif not views:
        console.print(label("review_none", state.lang))
    else:
        console.print(render.reviews_table(views, state.lang))


@app.command("show")
def show(
    ctx: typer.Context,
    project: ProjectArg,
    review_id: Annotated[int, typer.Argument(help="Review number (see `review list`).")],
    json: JsonFlag = False,
) -> None:
    """One management review: attendees, the seven inputs with notes, the decisions."""
    state = state_of(ctx)
    view = service.show_review(state.app, ref=project, review_id=review_id, lang=state.lang)
    if json:
        print_json(view)
    else:
        render.print_review(view, state.lang)
