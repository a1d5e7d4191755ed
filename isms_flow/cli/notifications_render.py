"""How deliveries and outbox rows look on a terminal: one line per delivery, a table of rows."""

from __future__ import annotations

from rich.markup import escape
from rich.table import Table

from isms_flow.cli.labels import label
from isms_flow.cli.output import local_time, new_table
from isms_flow.i18n import Language
from isms_flow.schedule.dispatcher import Delivery, TickReport
from isms_flow.services.notifications import NotificationView

__all__ = ["delivery_line", "notification_table", "tick_line"]

_COLOURS = {
    "sent": "green",
    "pending": "yellow",
    "sending": "yellow",
    "failed": "red",
    "cancelled": "dim",
    "lost": "magenta",
}


def _status(status: str, lang: Language) -> str:
    colour = _COLOURS.get(status, "white")
    return f"[{colour}]{label(f'notifications_status_{status}', lang)}[/{colour}]"


def _when(kind: str, offset_days: int, lang: Language) -> str:
    if kind == "escalation":
        return label("notifications_overdue", lang)
    return label("notifications_days_before", lang).format(days=offset_days)


def delivery_line(delivery: Delivery, lang: Language) -> str:
    """One delivery as it happens: status, channel, project, deadline, when, and why not."""
    parts = [
        _status(delivery.status, lang),
        delivery.channel,
        escape(delivery.project),
        escape(delivery.deadline),
        label("notifications_due_on", lang).format(due=delivery.due_on),
        _when(delivery.kind, delivery.offset_days, lang),
    ]
    if delivery.recipients:
        parts.append(label("notifications_recipients", lang).format(count=delivery.recipients))
    if delivery.late:
        parts.append(f"[yellow]{label('notifications_late', lang)}[/yellow]")
    if delivery.escalation:
        parts.append(label(f"notifications_escalation_{delivery.escalation}", lang))
    if delivery.error:
        parts.append(f"— {escape(delivery.error)}")
    return "  ".join(parts)


def tick_line(report: TickReport, lang: Language, timezone: str) -> str:
    """The summary of one tick."""
    return label("scheduler_tick", lang).format(
        at=local_time(report.now, timezone),
        sent=report.count("sent"),
        retried=report.count("pending"),
        failed=report.count("failed"),
        cancelled=report.count("cancelled"),
    )


def notification_table(views: list[NotificationView], lang: Language) -> Table:
    """Outbox rows with their status, attempts, last error and late flag."""
    table = new_table(
        label("id", lang),
        label("project", lang),
        label("notifications_deadline", lang),
        label("notifications_when", lang),
        label("notifications_channel", lang),
        label("notifications_fires", lang),
        label("status", lang),
        label("notifications_attempts", lang),
        label("notifications_last_error", lang),
    )
    for view in views:
        status = _status(view.status, lang)
        if view.late:
            status += f" [yellow]{label('notifications_late', lang)}[/yellow]"
        moment = view.sent_at or view.next_attempt_at or view.fire_at
        table.add_row(
            str(view.id),
            escape(view.project),
            f"{escape(view.deadline)}\n{view.due_on.isoformat()}",
            _when(view.kind, view.offset_days, lang),
            view.channel,
            local_time(moment, view.timezone),
            status,
            str(view.attempts),
            escape(view.last_error),
        )
    return table
