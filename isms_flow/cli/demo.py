"""`isms-flow demo`: walk a demo project from scoping to certified, printing each step."""

from __future__ import annotations

import typer
from rich.markup import escape

from isms_flow.cli.context import state_of
from isms_flow.cli.output import console
from isms_flow.services.demo import run_demo

_STYLE = {
    "client": "[bold]●[/bold]",
    "project": "[bold]●[/bold]",
    "blocked": "[bold red]✗[/bold red]",
    "scope": "[cyan]+[/cyan]",
    "evidence": "[cyan]+[/cyan]",
    "approval": "[magenta]✓[/magenta]",
    "advanced": "[bold green]→[/bold green]",
    "done": "[bold green]★[/bold green]",
}


def demo(ctx: typer.Context) -> None:
    """Create a demo client and project and walk it to certified, showing what blocks each stage."""
    state = state_of(ctx)
    console.print(f"[dim]database: {state.settings.effective_database_url}[/dim]")
    ref = ""
    for step in run_demo(state.app, lang=state.lang):
        console.print(f"{_STYLE[step.kind]} {escape(step.text)}")
        for detail in step.details:
            console.print(f"    [red]- {escape(detail)}[/red]")
        ref = step.ref or ref
    console.print(
        f"\nNext: [bold]isms-flow project history {ref}[/bold], "
        f"[bold]isms-flow evidence list {ref}[/bold], [bold]isms-flow audit verify[/bold]"
    )
