"""Rich renderings of the audits register: audits, findings, and programme coverage."""

from __future__ import annotations

from collections.abc import Sequence

from rich.markup import escape
from rich.table import Table

from isms_flow.cli.labels import label
from isms_flow.cli.output import console, new_table
from isms_flow.i18n import Language
from isms_flow.services.registers.audits.views import AuditView, CoverageView, FindingView

__all__ = ["audit_table", "finding_table", "print_coverage", "print_finding"]

_STATUS_STYLE = {
    "open": "red",
    "plan_accepted": "yellow",
    "corrected": "cyan",
    "verified": "green",
    "closed": "dim",
}


def _controls(controls: Sequence[str], limit: int = 4) -> str:
    if len(controls) <= limit:
        return ", ".join(controls) or "—"
    return f"{len(controls)}: {', '.join(controls[:limit])}, …"


def audit_table(views: Sequence[AuditView], lang: Language) -> Table:
    """Audits with dates, auditor, what they covered and their open findings."""
    table = new_table(
        *(
            label(k, lang)
            for k in (
                "key",
                "kind",
                "audits_dates",
                "audits_auditor",
                "audits_areas",
                "audits_clauses",
                "audits_controls",
                "audits_findings",
            )
        )
    )
    for v in views:
        dates = (
            str(v.started_on) if v.started_on == v.ended_on else f"{v.started_on} – {v.ended_on}"
        )
        if not v.performed:
            dates += f" [dim]({label('audits_planned', lang)})[/dim]"
        auditor = escape(v.auditor)
        if v.auditor_department:
            auditor += f" [dim]({escape(v.auditor_department)})[/dim]"
        for warning in v.warnings:
            auditor += f"\n[yellow]{escape(warning)}[/yellow]"
        table.add_row(
            v.key,
            v.kind_title,
            dates,
            auditor,
            escape(", ".join(v.areas)) or "—",
            ", ".join(v.clauses) or "—",
            _controls(v.controls),
            f"{v.open_findings}/{v.findings}",
        )
    return table


def finding_table(views: Sequence[FindingView], lang: Language) -> Table:
    """Findings with grade, requirement, owner, due date and status."""
    table = new_table(
        *(
            label(k, lang)
            for k in (
                "key",
                "audits_audit",
                "audits_grade",
                "audits_clause",
                "audits_description",
                "audits_owner",
                "audits_due",
                "status",
            )
        )
    )
    for v in views:
        requirement = " / ".join(part for part in (v.clause, v.control) if part)
        due = str(v.due) if v.due else "—"
        if v.overdue:
            due = f"[bold red]{due} ({label('audits_overdue', lang)})[/bold red]"
        style = _STATUS_STYLE.get(v.status, "")
        table.add_row(
            v.key,
            v.audit,
            v.grade_title,
            requirement,
            escape(v.description),
            escape(v.owner or "—"),
            due,
            f"[{style}]{v.status_title}[/{style}]" if style else v.status_title,
        )
    return table


def print_finding(view: FindingView, message: str) -> None:
    """A one-line confirmation, plus the remark of the change (e.g. a withdrawn plan)."""
    console.print(f"[green]✓[/green] {escape(message)}")
    if view.note:
        console.print(f"[yellow]{escape(view.note)}[/yellow]")


def print_coverage(view: CoverageView, lang: Language) -> None:
    """Clauses 4–10 and Annex A themes against the internal audits of the period."""
    audits = ", ".join(view.audits) or "—"
    console.print(
        label("audits_coverage", lang).format(**view.model_dump(exclude={"audits"}), audits=audits)
    )
    clauses = new_table(
        label("audits_clause", lang), label("title", lang), label("audits_covered_by", lang)
    )
    for clause in view.clauses:
        mark = "[green]✓[/green]" if clause.covered else "[red]✗[/red]"
        clauses.add_row(
            f"{mark} {clause.clause}",
            clause.title,
            ", ".join(clause.audits) or f"[red]{label('audits_not_audited', lang)}[/red]",
        )
    console.print(clauses)
    themes = new_table(
        *(
            label(k, lang)
            for k in ("audits_theme", "audits_applicable", "audits_audited", "audits_not_audited")
        )
    )
    for theme in view.themes:
        complete = theme.covered == theme.applicable
        count = f"{theme.covered}/{theme.applicable}"
        themes.add_row(
            f"A.{theme.theme} {theme.title}",
            str(theme.applicable),
            f"[green]{count}[/green]" if complete else f"[red]{count}[/red]",
            ", ".join(theme.missing) or "—",
        )
    console.print(themes)
    if not view.soa_applicable:
        console.print(f"[dim]{label('audits_all_controls', lang)}[/dim]")
    if view.complete:
        console.print(f"[green]✓[/green] {label('audits_complete', lang)}")
