"""`isms-flow risks …`: the risk register — method, assets, risks, treatments, acceptance,
the heat map, and CSV import/export."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from isms_flow.cli import risks_render as render
from isms_flow.cli.context import state_of
from isms_flow.cli.params import JsonFlag, ProjectArg, optional_date
from isms_flow.errors import BadInput
from isms_flow.services.registers import risks as service

app = typer.Typer(
    help="Risk register (6.1.2/6.1.3): assets, risks, scores, treatments, owners' acceptance.",
    no_args_is_help=True,
)

RiskArg = Annotated[str, typer.Argument(help="Risk key, e.g. R-004.")]
AssetsFlag = Annotated[
    bool, typer.Option("--assets", help="The asset inventory instead of the risks.")
]
Level = Annotated[int, typer.Argument(help="On the method's scale, 1 = lowest.")]


@app.command("method")
def method(
    ctx: typer.Context,
    project: ProjectArg,
    likelihood: Annotated[
        int | None, typer.Option("--likelihood", help="Likelihood levels, 2–10.")
    ] = None,
    impact: Annotated[int | None, typer.Option("--impact", help="Impact levels, 2–10.")] = None,
    threshold: Annotated[
        int | None,
        typer.Option("--threshold", help="Highest acceptable rating (likelihood × impact)."),
    ] = None,
    json: JsonFlag = False,
) -> None:
    """Show the risk method, or set it with any of --likelihood, --impact, --threshold."""
    state = state_of(ctx)
    if likelihood is None and impact is None and threshold is None:
        view = service.show_method(state.app, ref=project, lang=state.lang)
    else:
        view = service.set_method(
            state.app,
            ref=project,
            likelihood_levels=likelihood,
            impact_levels=impact,
            acceptance_threshold=threshold,
            actor=state.actor_name,
            lang=state.lang,
        )
    render.print_method(view, json, state.lang)


@app.command("asset-add")
def asset_add(
    ctx: typer.Context,
    project: ProjectArg,
    name: Annotated[str, typer.Argument(help="What the asset is, e.g. 'Customer database'.")],
    owner: Annotated[str, typer.Option("--owner", help="Who is accountable for it.")],
    confidentiality: Annotated[int, typer.Option("--confidentiality", "-c", help="1–3.")],
    integrity: Annotated[int, typer.Option("--integrity", "-i", help="1–3.")],
    availability: Annotated[int, typer.Option("--availability", "-a", help="1–3.")],
    description: Annotated[str, typer.Option(help="Where it lives, what it holds.")] = "",
    key: Annotated[str | None, typer.Option(help="Key, e.g. A-012 (default: next free).")] = None,
    json: JsonFlag = False,
) -> None:
    """Add an information asset with its owner and C/I/A classification."""
    state = state_of(ctx)
    view = service.add_asset(
        state.app,
        ref=project,
        name=name,
        owner=owner,
        confidentiality=confidentiality,
        integrity=integrity,
        availability=availability,
        description=description,
        key=key,
        actor=state.actor_name,
    )
    render.print_asset(view, json, state.lang, "risks_asset_added")


@app.command("asset-update")
def asset_update(
    ctx: typer.Context,
    project: ProjectArg,
    key: Annotated[str, typer.Argument(help="Asset key, e.g. A-001.")],
    name: Annotated[str | None, typer.Option(help="New name.")] = None,
    owner: Annotated[str | None, typer.Option(help="New owner.")] = None,
    confidentiality: Annotated[int | None, typer.Option("--confidentiality", "-c")] = None,
    integrity: Annotated[int | None, typer.Option("--integrity", "-i")] = None,
    availability: Annotated[int | None, typer.Option("--availability", "-a")] = None,
    description: Annotated[str | None, typer.Option(help="New description.")] = None,
    json: JsonFlag = False,
) -> None:
    """Change an asset's name, owner, classification or description."""
    state = state_of(ctx)
    view = service.update_asset(
        state.app,
        ref=project,
        key=key,
        name=name,
        owner=owner,
        confidentiality=confidentiality,
        integrity=integrity,
        availability=availability,
        description=description,
        actor=state.actor_name,
    )
    render.print_asset(view, json, state.lang, "risks_asset_updated")


@app.command("assets")
def assets(ctx: typer.Context, project: ProjectArg, json: JsonFlag = False) -> None:
    """The information asset inventory with each asset's risks."""
    state = state_of(ctx)
    render.print_assets(service.list_assets(state.app, ref=project), json, state.lang)


@app.command("add")
def add(
    ctx: typer.Context,
    project: ProjectArg,
    threat: Annotated[str, typer.Argument(help="What could happen.")],
    owner: Annotated[str, typer.Option("--owner", help="The risk owner, who accepts it.")],
    vulnerability: Annotated[str, typer.Option(help="The weakness it exploits.")] = "",
    asset: Annotated[str | None, typer.Option(help="Asset key, e.g. A-001.")] = None,
    key: Annotated[str | None, typer.Option(help="Key, e.g. R-020 (default: next free).")] = None,
    likelihood: Annotated[int | None, typer.Option(help="Score it now: likelihood.")] = None,
    impact: Annotated[int | None, typer.Option(help="Score it now: impact.")] = None,
    json: JsonFlag = False,
) -> None:
    """Add a risk to the register (scored now if --likelihood and --impact are given)."""
    state = state_of(ctx)
    view = service.add_risk(
        state.app,
        ref=project,
        threat=threat,
        owner=owner,
        vulnerability=vulnerability,
        asset=asset,
        key=key,
        likelihood=likelihood,
        impact=impact,
        actor=state.actor_name,
        lang=state.lang,
    )
    render.print_change(view, json, state.lang)


@app.command("update")
def update(
    ctx: typer.Context,
    project: ProjectArg,
    key: RiskArg,
    threat: Annotated[str | None, typer.Option(help="New threat.")] = None,
    vulnerability: Annotated[str | None, typer.Option(help="New vulnerability.")] = None,
    owner: Annotated[str | None, typer.Option(help="New risk owner.")] = None,
    asset: Annotated[str | None, typer.Option(help="Asset key ('' for none).")] = None,
    json: JsonFlag = False,
) -> None:
    """Change a risk's threat, vulnerability, asset or owner (a new owner must re-accept)."""
    state = state_of(ctx)
    view = service.update_risk(
        state.app,
        ref=project,
        key=key,
        threat=threat,
        vulnerability=vulnerability,
        owner=owner,
        asset=asset,
        actor=state.actor_name,
        lang=state.lang,
    )
    render.print_change(view, json, state.lang)


@app.command("score")
def score(
    ctx: typer.Context,
    project: ProjectArg,
    key: RiskArg,
    likelihood: Level,
    impact: Level,
    json: JsonFlag = False,
) -> None:
    """Score (or re-score) a risk before treatment: likelihood × impact."""
    state = state_of(ctx)
    view = service.score_risk(
        state.app,
        ref=project,
        key=key,
        likelihood=likelihood,
        impact=impact,
        actor=state.actor_name,
        lang=state.lang,
    )
    render.print_change(view, json, state.lang)


@app.command("treat")
def treat(
    ctx: typer.Context,
    project: ProjectArg,
    key: RiskArg,
    option: Annotated[str, typer.Argument(help="modify, avoid, share or retain.")],
    control: Annotated[
        list[str] | None, typer.Option("--control", help="Annex A control, e.g. 8.13 (repeat).")
    ] = None,
    owner: Annotated[str | None, typer.Option("--owner", help="Who carries it out.")] = None,
    due: Annotated[str | None, typer.Option("--due", help="By when (YYYY-MM-DD).")] = None,
    json: JsonFlag = False,
) -> None:
    """Decide a risk's treatment, with the Annex A controls that implement it."""
    state = state_of(ctx)
    view = service.treat_risk(
        state.app,
        ref=project,
        key=key,
        option=option,
        controls=control or (),
        treatment_owner=owner,
        due=optional_date("--due", due),
        actor=state.actor_name,
        lang=state.lang,
    )
    render.print_change(view, json, state.lang)


@app.command("residual")
def residual(
    ctx: typer.Context,
    project: ProjectArg,
    key: RiskArg,
    likelihood: Annotated[int | None, typer.Argument(help="Likelihood after treatment.")] = None,
    impact: Annotated[int | None, typer.Argument(help="Impact after treatment.")] = None,
    clear: Annotated[bool, typer.Option("--clear", help="Remove the residual score.")] = False,
    json: JsonFlag = False,
) -> None:
    """Score what is left of a risk after its treatment (or --clear that score)."""
    if clear == (likelihood is not None or impact is not None):
        raise BadInput("give LIKELIHOOD and IMPACT after treatment, or --clear")
    state = state_of(ctx)
    view = service.score_residual(
        state.app,
        ref=project,
        key=key,
        likelihood=likelihood,
        impact=impact,
        actor=state.actor_name,
        lang=state.lang,
    )
    render.print_change(view, json, state.lang)


@app.command("accept")
def accept(ctx: typer.Context, project: ProjectArg, key: RiskArg, json: JsonFlag = False) -> None:
    """As the risk owner (--actor), accept the residual risk at its current rating."""
    state = state_of(ctx)
    view = service.accept_risk(
        state.app, ref=project, key=key, actor=state.actor_name, lang=state.lang
    )
    render.print_change(view, json, state.lang)


@app.command("list")
def list_(
    ctx: typer.Context,
    project: ProjectArg,
    flag: Annotated[
        str | None,
        typer.Option(help="Only risks flagged: unscored, untreated, acceptance-missing, …"),
    ] = None,
    owner: Annotated[str | None, typer.Option(help="Only this owner's risks.")] = None,
    asset: Annotated[str | None, typer.Option(help="Only the risks of this asset.")] = None,
    json: JsonFlag = False,
) -> None:
    """The risk register with progress, ratings, treatments, acceptance and flags."""
    state = state_of(ctx)
    view = service.list_risks(
        state.app, ref=project, flag=flag, owner=owner, asset=asset, lang=state.lang
    )
    render.print_list(view, json, state.lang)


@app.command("heatmap")
def heatmap(
    ctx: typer.Context,
    project: ProjectArg,
    residual: Annotated[
        bool, typer.Option("--residual", help="Place risks by their residual score.")
    ] = False,
    keys: Annotated[bool, typer.Option("--keys", help="Name the risks in each cell.")] = False,
    json: JsonFlag = False,
) -> None:
    """Draw the likelihood × impact matrix: risks per cell, coloured by level."""
    state = state_of(ctx)
    view = service.risk_heatmap(state.app, ref=project, residual=residual, lang=state.lang)
    render.print_heatmap(view, json, state.lang, keys=keys)


@app.command("import")
def import_(
    ctx: typer.Context,
    project: ProjectArg,
    file: Annotated[Path, typer.Argument(help="CSV with a header row (as `risks export`).")],
    assets: AssetsFlag = False,
    encoding: Annotated[
        str, typer.Option(help="Text encoding, e.g. utf-8-sig or cp932 (Shift_JIS).")
    ] = "utf-8-sig",
    json: JsonFlag = False,
) -> None:
    """Add or change risks (or --assets) from CSV; every bad row is named, none is saved."""
    state = state_of(ctx)
    view = service.import_register(
        state.app,
        ref=project,
        kind="assets" if assets else "risks",
        file=file,
        actor=state.actor_name,
        encoding=encoding,
    )
    render.print_import(view, json, state.lang)


@app.command("export")
def export(
    ctx: typer.Context,
    project: ProjectArg,
    output: Annotated[Path, typer.Option("--output", "-o", help="FILE.csv to write.")],
    assets: AssetsFlag = False,
    json: JsonFlag = False,
) -> None:
    """Write the risks (or --assets) as CSV, UTF-8 with BOM so Excel reads Japanese."""
    state = state_of(ctx)
    view = service.export_register(
        state.app, ref=project, kind="assets" if assets else "risks", file=output
    )
    render.print_export(view, json, state.lang)
