"""Rich renderings of the Statement of Applicability: the table, progress, and results."""

from __future__ import annotations

from rich.markup import escape
from rich.table import Table

from isms_flow.cli.labels import label
from isms_flow.cli.output import console, new_table, print_json
from isms_flow.i18n import Language
from isms_flow.services.registers.soa.views import (
    SoaChangeView,
    SoaEntryView,
    SoaImportView,
    SoaView,
)

__all__ = ["print_change", "print_import", "print_soa", "soa_table"]

_VERDICT_STYLE = {
    "applicable": "[green]✓ {}[/green]",
    "excluded": "[dim]✗ {}[/dim]",
    "undecided": "[yellow]? {}[/yellow]",
}


def print_soa(view: SoaView, lang: Language) -> None:
    """Heading, progress, the table, and what keeps the SoA from being complete."""
    console.print(escape(label("soa_heading", lang).format(**view.model_dump())))
    summary = label("soa_summary", lang).format(**view.model_dump(), **view.statuses)
    console.print(f"[bold]{escape(view.progress)}[/bold] — {escape(summary)}")
    if view.entries:
        console.print(soa_table(view.entries, lang))
    else:
        console.print(f"[dim]{label('soa_no_rows', lang)}[/dim]")
    if view.complete:
        console.print(f"[green]✓ {label('soa_complete', lang)}[/green]")
    for problem in view.problems:
        console.print(f"[red]✗ {escape(problem)}[/red]", soft_wrap=True)
    if not view.risk_register_linked:
        console.print(f"[dim]{label('soa_risks_unchecked', lang)}[/dim]")


def soa_table(entries: list[SoaEntryView], lang: Language) -> Table:
    """One row per control, a heading row at the start of each theme."""
    keys = ("soa_control", "soa_title", "soa_verdict", "soa_status", "soa_justification")
    table = new_table(*(label(k, lang) for k in keys), label("soa_risks", lang))
    table.add_column(label("soa_evidence", lang), overflow="fold")
    # Ids and verdicts stay on one line; the long texts share what is left of the width.
    for column in (table.columns[0], table.columns[2]):
        column.no_wrap = True
    table.columns[1].min_width = table.columns[4].min_width = 18
    table.columns[3].min_width = 14
    theme = None
    for e in entries:
        if e.theme != theme:
            if theme is not None:
                table.add_section()
            theme = e.theme
            table.add_row("", f"[bold]{escape(theme)}[/bold]")
        title = escape(e.title)
        if e.chosen_in_risk_treatment:
            title += f" [cyan]{label('soa_chosen', lang)}[/cyan]"
        table.add_row(
            e.control,
            title,
            _VERDICT_STYLE[e.verdict].format(label(f"soa_{e.verdict}", lang)),
            escape(e.status_title or ""),
            escape(e.justification),
            ", ".join(e.risk_keys),
            escape(", ".join(e.evidence)),
        )
    return table


def print_change(view: SoaChangeView, json: bool, lang: Language) -> None:
    """What an init or a decision did, or its JSON."""
    if json:
        print_json(view)
        return
    fields = view.model_dump()
    if view.action == "init":
        key = "soa_initialised" if view.saved else "soa_already_initialised"
        text = label(key, lang).format(**{**fields, "added": len(view.controls)})
        console.print(f"[green]✓[/green] {escape(text)}")
        return
    if view.controls:
        verdict = label(f"soa_{view.verdict}", lang)
        fields.update(verdict=verdict, count=len(view.controls), controls=", ".join(view.controls))
        text = label("soa_decided", lang).format(**fields)
        console.print(f"[green]✓[/green] {escape(text)}")
    if view.unchanged:
        text = label("soa_unchanged", lang).format(controls=", ".join(view.unchanged))
        console.print(f"[dim]{escape(text)}[/dim]")
    if not view.saved:
        console.print(f"[dim]{label('soa_nothing_saved', lang)}[/dim]")


def print_import(view: SoaImportView, json: bool, lang: Language) -> None:
    """What an import did, or its JSON."""
    if json:
        print_json(view)
        return
    fields = {**view.model_dump(), "changed": len(view.changed)}
    console.print(f"[green]✓[/green] {escape(label('soa_imported', lang).format(**fields))}")
    if not view.saved:
        console.print(f"[dim]{label('soa_nothing_saved', lang)}[/dim]")
