"""`isms-flow soa …`: the Statement of Applicability — init, decide, show, export, import."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from isms_flow.cli import soa_render as render
from isms_flow.cli.context import state_of
from isms_flow.cli.labels import label
from isms_flow.cli.output import console, print_json
from isms_flow.cli.params import JsonFlag, ProjectArg
from isms_flow.errors import BadInput
from isms_flow.services.registers import soa as service

app = typer.Typer(
    help="Statement of Applicability (6.1.3 d): decide all 93 Annex A controls.",
    no_args_is_help=True,
)


@app.command("init")
def init(ctx: typer.Context, project: ProjectArg, json: JsonFlag = False) -> None:
    """List all 93 Annex A controls in the SoA as undecided (decided ones are kept)."""
    state = state_of(ctx)
    view = service.init_soa(state.app, ref=project, actor=state.actor_name)
    render.print_change(view, json, state.lang)


@app.command("decide")
def decide(
    ctx: typer.Context,
    project: ProjectArg,
    controls: Annotated[
        list[str], typer.Argument(help="Controls: 5.15, a range 7.1-7.14, or a theme 7.")
    ],
    applicable: Annotated[
        bool | None,
        typer.Option(
            "--applicable/--excluded", help="Whether the controls apply.", show_default=False
        ),
    ] = None,
    justification: Annotated[
        str, typer.Option("--justification", "-j", help="Why (required either way).")
    ] = "",
    status: Annotated[
        str | None,
        typer.Option(help="planned, partial or implemented (required when applicable)."),
    ] = None,
    risk: Annotated[
        list[str] | None, typer.Option("--risk", help="A risk it treats, e.g. R-004 (repeat).")
    ] = None,
    evidence: Annotated[
        list[int] | None, typer.Option("--evidence", help="An evidence number (repeat).")
    ] = None,
    json: JsonFlag = False,
) -> None:
    """Decide one or more controls: applicable (with status) or excluded, with a justification."""
    if applicable is None:
        raise BadInput("say whether the controls apply: --applicable or --excluded")
    state = state_of(ctx)
    view = service.decide_controls(
        state.app,
        ref=project,
        controls=controls,
        applicable=applicable,
        justification=justification,
        status=status,
        risk_keys=risk or (),
        evidence_ids=evidence or (),
        actor=state.actor_name,
    )
    render.print_change(view, json, state.lang)


@app.command("show")
def show(
    ctx: typer.Context,
    project: ProjectArg,
    undecided: Annotated[
        bool, typer.Option("--undecided", help="Only the controls still undecided.")
    ] = False,
    theme: Annotated[
        str | None, typer.Option(help="Only one theme: 5–8 or its name, e.g. physical.")
    ] = None,
    json: JsonFlag = False,
) -> None:
    """The SoA with its progress (e.g. `SoA 71/93 decided`) and what is still missing."""
    state = state_of(ctx)
    view = service.show_soa(
        state.app, ref=project, undecided_only=undecided, theme=theme, lang=state.lang
    )
    if json:
        print_json(view)
    else:
        render.print_soa(view, state.lang)


@app.command("export")
def export(
    ctx: typer.Context,
    project: ProjectArg,
    output: Annotated[
        Path, typer.Option("--output", "-o", help="FILE.xlsx (styled sheet) or FILE.csv.")
    ],
    json: JsonFlag = False,
) -> None:
    """Write the SoA for an auditor: XLSX or CSV (UTF-8 with BOM), in the --lang language."""
    state = state_of(ctx)
    view = service.export_soa(state.app, ref=project, file=output, lang=state.lang)
    if json:
        print_json(view)
    else:
        text = label("soa_exported", state.lang).format(**view.model_dump())
        console.print(f"[green]✓[/green] {escape(text)}")


@app.command("import")
def import_(
    ctx: typer.Context,
    project: ProjectArg,
    file: Annotated[Path, typer.Argument(help="CSV: control_id,applicable,justification[,…].")],
    encoding: Annotated[
        str, typer.Option(help="Text encoding, e.g. utf-8-sig or cp932 (Shift_JIS).")
    ] = "utf-8-sig",
    json: JsonFlag = False,
) -> None:
    """Decide controls from CSV (columns as `soa export` writes them); all rows or none."""
    state = state_of(ctx)
    view = service.import_soa(
        state.app, ref=project, file=file, actor=state.actor_name, encoding=encoding
    )
    render.print_import(view, json, state.lang)
