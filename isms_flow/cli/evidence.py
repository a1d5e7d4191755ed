"""`isms-flow evidence …`: upload, list, approve, restore, verify."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from isms_flow.cli import render
from isms_flow.cli.context import state_of
from isms_flow.cli.output import console, print_json
from isms_flow.cli.params import JsonFlag, ProjectArg, optional_date
from isms_flow.errors import IntegrityFailure
from isms_flow.services import evidence as service

app = typer.Typer(help="Evidence: versioned, content-addressed documents.", no_args_is_help=True)


@app.command("add")
def add(
    ctx: typer.Context,
    project: ProjectArg,
    file: Annotated[Path, typer.Argument(help="The file to store.")],
    kind: Annotated[str, typer.Option("--kind", help="Evidence kind, e.g. scope_statement.")],
    name: Annotated[
        str | None,
        typer.Option(
            help="Document name (default: the kind); a new name starts a separate document."
        ),
    ] = None,
    effective: Annotated[
        str | None, typer.Option(help="Date it speaks for (default today).")
    ] = None,
    valid_until: Annotated[str | None, typer.Option(help="Last day it counts.")] = None,
    note: Annotated[str, typer.Option(help="A remark kept with the version.")] = "",
    json: JsonFlag = False,
) -> None:
    """Store a file as the next version of a document."""
    state = state_of(ctx)
    view = service.add_evidence(
        state.app,
        ref=project,
        kind=kind,
        file=file,
        actor=state.actor_name,
        name=name,
        effective_date=optional_date("--effective", effective),
        valid_until=optional_date("--valid-until", valid_until),
        note=note,
        lang=state.lang,
    )
    if json:
        print_json(view)
    else:
        console.print(
            f"[green]✓[/green] evidence #{view.id} {view.kind} '{view.name}' "
            f"v{view.version} stored (sha256 {view.sha256[:12]}…)"
        )


@app.command("list")
def list_(
    ctx: typer.Context,
    project: ProjectArg,
    kind: Annotated[str | None, typer.Option(help="Only this kind.")] = None,
    all_versions: Annotated[bool, typer.Option("--all-versions", help="Every version.")] = False,
    json: JsonFlag = False,
) -> None:
    """List a project's evidence (current versions unless --all-versions)."""
    state = state_of(ctx)
    views = service.list_evidence(
        state.app, ref=project, kind=kind, all_versions=all_versions, lang=state.lang
    )
    if json:
        print_json(views)
    else:
        console.print(render.evidence_table(views, state.lang))


@app.command("approve")
def approve(
    ctx: typer.Context,
    project: ProjectArg,
    evidence_id: Annotated[int, typer.Argument(help="Evidence number (see `evidence list`).")],
    role: Annotated[str, typer.Option("--role", help="Role you approve in, e.g. top_management.")],
    version: Annotated[int | None, typer.Option(help="Default: the current version.")] = None,
    note: Annotated[str, typer.Option(help="A remark kept with the approval.")] = "",
    json: JsonFlag = False,
) -> None:
    """Approve a version of a document in a role."""
    state = state_of(ctx)
    view = service.approve_evidence(
        state.app,
        ref=project,
        document_id=evidence_id,
        role=role,
        actor=state.actor_name,
        version=version,
        note=note,
        lang=state.lang,
    )
    if json:
        print_json(view)
    else:
        console.print(
            f"[green]✓[/green] {view.kind} '{view.name}' v{view.version} approved by "
            f"{state.actor_name} as {role}"
        )


@app.command("restore")
def restore(
    ctx: typer.Context,
    project: ProjectArg,
    evidence_id: Annotated[int, typer.Argument(help="Evidence number.")],
    version: Annotated[int, typer.Option("--version", help="The version to make current.")],
    json: JsonFlag = False,
) -> None:
    """Make an earlier version current again (newer versions stay stored)."""
    state = state_of(ctx)
    view = service.restore_evidence(
        state.app,
        ref=project,
        document_id=evidence_id,
        version=version,
        actor=state.actor_name,
        lang=state.lang,
    )
    if json:
        print_json(view)
    else:
        console.print(
            f"[green]✓[/green] {view.kind} '{view.name}' v{view.version} is current again"
        )


@app.command("verify")
def verify(ctx: typer.Context, json: JsonFlag = False) -> None:
    """Re-hash every stored file; name each one missing or changed (exit 1 if any)."""
    state = state_of(ctx)
    view = service.verify_vault(state.app)
    if json:
        print_json(view)
    elif view.intact:
        console.print(f"[green]✓[/green] {view.files} evidence files verified")
    if not view.intact:
        lines = [
            f"{p.problem}: {p.sha256} used by {'; '.join(p.used_by)} ({p.detail})"
            for p in view.problems
        ]
        raise IntegrityFailure(
            f"{len(lines)} of {view.files} evidence files failed:\n" + "\n".join(lines)
        )
