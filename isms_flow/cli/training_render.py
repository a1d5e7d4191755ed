"""Rich renderings of the training register: roster, completions, coverage, imports."""

from __future__ import annotations

from collections.abc import Sequence

from rich.markup import escape
from rich.table import Table

from isms_flow.cli.labels import label
from isms_flow.cli.output import console, new_table, print_json
from isms_flow.i18n import Language
from isms_flow.services.registers.training.views import (
    CompletionView,
    ImportView,
    StaffView,
    TrainingStatusView,
)

__all__ = ["print_import", "print_training_status", "records_table", "staff_table"]


def print_import(view: ImportView, json: bool, lang: Language) -> None:
    """What an import did, or its JSON."""
    if json:
        print_json(view)
        return
    key = "training_imported_staff" if view.what == "staff" else "training_imported_completions"
    console.print(f"[green]✓[/green] {escape(label(key, lang).format(**view.model_dump()))}")
    if not view.saved:
        console.print(f"[dim]{label('training_nothing_saved', lang)}[/dim]")


def staff_table(views: Sequence[StaffView], lang: Language) -> Table:
    """The roster."""
    keys = ("training_employee", "name", "training_department", "training_role")
    table = new_table(
        *(label(k, lang) for k in keys),
        label("training_joined", lang),
        label("training_left", lang),
        label("training_in_scope", lang),
    )
    for v in views:
        table.add_row(
            v.employee_id,
            escape(v.name),
            escape(v.department),
            escape(v.role),
            v.joined.isoformat(),
            v.left_on.isoformat() if v.left_on else "",
            "✓" if v.in_scope else "—",
        )
    return table


def records_table(views: Sequence[CompletionView], lang: Language) -> Table:
    """Completions with the last day each counts."""
    keys = ("training_employee", "name", "training_course", "training_completed", "valid_until")
    table = new_table(*(label(k, lang) for k in keys))
    for v in views:
        table.add_row(
            v.employee_id,
            escape(v.name),
            v.course,
            v.completed_on.isoformat(),
            v.valid_until.isoformat(),
        )
    return table


def print_training_status(view: TrainingStatusView, lang: Language) -> None:
    """Coverage summary, per department, and who is missing."""
    summary = label("training_summary", lang).format(**view.model_dump())
    colour = "green" if view.covered == view.in_scope and view.in_scope else "yellow"
    console.print(f"[bold]{escape(view.project)}[/bold] — [{colour}]{escape(summary)}[/{colour}]")
    if view.departments:
        table = new_table(
            label("training_department", lang),
            label("training_covered", lang),
            "%",
        )
        for d in view.departments:
            table.add_row(escape(d.department), f"{d.covered}/{d.in_scope}", f"{d.percent}%")
        console.print(table)
    if not view.missing:
        if view.in_scope:
            console.print(label("training_none_missing", lang))
        return
    keys = ("training_employee", "name", "training_department", "training_role")
    table = new_table(
        *(label(k, lang) for k in keys),
        label("training_last", lang),
        title=label("training_missing", lang),
    )
    for m in view.missing:
        last = (
            f"{m.last_completed} ({m.last_course}) → {m.valid_until}" if m.last_completed else "—"
        )
        table.add_row(m.employee_id, escape(m.name), escape(m.department), escape(m.role), last)
    console.print(table)
