"""`isms-flow training …`: the roster, courses, completions, CSV imports and coverage."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from pydantic import BaseModel
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from isms_flow.cli import training_render as render
from isms_flow.cli.context import state_of
from isms_flow.cli.labels import label
from isms_flow.cli.output import console, err_console, new_table, print_json
from isms_flow.cli.params import JsonFlag, ProjectArg, optional_date, required_date
from isms_flow.i18n import Language
from isms_flow.services.registers import training as service

app = typer.Typer(
    help="Training (7.2/7.3): in-scope staff, courses, completions, coverage.",
    no_args_is_help=True,
)

EmployeeArg = Annotated[str, typer.Argument(help="Employee ID, e.g. E1001.")]
FileArg = Annotated[Path, typer.Argument(help="A CSV file with a header row.")]
EncodingOpt = Annotated[
    str, typer.Option(help="Text encoding of the file, e.g. utf-8-sig or cp932 (Shift_JIS).")
]


@app.command("staff-add")
def staff_add(
    ctx: typer.Context,
    project: ProjectArg,
    employee_id: EmployeeArg,
    name: Annotated[str, typer.Option("--name", help="Full name as HR records it.")],
    department: Annotated[str, typer.Option("--department", help="Department or site.")],
    role: Annotated[str, typer.Option("--role", help="Job role.")],
    joined: Annotated[str, typer.Option("--joined", help="First working day (YYYY-MM-DD).")],
    out_of_scope: Annotated[
        bool, typer.Option("--out-of-scope", help="On the roster but outside the ISMS scope.")
    ] = False,
    json: JsonFlag = False,
) -> None:
    """Put a person on the roster."""
    state = state_of(ctx)
    view = service.add_staff(
        state.app,
        ref=project,
        employee_id=employee_id,
        name=name,
        department=department,
        role=role,
        joined=required_date("--joined", joined),
        in_scope=not out_of_scope,
        actor=state.actor_name,
    )
    _done(view, json, label("training_staff_added", state.lang).format(**view.model_dump()))


@app.command("staff-update")
def staff_update(
    ctx: typer.Context,
    project: ProjectArg,
    employee_id: EmployeeArg,
    name: Annotated[str | None, typer.Option(help="New name.")] = None,
    department: Annotated[str | None, typer.Option(help="New department (a transfer).")] = None,
    role: Annotated[str | None, typer.Option(help="New role.")] = None,
    joined: Annotated[str | None, typer.Option(help="Corrected joining date.")] = None,
    left: Annotated[
        str | None, typer.Option("--left", help="First day no longer working here.")
    ] = None,
    clear_left: Annotated[
        bool, typer.Option("--clear-left", help="Forget a leaving date (rejoined).")
    ] = False,
    in_scope: Annotated[
        bool | None, typer.Option("--in-scope/--out-of-scope", help="Inside the ISMS scope?")
    ] = None,
    json: JsonFlag = False,
) -> None:
    """Change a person's entry: transfer, leaving, scope."""
    state = state_of(ctx)
    view = service.update_staff(
        state.app,
        ref=project,
        employee_id=employee_id,
        actor=state.actor_name,
        name=name,
        department=department,
        role=role,
        joined=optional_date("--joined", joined),
        left_on=optional_date("--left", left),
        clear_left=clear_left,
        in_scope=in_scope,
    )
    _done(view, json, label("training_staff_updated", state.lang).format(**view.model_dump()))


@app.command("staff-list")
def staff_list(ctx: typer.Context, project: ProjectArg, json: JsonFlag = False) -> None:
    """The roster, by department."""
    state = state_of(ctx)
    views = service.list_staff(state.app, ref=project)
    if json:
        print_json(views)
        return
    console.print(render.staff_table(views, state.lang))


@app.command("staff-import")
def staff_import(
    ctx: typer.Context,
    project: ProjectArg,
    file: FileArg,
    encoding: EncodingOpt = "utf-8-sig",
    json: JsonFlag = False,
) -> None:
    """Import the roster: employee_id,name,department,role,joined[,left,in_scope]; all or none."""
    state = state_of(ctx)
    with _progress(file, state.lang, shown=not json) as progress:
        view = service.import_staff(
            state.app,
            ref=project,
            file=file,
            actor=state.actor_name,
            encoding=encoding,
            progress=progress,
        )
    render.print_import(view, json, state.lang)


@app.command("course-add")
def course_add(
    ctx: typer.Context,
    project: ProjectArg,
    key: Annotated[str, typer.Argument(help="Course key, e.g. awareness.")],
    title: Annotated[str, typer.Argument(help="Title in English.")],
    title_ja: Annotated[str, typer.Option("--title-ja", help="Title in Japanese.")] = "",
    validity_months: Annotated[
        int, typer.Option("--validity-months", help="How long a completion counts.")
    ] = 12,
    json: JsonFlag = False,
) -> None:
    """Add a course; a completion counts for --validity-months calendar months."""
    state = state_of(ctx)
    view = service.add_course(
        state.app,
        ref=project,
        key=key,
        title=title,
        title_ja=title_ja,
        validity_months=validity_months,
        actor=state.actor_name,
    )
    title_shown = view.title_ja if state.lang == "ja" and view.title_ja else view.title
    message = label("training_course_added", state.lang).format(
        key=view.key, title=title_shown, months=view.validity_months
    )
    _done(view, json, message)


@app.command("course-list")
def course_list(ctx: typer.Context, project: ProjectArg, json: JsonFlag = False) -> None:
    """The project's courses."""
    state = state_of(ctx)
    views = service.list_courses(state.app, ref=project)
    if json:
        print_json(views)
        return
    lang = state.lang
    table = new_table(
        label("key", lang), label("title", lang), "", label("training_validity", lang)
    )
    for view in views:
        table.add_row(
            view.key, escape(view.title), escape(view.title_ja), str(view.validity_months)
        )
    console.print(table)


@app.command("record")
def record(
    ctx: typer.Context,
    project: ProjectArg,
    employee_id: EmployeeArg,
    course: Annotated[str, typer.Argument(help="Course key.")],
    on: Annotated[str | None, typer.Option("--on", help="Day completed (default today).")] = None,
    json: JsonFlag = False,
) -> None:
    """Record that a person completed a course."""
    state = state_of(ctx)
    view = service.record_completion(
        state.app,
        ref=project,
        employee_id=employee_id,
        course=course,
        completed_on=optional_date("--on", on),
        actor=state.actor_name,
    )
    _done(view, json, label("training_recorded", state.lang).format(**view.model_dump()))


@app.command("records")
def records(
    ctx: typer.Context,
    project: ProjectArg,
    employee: Annotated[str | None, typer.Option(help="Only this employee ID.")] = None,
    json: JsonFlag = False,
) -> None:
    """Recorded completions, newest first."""
    state = state_of(ctx)
    views = service.list_completions(state.app, ref=project, employee_id=employee)
    if json:
        print_json(views)
        return
    console.print(render.records_table(views, state.lang))


@app.command("import")
def import_(
    ctx: typer.Context,
    project: ProjectArg,
    file: FileArg,
    encoding: EncodingOpt = "utf-8-sig",
    json: JsonFlag = False,
) -> None:
    """Import completions: employee_id,course,completed_on; all or none."""
    state = state_of(ctx)
    with _progress(file, state.lang, shown=not json) as progress:
        view = service.import_completions(
            state.app,
            ref=project,
            file=file,
            actor=state.actor_name,
            encoding=encoding,
            progress=progress,
        )
    render.print_import(view, json, state.lang)


@app.command("status")
def status(
    ctx: typer.Context,
    project: ProjectArg,
    course: Annotated[str | None, typer.Option(help="Only this course counts.")] = None,
    json: JsonFlag = False,
) -> None:
    """Coverage of in-scope staff today, per department, and who is missing."""
    state = state_of(ctx)
    view = service.training_status(state.app, ref=project, course=course)
    if json:
        print_json(view)
        return
    render.print_training_status(view, state.lang)


def _done(view: BaseModel, json: bool, message: str) -> None:
    if json:
        print_json(view)
    else:
        console.print(f"[green]✓[/green] {escape(message)}")


@contextmanager
def _progress(
    file: Path, lang: Language, *, shown: bool
) -> Iterator[Callable[[int, int], None] | None]:
    if not shown or not err_console.is_terminal:  # a bar only where someone watches it
        yield None
        return
    # On stderr, so stdout carries only the result; transient: it vanishes when done.
    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=err_console,
        transient=True,
    )
    with bar:
        task = bar.add_task(f"{label('training_checking', lang)} {escape(file.name)}", total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)
