"""Rich renderings of deadlines and of a client's reminder days."""

from __future__ import annotations

from rich.markup import escape

from isms_flow.cli.labels import label
from isms_flow.cli.output import console, local_time, new_table, print_json
from isms_flow.i18n import Language
from isms_flow.services.deadlines.views import ClientRemindersView, DeadlineListView, DeadlineView

__all__ = ["print_client_reminders", "print_deadlines"]

_STYLE = {
    "overdue": "bold red",
    "due_soon": "yellow",
    "open": "",
    "met": "green",
    "cancelled": "dim",
}


def print_deadlines(view: DeadlineListView, json: bool, lang: Language) -> None:
    """The deadlines as a table (or JSON), soonest first."""
    if json:
        print_json(view)
        return
    if not view.deadlines:
        console.print(label("deadlines_none", lang).format(scope=view.scope))
        return
    table = new_table(
        *(
            label(key, lang)
            for key in (
                "project",
                "deadlines_deadline",
                "deadlines_due",
                "deadlines_days_left",
                "status",
                "deadlines_if_missed",
                "deadlines_next_reminder",
            )
        ),
        title=label("deadlines_title", lang).format(scope=view.scope),
    )
    for item in view.deadlines:
        style = _STYLE[item.status]
        status = label(f"deadlines_status_{item.status}", lang)
        table.add_row(
            escape(item.project),
            escape(item.title),
            item.due_on.isoformat(),
            str(item.days_left),
            f"[{style}]{status}[/{style}]" if style else status,
            escape(_if_missed(item, lang)),
            local_time(item.next_reminder_at, item.timezone) if item.next_reminder_at else "—",
        )
    console.print(table)


def _if_missed(item: DeadlineView, lang: Language) -> str:
    if item.on_overdue == "escalate":
        return label("deadlines_escalate", lang)
    if item.on_overdue_state:
        return f"{item.on_overdue} → {item.on_overdue_state}"
    return item.on_overdue or "—"


def print_client_reminders(view: ClientRemindersView, json: bool, lang: Language) -> None:
    """Which days before each deadline kind the client is reminded, and where that comes from."""
    if json:
        print_json(view)
        return
    table = new_table(
        *(
            label(key, lang)
            for key in ("kind", "deadlines_deadline", "deadlines_days", "deadlines_source")
        ),
        title=label("deadlines_reminders_title", lang).format(client=view.client),
    )
    for item in view.kinds:
        days = ", ".join(str(day) for day in item.days) or "—"
        source = label(f"deadlines_source_{item.source}", lang)
        table.add_row(escape(item.kind), escape(item.title), days, source)
    console.print(table)
