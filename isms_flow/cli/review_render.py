"""Rich renderings of management reviews: the list, one meeting, and what a new one lacks."""

from __future__ import annotations

from collections.abc import Sequence

from rich.markup import escape
from rich.table import Table

from isms_flow.cli.labels import label
from isms_flow.cli.output import console, new_table
from isms_flow.i18n import Language
from isms_flow.services.registers.reviews.views import ReviewView

__all__ = ["print_gaps", "print_recorded", "print_review", "reviews_table"]


def _attendee(name: str, role: str, top: bool) -> str:
    text = f"{name} ({role})" if role else name
    return f"[bold]{escape(text)}[/bold] ★" if top else escape(text)


def print_recorded(view: ReviewView, lang: Language) -> None:
    """The one-line confirmation of a recorded review, then what an auditor would miss."""
    text = label("review_recorded", lang).format(
        id=view.id,
        held_on=view.held_on.isoformat(),
        attendees=len(view.attendees),
        top=sum(1 for a in view.attendees if a.top_management),
        inputs=len(view.inputs) - len(view.missing_inputs),
        decisions=len(view.decisions),
    )
    console.print(f"[green]✓[/green] {escape(text)}")
    print_gaps(view, lang)


def print_gaps(view: ReviewView, lang: Language) -> None:
    """Warnings for missing inputs, absent top management, no decisions."""
    gaps = []
    if view.missing_inputs:
        missing = ", ".join(f"{i.key} ({i.label})" for i in view.inputs if i.notes is None)
        gaps.append(label("review_not_considered", lang).format(inputs=missing))
    if not view.top_management_present:
        gaps.append(label("review_no_top", lang))
    if not view.decisions:
        gaps.append(label("review_no_decisions", lang))
    for gap in gaps:
        console.print(f"[yellow]![/yellow] {escape(gap)}")


def reviews_table(views: Sequence[ReviewView], lang: Language) -> Table:
    """One line per meeting: attendees (★ top management), inputs covered, decisions."""
    table = new_table(
        "#",
        label("review_held_on", lang),
        label("review_attendees", lang),
        label("review_inputs", lang),
        label("review_decisions", lang),
    )
    for view in views:
        covered = " ".join(i.key if i.notes else "[red]–[/red]" for i in view.inputs)
        table.add_row(
            str(view.id),
            view.held_on.isoformat(),
            "\n".join(_attendee(a.name, a.role, a.top_management) for a in view.attendees),
            covered,
            str(len(view.decisions)),
        )
    return table


def print_review(view: ReviewView, lang: Language) -> None:
    """One meeting: attendees, the seven inputs with notes, the decisions."""
    console.print(f"[bold]#{view.id} {view.held_on.isoformat()}[/bold] — {escape(view.project)}")
    people = ", ".join(_attendee(a.name, a.role, a.top_management) for a in view.attendees)
    console.print(f"{label('review_attendees', lang)}: {people}")
    inputs = new_table(
        label("review_item", lang), label("review_input", lang), label("review_notes", lang)
    )
    for item in view.inputs:
        notes = escape(item.notes) if item.notes else f"[red]{label('review_missing', lang)}[/red]"
        inputs.add_row(item.key, escape(item.label), notes)
    console.print(inputs)
    decisions = new_table(
        label("review_decision", lang),
        label("review_kind", lang),
        label("review_owner", lang),
        label("review_due", lang),
        title=label("review_decisions", lang),
    )
    for d in view.decisions:
        due = d.due.isoformat() if d.due else ""
        decisions.add_row(escape(d.text), escape(d.kind_title), escape(d.owner or ""), due)
    console.print(decisions)
    print_gaps(view, lang)
