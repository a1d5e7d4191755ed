"""`isms-flow certificate …`: record the issued certificate, show where it stands."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from isms_flow.cli.context import state_of
from isms_flow.cli.labels import label
from isms_flow.cli.output import console, new_table, print_json
from isms_flow.cli.params import JsonFlag, ProjectArg, optional_date, required_date
from isms_flow.i18n import Language
from isms_flow.isms.certification import DEFAULT_STANDARD
from isms_flow.services.registers import certification as service
from isms_flow.services.registers.certification.views import CertificateView

app = typer.Typer(
    help="The ISMS certificate: number, body, scope, issue and expiry (issue + 3 years).",
    no_args_is_help=True,
)


@app.command("record")
def record(
    ctx: typer.Context,
    project: ProjectArg,
    number: Annotated[str, typer.Argument(help="The certificate (registration) number.")],
    issued: Annotated[str, typer.Option("--issued", help="Issue date (YYYY-MM-DD).")],
    body: Annotated[
        str | None, typer.Option(help="Certification body (default: the selected quote's).")
    ] = None,
    scope: Annotated[
        str | None, typer.Option(help="Scope as printed (default: the project's scope).")
    ] = None,
    standard: Annotated[str, typer.Option(help="Standard and edition.")] = DEFAULT_STANDARD,
    expires: Annotated[
        str | None, typer.Option(help="Only an earlier expiry than issue + 3 years, with a reason.")
    ] = None,
    expiry_reason: Annotated[str, typer.Option(help="Why the expiry is earlier.")] = "",
    json: JsonFlag = False,
) -> None:
    """Record an issued certificate; it expires three years after issue."""
    state = state_of(ctx)
    view = service.record_certificate(
        state.app,
        ref=project,
        number=number,
        issued_on=required_date("--issued", issued),
        body=body,
        scope=scope,
        standard=standard,
        expires_on=optional_date("--expires", expires),
        expiry_reason=expiry_reason,
        actor=state.actor_name,
    )
    if json:
        print_json(view)
        return
    text = label("certificate_recorded", state.lang).format(**view.model_dump())
    console.print(f"[green]✓[/green] {escape(text)}")


@app.command("show")
def show(ctx: typer.Context, project: ProjectArg, json: JsonFlag = False) -> None:
    """The current certificate and the earlier ones."""
    state = state_of(ctx)
    view = service.show_certificate(state.app, ref=project)
    if json:
        print_json(view)
    elif view.current is None:
        console.print(label("certificate_none", state.lang))
    else:
        _print(view.current, state.lang)
        if view.earlier:
            console.print(f"[dim]{label('certificate_earlier', state.lang)}:[/dim]")
            for old in view.earlier:
                console.print(
                    f"[dim]  {escape(old.number)} {escape(old.body)} "
                    f"{old.issued_on} – {old.expires_on}[/dim]"
                )


def _print(view: CertificateView, lang: Language) -> None:
    table = new_table("", "")
    table.show_header = False
    if view.expired:
        state = f"[red]{label('certificate_expired', lang)}[/red]"
    else:
        valid = label("certificate_valid_days", lang).format(days=view.days_to_expiry)
        state = f"[green]{valid}[/green]"
    rows = [
        ("certificate_number", escape(view.number)),
        ("certificate_body", escape(view.body)),
        ("certificate_scope", escape(view.scope)),
        ("certificate_standard", escape(view.standard)),
        ("certificate_issued", view.issued_on.isoformat()),
        ("certificate_expires", f"{view.expires_on.isoformat()} — {state}"),
    ]
    if view.expiry_reason:
        rows.append(("certificate_expiry_reason", escape(view.expiry_reason)))
    for key, value in rows:
        table.add_row(label(key, lang), value)
    console.print(table)
