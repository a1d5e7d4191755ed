"""Rich renderings of the risk register: the method, assets, risks, changes and the heat map."""

from __future__ import annotations

from rich.markup import escape
from rich.table import Table
from rich.text import Text

from isms_flow.cli.labels import label
from isms_flow.cli.output import console, new_table, print_json
from isms_flow.i18n import Language
from isms_flow.services.registers.risks.views import (
    AssetView,
    HeatmapView,
    RiskChangeView,
    RiskExportView,
    RiskImportView,
    RiskListView,
    RiskMethodView,
    RiskView,
)

__all__ = [
    "LEVEL_STYLES",
    "heatmap_table",
    "print_asset",
    "print_assets",
    "print_change",
    "print_export",
    "print_heatmap",
    "print_import",
    "print_list",
    "print_method",
    "risk_table",
]

LEVEL_STYLES = {
    "very_low": "black on green3",
    "low": "black on dark_sea_green2",
    "medium": "black on yellow",
    "high": "black on dark_orange",
    "very_high": "bold white on red3",
}
"""Cell colours of the heat map, from green (accept) to red (treat first)."""
_LEVEL_TEXT = {
    "very_low": "green",
    "low": "green",
    "medium": "yellow",
    "high": "dark_orange",
    "very_high": "bold red",
}


def print_method(view: RiskMethodView, json: bool, lang: Language) -> None:
    """The method with its level bands, what a change did, and the risks it affects."""
    if json:
        print_json(view)
        return
    fields = view.model_dump()
    if view.saved:
        text = label("risks_method_set", lang).format(**fields)
        console.print(f"[green]✓[/green] {escape(text)}")
    console.print(escape(label("risks_method_heading", lang).format(**fields)))
    if view.default:
        console.print(f"[dim]{escape(label('risks_method_default', lang))}[/dim]")
    table = new_table(label("risks_level", lang), label("risks_ratings", lang))
    table.add_column(label("risks_acceptable", lang))
    for band in view.bands:
        span = str(band.low) if band.low == band.high else f"{band.low}–{band.high}"
        accept = label("risks_yes" if band.acceptable else "risks_treat", lang)
        table.add_row(Text(band.title, style=_LEVEL_TEXT[band.level]), span, accept)
    console.print(table)
    if view.off_scale:
        keys = ", ".join(view.off_scale)
        console.print(f"[red]✗ {escape(label('risks_off_scale', lang).format(keys=keys))}[/red]")
    if view.above_threshold:
        text = label("risks_above", lang).format(
            count=len(view.above_threshold), keys=", ".join(view.above_threshold)
        )
        console.print(escape(text))


def print_asset(view: AssetView, json: bool, lang: Language, message: str) -> None:
    """One asset added or changed."""
    if json:
        print_json(view)
        return
    console.print(f"[green]✓[/green] {escape(label(message, lang).format(**view.model_dump()))}")


def print_assets(views: list[AssetView], json: bool, lang: Language) -> None:
    """The asset inventory."""
    if json:
        print_json(views)
        return
    if not views:
        console.print(f"[dim]{label('risks_no_assets', lang)}[/dim]")
        return
    keys = ("key", "name", "risks_owner", "risks_cia", "risks_risks", "risks_description")
    table = new_table(*(label(k, lang) for k in keys))
    for a in views:
        table.add_row(
            a.key, escape(a.name), escape(a.owner), a.cia, ", ".join(a.risks), escape(a.description)
        )
    console.print(table)


def print_list(view: RiskListView, json: bool, lang: Language) -> None:
    """Progress, then one row per risk with what still keeps it from passing the guards."""
    if json:
        print_json(view)
        return
    console.print(escape(label("risks_heading", lang).format(**view.model_dump())))
    console.print("[bold]" + escape(" · ".join(view.progress)) + "[/bold]")
    if view.filters:
        shown = ", ".join(f"{k}={v}" for k, v in view.filters.items())
        console.print(f"[dim]{escape(label('risks_filtered', lang).format(filters=shown))}[/dim]")
    if not view.risks:
        console.print(f"[dim]{label('risks_none', lang)}[/dim]")
        return
    console.print(risk_table(view.risks, lang))


def risk_table(risks: list[RiskView], lang: Language) -> Table:
    """One row per risk: what it is, its score, treatment, residual risk and acceptance."""
    keys = ("risks_risk", "risks_threat", "risks_owner", "risks_score", "risks_treatment")
    table = new_table(*(label(k, lang) for k in keys))
    for key in ("risks_residual", "risks_flags"):
        table.add_column(label(key, lang), overflow="fold")
    table.columns[0].no_wrap = True
    for r in risks:
        threat = escape(r.threat)
        if r.vulnerability:
            threat += f"\n[dim]{escape(r.vulnerability)}[/dim]"
        key = r.key + (f"\n[dim]{r.asset}[/dim]" if r.asset else "")
        residual = _score(
            r.residual_likelihood,
            r.residual_impact,
            r.residual_rating,
            r.residual_level,
            r.residual_level_title,
        )
        table.add_row(
            key,
            threat,
            escape(r.owner),
            _score(r.likelihood, r.impact, r.rating, r.level, r.level_title),
            _treatment(r),
            Text.from_markup(f"{residual.markup}{_accepted(r, lang)}"),
            _flags(r),
        )
    return table


def print_change(view: RiskChangeView, json: bool, lang: Language) -> None:
    """What one change did to one risk, and its consequences."""
    if json:
        print_json(view)
        return
    r = view.risk
    fields = {
        **r.model_dump(),
        "score": _plain_score(r.likelihood, r.impact, r.rating, r.level_title),
        "residual": _plain_score(
            r.residual_likelihood, r.residual_impact, r.residual_rating, r.residual_level_title
        ),
        "controls": ", ".join(r.controls) or "—",
        "treatment_title": r.treatment_title or "—",
    }
    if view.saved:
        text = label(f"risks_done_{view.action}", lang).format(**fields)
        console.print(f"[green]✓[/green] {escape(text)}")
    for note in view.notes:
        console.print(f"[yellow]![/yellow] {escape(note)}")
    if not view.saved and not view.notes:
        console.print(f"[dim]{label('risks_nothing_saved', lang)}[/dim]")
    if r.flags:
        still = escape(label("risks_still", lang))
        console.print(f"[dim]{still}[/dim] " + escape(", ".join(r.flag_titles)))


def print_heatmap(view: HeatmapView, json: bool, lang: Language, *, keys: bool = False) -> None:
    """The matrix, its legend, and the risks it could not place."""
    if json:
        print_json(view)
        return
    title = label("risks_heatmap_residual" if view.residual else "risks_heatmap", lang)
    console.print(f"[bold]{escape(title.format(**view.model_dump()))}[/bold]")
    console.print(heatmap_table(view, lang, keys=keys))
    legend = Text()
    for level, name in view.level_titles.items():
        legend.append(f" {name} ", style=LEVEL_STYLES[level])
        legend.append(" ")
    legend.append(label("risks_heatmap_threshold", lang).format(**view.model_dump()))
    console.print(legend)
    if view.unplaced:
        text = label("risks_heatmap_unplaced", lang).format(keys=", ".join(view.unplaced))
        console.print(f"[dim]{escape(text)}[/dim]")


def heatmap_table(view: HeatmapView, lang: Language, *, keys: bool = False) -> Table:
    """Rows from the highest likelihood down, impact left to right; counts coloured by level."""
    table = Table(show_lines=True, header_style="bold", title_justify="left")
    table.add_column(label("risks_likelihood_impact", lang), justify="right", no_wrap=True)
    for impact in range(1, view.impact_levels + 1):
        table.add_column(str(impact), justify="center", min_width=5 if not keys else 8)
    for row in view.rows:
        cells: list[Text] = []
        for cell in row:
            text = Text(str(cell.count) if cell.count else "·", style=LEVEL_STYLES[cell.level])
            if keys and cell.keys:
                text.append("\n" + "\n".join(cell.keys), style=LEVEL_STYLES[cell.level])
            cells.append(text)
        table.add_row(Text(str(row[0].likelihood), style="bold"), *cells)
    return table


def print_import(view: RiskImportView, json: bool, lang: Language) -> None:
    """What an import did."""
    if json:
        print_json(view)
        return
    fields = {**view.model_dump(), "added": len(view.added), "changed": len(view.changed)}
    console.print(f"[green]✓[/green] {escape(label('risks_imported', lang).format(**fields))}")
    if view.stale:
        text = label("risks_imported_stale", lang).format(keys=", ".join(view.stale))
        console.print(f"[yellow]![/yellow] {escape(text)}")
    if not view.saved:
        console.print(f"[dim]{label('risks_nothing_saved', lang)}[/dim]")


def print_export(view: RiskExportView, json: bool, lang: Language) -> None:
    """The file an export wrote."""
    if json:
        print_json(view)
        return
    text = label("risks_exported", lang).format(**view.model_dump())
    console.print(f"[green]✓[/green] {escape(text)}")


def _score(
    likelihood: int | None,
    impact: int | None,
    rating: int | None,
    level: str | None,
    title: str | None,
) -> Text:
    if likelihood is None or impact is None or rating is None:
        return Text("—", style="dim")
    text = Text(f"{likelihood}×{impact}={rating}")
    if level is not None and title is not None:
        text.append(f" {title}", style=_LEVEL_TEXT[level])
    return text


def _plain_score(
    likelihood: int | None, impact: int | None, rating: int | None, title: str | None
) -> str:
    if likelihood is None or impact is None or rating is None:
        return "—"
    return f"{likelihood}×{impact}={rating}" + (f" ({title})" if title else "")


def _treatment(r: RiskView) -> str:
    if r.treatment_title is None:
        return "[dim]—[/dim]"
    text = escape(r.treatment_title)
    if r.controls:
        text += "\n" + ", ".join(r.controls)
    plan = " ".join(part for part in (r.treatment_owner, str(r.treatment_due or "")) if part)
    return text + (f"\n[dim]{escape(plan)}[/dim]" if plan else "")


def _flags(r: RiskView) -> str:
    return f"[red]{escape(', '.join(r.flag_titles))}[/red]" if r.flags else "[green]✓[/green]"


def _accepted(r: RiskView, lang: Language) -> str:
    if r.accepted_by is None:
        return ""
    text = escape(label("risks_accepted_by", lang).format(**r.model_dump()))
    if r.acceptance == "stale":
        return f"\n[red]{text}\n{escape(label('risks_stale', lang))}[/red]"
    return f"\n[green]{text}[/green]"
