"""Rich renderings of service results, shared by the command modules."""

from __future__ import annotations

from collections.abc import Sequence

from rich.markup import escape
from rich.table import Table

from isms_flow.cli.labels import label
from isms_flow.cli.output import console, local_time, new_table
from isms_flow.i18n import Language
from isms_flow.services.views import (
    EventView,
    EvidenceView,
    OverrideView,
    ProjectView,
    StatusView,
    TransitionView,
)

__all__ = [
    "evidence_table",
    "history_table",
    "override_table",
    "print_status",
    "print_transition",
    "project_table",
]


def project_table(views: Sequence[ProjectView], lang: Language, timezone: str) -> Table:
    """Projects with their stage."""
    table = new_table(*(label(k, lang) for k in ("project", "title", "stage", "scope", "workflow")))
    for v in views:
        table.add_row(
            v.ref,
            v.title,
            f"{v.state_title} [dim]({v.state})[/dim]",
            v.scope or "—",
            f"{v.workflow} v{v.workflow_version}",
        )
    return table


def print_status(view: StatusView, lang: Language) -> None:
    """The checklist of the current stage and the triggers out of it."""
    p = view.project
    console.print(f"[bold]{escape(p.ref)}[/bold] — {escape(p.title)}")
    final = f" [dim]({label('final', lang)})[/dim]" if view.final else ""
    console.print(
        f"{label('stage', lang)}: [bold cyan]{escape(view.stage_title)}[/bold cyan] "
        f"[dim]({p.state})[/dim]{final}"
    )
    console.print(f"{label('scope', lang)}: {escape(p.scope or '—')}")
    if view.workflow_file_changed:
        console.print(f"[yellow]{label('workflow_changed', lang)}[/yellow]")
    if view.stage_description:
        console.print(f"[dim]{escape(view.stage_description)}[/dim]")
    if view.checklist:
        table = new_table("", label("requirement", lang), "", title=label("requirements", lang))
        for check in view.checklist:
            mark = "[green]✓[/green]" if check.met else "[red]✗[/red]"
            detail = "\n".join(escape(b) for b in check.blockers)
            table.add_row(
                mark,
                f"{escape(check.label)}\n[red]{detail}[/red]" if detail else escape(check.label),
                f"{check.have}/{check.need}",
            )
        console.print(table)
    else:
        console.print(label("no_requirements", lang))
    if view.triggers:
        table = new_table(
            label("trigger", lang),
            label("dest", lang),
            label("status", lang),
            title=label("triggers", lang),
        )
        for option in view.triggers:
            state = (
                f"[green]{label('open', lang)}[/green]"
                if option.open
                else f"[red]{label('blocked', lang)}[/red] ({len(option.blockers)})"
            )
            table.add_row(
                f"{option.trigger}\n[dim]{escape(option.title)}[/dim]",
                escape(option.dest_title),
                state,
            )
        console.print(table)
    if view.pending_overrides:
        console.print(
            override_table(view.pending_overrides, lang, title=label("pending_overrides", lang))
        )


def print_transition(view: TransitionView) -> None:
    """One line for a project that moved, plus what an override bypassed."""
    console.print(
        f"[green]✓[/green] {escape(view.project)}: {view.trigger}: {view.from_state} → "
        f"[bold]{view.to_state}[/bold] ({escape(view.to_title)})"
    )
    if view.override_id is not None:
        console.print(f"[yellow]override #{view.override_id} applied; bypassed:[/yellow]")
        for blocker in view.overridden_blockers:
            console.print(f"  - {escape(blocker)}")


def history_table(views: Sequence[EventView], lang: Language, timezone: str) -> Table:
    """Events oldest first."""
    table = new_table(*(label(k, lang) for k in ("seq", "at", "actor", "event", "summary")))
    for v in views:
        table.add_row(
            str(v.seq),
            local_time(v.occurred_at, timezone),
            escape(v.actor),
            v.type,
            escape(v.summary),
        )
    return table


def override_table(
    views: Sequence[OverrideView], lang: Language, *, title: str | None = None
) -> Table:
    """Override requests."""
    table = new_table(
        label("id", lang),
        label("trigger", lang),
        label("requested_by", lang),
        label("reason", lang),
        label("status", lang),
        title=title,
    )
    for v in views:
        approved = f" ({v.approved_by})" if v.approved_by else ""
        table.add_row(
            f"#{v.id}",
            f"{v.trigger} ({v.from_state})",
            escape(v.requested_by),
            escape(v.reason),
            f"{v.status}{escape(approved)}",
        )
    return table


def evidence_table(views: Sequence[EvidenceView], lang: Language) -> Table:
    """Evidence documents and their versions."""
    table = new_table(
        *(
            label(k, lang)
            for k in (
                "id",
                "kind",
                "name",
                "version",
                "file",
                "effective",
                "valid_until",
                "approvals",
            )
        )
    )
    for v in views:
        current = "" if v.current else " [dim](old)[/dim]"
        until = v.valid_until.isoformat() if v.valid_until else "—"
        if v.expired:
            until = f"[red]{until} {label('expired', lang)}[/red]"
        approvals = ", ".join(f"{a.by} ({a.role})" for a in v.approvals) or "—"
        table.add_row(
            f"#{v.id}",
            escape(v.kind_title),
            escape(v.name),
            f"v{v.version}/{v.versions}{current}",
            escape(v.filename),
            v.effective_date.isoformat(),
            until,
            escape(approvals),
        )
    return table
