"""`isms-flow audits …`: the audit programme, findings and their corrective actions, coverage.

(`isms-flow audit verify` is the history's integrity check; this noun is the ISMS register.)
"""

from __future__ import annotations

from typing import Annotated

import typer

from isms_flow.cli import audits_render as render
from isms_flow.cli.context import state_of
from isms_flow.cli.labels import label
from isms_flow.cli.output import console, print_json
from isms_flow.cli.params import JsonFlag, ProjectArg, optional_date, required_date
from isms_flow.services.registers import audits as service
from isms_flow.services.registers.audits.views import FindingView

app = typer.Typer(
    help="Audits (9.2) and findings (10.2): programme, nonconformities, corrective actions.",
    no_args_is_help=True,
)

AuditArg = Annotated[str, typer.Argument(help="Audit key, e.g. IA-2026-1 (see `audits list`).")]
FindingArg = Annotated[str, typer.Argument(help="Finding key, e.g. F-003 (see `audits findings`).")]
Areas = Annotated[
    list[str] | None,
    typer.Option("--area", help="A department or site audited; repeat or separate by commas."),
]
Clauses = Annotated[
    str | None, typer.Option(help="Clauses covered, e.g. '4-10' or '4,5,6.1.2,9.2'.")
]
Controls = Annotated[
    str | None, typer.Option(help="Annex A controls covered, e.g. 'A.5.1-A.5.37,A.8.8' or 'all'.")
]
Department = Annotated[
    str | None, typer.Option(help="The auditor's own department (required for internal audits).")
]


def _items(value: str | None) -> list[str] | None:
    return None if value is None else [value]


def _done(ctx: typer.Context, view: FindingView, json: bool, key: str) -> None:
    if json:
        print_json(view)
    else:
        render.print_finding(view, label(key, state_of(ctx).lang).format(**view.model_dump()))


@app.command("add")
def add(
    ctx: typer.Context,
    project: ProjectArg,
    kind: Annotated[
        str,
        typer.Option(help="internal, stage1, stage2, surveillance, recertification, follow_up."),
    ],
    start: Annotated[str, typer.Option(help="First day (YYYY-MM-DD); a later day plans it.")],
    auditor: Annotated[str, typer.Option(help="Who audits (lead auditor).")],
    end: Annotated[str | None, typer.Option(help="Last day (default: the first).")] = None,
    auditor_department: Department = None,
    area: Areas = None,
    clauses: Clauses = None,
    controls: Controls = None,
    key: Annotated[str | None, typer.Option(help="Audit key (default e.g. IA-2026-1).")] = None,
    json: JsonFlag = False,
) -> None:
    """Plan or record an audit and what it covers."""
    state = state_of(ctx)
    view = service.add_audit(
        state.app,
        ref=project,
        kind=kind,
        started_on=required_date("--start", start),
        ended_on=optional_date("--end", end),
        auditor=auditor,
        auditor_department=auditor_department,
        areas=area or [],
        clauses=_items(clauses) or [],
        controls=_items(controls) or [],
        key=key,
        actor=state.actor_name,
        lang=state.lang,
    )
    if json:
        print_json(view)
        return
    console.print(
        f"[green]✓[/green] {label('audits_added', state.lang).format(**view.model_dump())}"
    )
    for warning in view.warnings:
        console.print(f"[yellow]{warning}[/yellow]")


@app.command("update")
def update(
    ctx: typer.Context,
    project: ProjectArg,
    audit: AuditArg,
    start: Annotated[str | None, typer.Option(help="New first day.")] = None,
    end: Annotated[str | None, typer.Option(help="New last day.")] = None,
    auditor: Annotated[str | None, typer.Option(help="New auditor.")] = None,
    auditor_department: Department = None,
    area: Areas = None,
    clauses: Clauses = None,
    controls: Controls = None,
    json: JsonFlag = False,
) -> None:
    """Change an audit: dates, auditor, areas, or what it covered (lists are replaced)."""
    state = state_of(ctx)
    view = service.update_audit(
        state.app,
        ref=project,
        key=audit,
        started_on=optional_date("--start", start),
        ended_on=optional_date("--end", end),
        auditor=auditor,
        auditor_department=auditor_department,
        areas=area,
        clauses=_items(clauses),
        controls=_items(controls),
        actor=state.actor_name,
        lang=state.lang,
    )
    if json:
        print_json(view)
        return
    console.print(f"[green]✓[/green] {label('audits_updated', state.lang).format(key=view.key)}")
    for warning in view.warnings:
        console.print(f"[yellow]{warning}[/yellow]")


@app.command("list")
def list_(
    ctx: typer.Context,
    project: ProjectArg,
    kind: Annotated[str | None, typer.Option(help="Only audits of this kind.")] = None,
    json: JsonFlag = False,
) -> None:
    """List a project's audits, oldest first."""
    state = state_of(ctx)
    views = service.list_audits(state.app, ref=project, kind=kind, lang=state.lang)
    if json:
        print_json(views)
    elif not views:
        console.print(label("audits_no_audits", state.lang))
    else:
        console.print(render.audit_table(views, state.lang))


@app.command("findings")
def findings(
    ctx: typer.Context,
    project: ProjectArg,
    open_only: Annotated[bool, typer.Option("--open", help="Only findings not closed.")] = False,
    grade: Annotated[
        str | None, typer.Option(help="major, minor, observation or improvement.")
    ] = None,
    status: Annotated[
        str | None, typer.Option(help="open, plan_accepted, corrected, verified or closed.")
    ] = None,
    kind: Annotated[str | None, typer.Option(help="Only findings of audits of this kind.")] = None,
    audit: Annotated[str | None, typer.Option(help="Only findings of this audit.")] = None,
    json: JsonFlag = False,
) -> None:
    """List findings, filtered by openness, grade, status, audit kind or audit."""
    state = state_of(ctx)
    views = service.list_findings(
        state.app,
        ref=project,
        open_only=open_only,
        grade=grade,
        status=status,
        audit_kind=kind,
        audit=audit,
        lang=state.lang,
    )
    if json:
        print_json(views)
    elif not views:
        console.print(label("audits_no_findings", state.lang))
    else:
        console.print(render.finding_table(views, state.lang))


@app.command("finding-add")
def finding_add(
    ctx: typer.Context,
    project: ProjectArg,
    audit: AuditArg,
    grade: Annotated[str, typer.Option(help="major, minor, observation or improvement.")],
    description: Annotated[str, typer.Option(help="What was found, with the evidence sampled.")],
    clause: Annotated[str | None, typer.Option(help="Clause concerned, e.g. 9.2.")] = None,
    control: Annotated[str | None, typer.Option(help="Annex A control, e.g. A.8.8.")] = None,
    root_cause: Annotated[str, typer.Option(help="Why it happened.")] = "",
    correction: Annotated[str, typer.Option(help="The immediate fix.")] = "",
    corrective_action: Annotated[str, typer.Option(help="What removes the cause.")] = "",
    owner: Annotated[str | None, typer.Option(help="Who carries out the action.")] = None,
    due: Annotated[str | None, typer.Option(help="Due date (YYYY-MM-DD).")] = None,
    json: JsonFlag = False,
) -> None:
    """Raise a finding in an audit (numbered F-001, F-002, … across the project)."""
    state = state_of(ctx)
    view = service.add_finding(
        state.app,
        ref=project,
        audit=audit,
        grade=grade,
        description=description,
        clause=clause,
        control=control,
        root_cause=root_cause,
        correction=correction,
        corrective_action=corrective_action,
        owner=owner,
        due=optional_date("--due", due),
        actor=state.actor_name,
        lang=state.lang,
    )
    _done(ctx, view, json, "audits_finding_added")


@app.command("finding-update")
def finding_update(
    ctx: typer.Context,
    project: ProjectArg,
    finding: FindingArg,
    description: Annotated[str | None, typer.Option(help="New description.")] = None,
    clause: Annotated[str | None, typer.Option(help="Clause concerned ('' clears).")] = None,
    control: Annotated[str | None, typer.Option(help="Annex A control ('' clears).")] = None,
    root_cause: Annotated[str | None, typer.Option(help="Why it happened.")] = None,
    correction: Annotated[str | None, typer.Option(help="The immediate fix.")] = None,
    corrective_action: Annotated[str | None, typer.Option(help="What removes the cause.")] = None,
    owner: Annotated[str | None, typer.Option(help="Who carries out the action.")] = None,
    due: Annotated[str | None, typer.Option(help="Due date (YYYY-MM-DD).")] = None,
    json: JsonFlag = False,
) -> None:
    """Change a finding or its corrective action plan (an accepted plan must be accepted again)."""
    state = state_of(ctx)
    view = service.update_finding(
        state.app,
        ref=project,
        key=finding,
        description=description,
        clause=clause,
        control=control,
        root_cause=root_cause,
        correction=correction,
        corrective_action=corrective_action,
        owner=owner,
        due=optional_date("--due", due),
        actor=state.actor_name,
        lang=state.lang,
    )
    _done(ctx, view, json, "audits_updated")


@app.command("accept-plan")
def accept_plan(
    ctx: typer.Context,
    project: ProjectArg,
    finding: FindingArg,
    by: Annotated[str | None, typer.Option(help="Who accepted it (default: you).")] = None,
    json: JsonFlag = False,
) -> None:
    """Accept a nonconformity's corrective action plan."""
    state = state_of(ctx)
    view = service.accept_plan(
        state.app, ref=project, key=finding, by=by, actor=state.actor_name, lang=state.lang
    )
    _done(ctx, view, json, "audits_plan_accepted")


@app.command("correct")
def correct(
    ctx: typer.Context, project: ProjectArg, finding: FindingArg, json: JsonFlag = False
) -> None:
    """Mark a nonconformity corrected (its accepted plan was carried out)."""
    state = state_of(ctx)
    view = service.mark_corrected(
        state.app, ref=project, key=finding, actor=state.actor_name, lang=state.lang
    )
    _done(ctx, view, json, "audits_corrected")


@app.command("verify")
def verify(
    ctx: typer.Context,
    project: ProjectArg,
    finding: FindingArg,
    effectiveness: Annotated[
        str, typer.Option(help="How the effectiveness of the action was checked.")
    ],
    by: Annotated[str | None, typer.Option(help="Who verified (default: you).")] = None,
    json: JsonFlag = False,
) -> None:
    """Verify the effectiveness of a corrected nonconformity (never by its owner)."""
    state = state_of(ctx)
    view = service.verify_finding(
        state.app,
        ref=project,
        key=finding,
        effectiveness=effectiveness,
        by=by,
        actor=state.actor_name,
        lang=state.lang,
    )
    _done(ctx, view, json, "audits_verified")


@app.command("close")
def close(
    ctx: typer.Context, project: ProjectArg, finding: FindingArg, json: JsonFlag = False
) -> None:
    """Close a verified nonconformity, or an observation or improvement."""
    state = state_of(ctx)
    view = service.close_finding(
        state.app, ref=project, key=finding, actor=state.actor_name, lang=state.lang
    )
    _done(ctx, view, json, "audits_closed")


@app.command("coverage")
def coverage(
    ctx: typer.Context,
    project: ProjectArg,
    months: Annotated[int, typer.Option(help="Programme period in months up to today.")] = 12,
    json: JsonFlag = False,
) -> None:
    """Which clauses 4–10 and Annex A controls the internal audits of the period covered."""
    state = state_of(ctx)
    view = service.audit_coverage(state.app, ref=project, within_months=months, lang=state.lang)
    if json:
        print_json(view)
    else:
        render.print_coverage(view, state.lang)
