"""How a simulation looks on a terminal: one row per reminder or escalation, in order."""

from __future__ import annotations

from rich.markup import escape

from isms_flow.cli.labels import label
from isms_flow.cli.output import console, local_time, new_table, print_json
from isms_flow.i18n import Language
from isms_flow.services.simulation import SimulatedNotificationView, SimulationView

__all__ = ["print_simulation", "what_it_did"]


def what_it_did(item: SimulatedNotificationView, lang: Language) -> str:
    """An escalation's effect in words, e.g. `certified → suspended (suspend)`."""
    if item.escalation == "fired":
        return f"{item.from_state} → {item.to_state} ({item.trigger})"
    if item.escalation == "not_applicable":
        return label("simulate_not_applicable", lang).format(
            trigger=item.trigger, state=item.from_state
        )
    if item.escalation in ("escalated", "none"):
        return label(f"notifications_escalation_{item.escalation}", lang)
    return ""


def _when(item: SimulatedNotificationView, lang: Language) -> str:
    if item.kind == "escalation":
        return label("notifications_overdue", lang)
    return label("notifications_days_before", lang).format(days=item.offset_days)


def print_simulation(view: SimulationView, json: bool, lang: Language) -> None:
    """The forecast as a table (or JSON), then where each project ends up."""
    if json:
        print_json(view)
        return
    period = label("simulate_period", lang).format(
        scope=view.scope,
        start=local_time(view.started_at, view.timezone),
        until=view.until.isoformat(),
    )
    if not view.notifications:
        console.print(label("simulate_none", lang).format(period=period))
    else:
        table = new_table(
            label("simulate_at", lang),
            label("project", lang),
            label("notifications_deadline", lang),
            label("notifications_when", lang),
            label("notifications_channel", lang),
            label("simulate_did", lang),
            title=label("simulate_title", lang).format(period=period),
        )
        for item in view.notifications:
            when = _when(item, lang)
            if item.late:
                when += f" [yellow]{label('notifications_late', lang)}[/yellow]"
            did = what_it_did(item, lang)
            table.add_row(
                item.local_time,
                escape(item.project),
                f"{escape(item.deadline)}\n{item.due_on.isoformat()}",
                when,
                ", ".join(item.channels) or "—",
                f"[bold]{escape(did)}[/bold]" if item.escalation == "fired" else escape(did),
            )
        console.print(table)
    for outcome in view.projects:
        if outcome.state_after != outcome.state_before:
            text = label("simulate_moved", lang).format(
                project=outcome.project, before=outcome.state_before, after=outcome.state_after
            )
            console.print(escape(text))
    summary = label("simulate_summary", lang).format(
        reminders=view.reminders, escalations=view.escalations
    )
    console.print(f"[dim]{escape(summary)}[/dim]")
