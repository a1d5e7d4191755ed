"""Rich renderings of certification body quotes: the list and the side-by-side comparison."""

from __future__ import annotations

from collections.abc import Sequence

from rich.markup import escape
from rich.table import Table

from isms_flow.cli.labels import label
from isms_flow.cli.output import console, new_table
from isms_flow.i18n import Language
from isms_flow.isms.certification import format_days
from isms_flow.services.registers.certification.views import ComparisonView, QuoteView

__all__ = ["print_comparison", "quotes_table"]


def _signed(value: int | None) -> str:
    if value is None:
        return ""
    return "(±0%)" if value == 0 else f"({value:+d}%)"


def quotes_table(views: Sequence[QuoteView], lang: Language) -> Table:
    """Every quote as recorded; the selected one in bold with its reason."""
    table = new_table(
        "#",
        label("quotes_body", lang),
        label("quotes_accreditation", lang),
        label("quotes_days", lang),
        label("quotes_cost", lang),
        label("quotes_per_day", lang),
        label("quotes_quoted_on", lang),
        label("quotes_selected_col", lang),
    )
    for v in views:
        table.add_row(
            str(v.id),
            escape(v.body),
            escape(v.accreditation),
            format_days(v.audit_days),
            v.price,
            v.cost_per_day_text,
            v.quoted_on.isoformat(),
            f"✓ {escape(v.selection_reason)}" if v.selected else "",
            style="bold" if v.selected else None,
        )
    return table


def print_comparison(view: ComparisonView, lang: Language) -> None:
    """The chart's suggestion for the headcount, the quotes side by side, outliers in red and
    each reason it stands out underneath."""
    if view.suggested_days is not None:
        source_key = "quotes_from_staff" if view.headcount_source == "staff" else "quotes_given"
        headline = label("quotes_headcount", lang).format(
            headcount=view.headcount,
            source=label(source_key, lang),
            days=format_days(view.suggested_days),
        )
        console.print(escape(headline))
    if view.note:
        console.print(f"[yellow]![/yellow] {escape(view.note)}")
    if not view.rows:
        console.print(label("quotes_none", lang))
        return
    table = new_table(
        "#",
        label("quotes_body", lang),
        label("quotes_days", lang),
        label("quotes_chart", lang),
        label("quotes_cost", lang),
        label("quotes_per_day", lang),
        label("quotes_selected_col", lang),
    )
    chart = format_days(view.suggested_days) if view.suggested_days is not None else "—"
    for row in view.rows:
        quote = row.quote
        table.add_row(
            f"⚠ {quote.id}" if row.outlier else str(quote.id),
            f"{escape(quote.body)}\n[dim]{escape(quote.accreditation)}[/dim]",
            f"{format_days(quote.audit_days)} {_signed(row.days_deviation_percent)}".strip(),
            chart,
            quote.price,
            f"{quote.cost_per_day_text} {_signed(row.cost_per_day_deviation_percent)}".strip(),
            "✓" if quote.selected else "",
            style="red" if row.outlier else ("bold" if quote.selected else None),
        )
    console.print(table)
    for row in view.rows:
        for flag in row.flags:
            console.print(f"[red]⚠ #{row.quote.id} {escape(row.quote.body)}[/red]: {escape(flag)}")
    outliers = sum(1 for row in view.rows if row.outlier)
    summary = label("quotes_outliers", lang).format(count=outliers)
    console.print(f"[dim]{escape(summary)} — {escape(view.rule)}[/dim]")
