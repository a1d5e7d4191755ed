"""Bulk imports of the roster and of completions from CSV: all rows or none.

Every row is checked before anything is written; one bad row stops the whole file and the
error names each bad row by its line. A saved import is one event in history (with counts and
the file's SHA-256), not one per row.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from isms_flow.bootstrap import App
from isms_flow.errors import BadInput
from isms_flow.isms.training_csv import (
    Progress,
    RowProblem,
    parse_completions_csv,
    parse_staff_csv,
)
from isms_flow.services.changes import record_change
from isms_flow.services.lookup import find_project
from isms_flow.services.register_files import CsvInput, decode_csv, read_csv_file
from isms_flow.services.registers.training.register import (
    courses_by_key,
    member_of,
    staff_by_id,
)
from isms_flow.services.registers.training.views import ImportView
from isms_flow.services.retry import VersionPin, retry_on_conflict
from isms_flow.services.snapshots import evaluation_context
from isms_flow.store.models import ProjectRow
from isms_flow.store.tables.training import StaffRow, TrainingRecordRow
from isms_flow.store.unit_of_work import UnitOfWork

__all__ = [
    "import_completions",
    "import_completions_data",
    "import_staff",
    "import_staff_data",
]

_STAFF_FIELDS = ("name", "department", "role", "joined")


def import_staff(
    app: App,
    *,
    ref: str,
    file: Path,
    actor: str,
    encoding: str = "utf-8-sig",
    progress: Progress | None = None,
) -> ImportView:
    """Add new people and update known ones (by employee id) from a roster CSV."""
    return _import_staff(app, ref, read_csv_file(file, encoding), actor, progress)


def import_staff_data(
    app: App, *, ref: str, data: bytes, name: str, actor: str, encoding: str = "utf-8-sig"
) -> ImportView:
    """`import_staff` of uploaded bytes; `name` is the file name the sender gave."""
    return _import_staff(app, ref, decode_csv(data, name, encoding), actor, None)


def _import_staff(
    app: App, ref: str, csv: CsvInput, actor: str, progress: Progress | None
) -> ImportView:
    text, digest, file_name = csv.text, csv.sha256, csv.name
    now = app.clock.now()

    def attempt(pin: VersionPin) -> ImportView:
        with app.uow() as uow:
            project = find_project(uow.session, ref)
            parsed = parse_staff_csv(text, progress=progress)
            _refuse(file_name, parsed.problems)
            known = staff_by_id(uow.session, project.id)
            added = updated = 0
            clashes: list[RowProblem] = []  # rows fine alone, but not with the stored roster
            for line in parsed.rows:
                member = line.member
                row = known.get(member.employee_id)
                if row is None:
                    uow.session.add(
                        StaffRow(
                            project_id=project.id,
                            employee_id=member.employee_id,
                            name=member.name,
                            department=member.department,
                            role=member.role,
                            joined=member.joined,
                            left_on=member.left_on,
                            in_scope=member.in_scope,
                        )
                    )
                    added += 1
                    continue
                fields = list(_STAFF_FIELDS)
                fields += ["left_on"] if line.sets_left else []
                fields += ["in_scope"] if line.sets_scope else []
                if any(getattr(row, f) != getattr(member, f) for f in fields):
                    for name in fields:
                        setattr(row, name, getattr(member, name))
                    if row.left_on is not None and row.left_on <= row.joined:
                        reason = (
                            f"joined {row.joined.isoformat()} is not before the recorded "
                            f"leaving date {row.left_on.isoformat()} of {row.employee_id}"
                        )
                        clashes.append(RowProblem(line.line, reason))
                    updated += 1
            _refuse(file_name, tuple(clashes))
            view = ImportView(
                what="staff",
                file=file_name,
                sha256=digest,
                rows=len(parsed.rows),
                added=added,
                updated=updated,
                unchanged=len(parsed.rows) - added - updated,
                saved=bool(added or updated),
            )
            if view.saved:
                _record(uow, project, view, now=now, actor=actor, type="training_staff_imported")
            return view

    return retry_on_conflict(attempt)


def import_completions(
    app: App,
    *,
    ref: str,
    file: Path,
    actor: str,
    encoding: str = "utf-8-sig",
    progress: Progress | None = None,
) -> ImportView:
    """Record completions (employee_id, course, completed_on); ones already recorded are kept."""
    return _import_completions(app, ref, read_csv_file(file, encoding), actor, progress)


def import_completions_data(
    app: App, *, ref: str, data: bytes, name: str, actor: str, encoding: str = "utf-8-sig"
) -> ImportView:
    """`import_completions` of uploaded bytes; `name` is the file name the sender gave."""
    return _import_completions(app, ref, decode_csv(data, name, encoding), actor, None)


def _import_completions(
    app: App, ref: str, csv: CsvInput, actor: str, progress: Progress | None
) -> ImportView:
    text, digest, file_name = csv.text, csv.sha256, csv.name
    now = app.clock.now()

    def attempt(pin: VersionPin) -> ImportView:
        with app.uow() as uow:
            session = uow.session
            project = find_project(session, ref)
            today = evaluation_context(now, project.client.timezone).today
            staff = staff_by_id(session, project.id)
            courses = courses_by_key(session, project.id)
            parsed = parse_completions_csv(
                text,
                staff={key: member_of(row) for key, row in staff.items()},
                courses=set(courses),
                today=today,
                progress=progress,
            )
            _refuse(file_name, parsed.problems)
            recorded = {
                (row.staff_id, row.course_id, row.completed_on)
                for row in session.execute(
                    select(
                        TrainingRecordRow.staff_id,
                        TrainingRecordRow.course_id,
                        TrainingRecordRow.completed_on,
                    )
                    .join(StaffRow, TrainingRecordRow.staff_id == StaffRow.id)
                    .where(StaffRow.project_id == project.id)
                )
            }
            added = 0
            for line in parsed.rows:
                key = (staff[line.employee_id].id, courses[line.course].id, line.completed_on)
                if key in recorded:
                    continue
                session.add(
                    TrainingRecordRow(
                        staff_id=key[0],
                        course_id=key[1],
                        completed_on=line.completed_on,
                        recorded_by=actor,
                        recorded_at=now,
                    )
                )
                added += 1
            view = ImportView(
                what="completions",
                file=file_name,
                sha256=digest,
                rows=len(parsed.rows),
                added=added,
                updated=0,
                unchanged=len(parsed.rows) - added,
                saved=added > 0,
            )
            if view.saved:
                _record(
                    uow, project, view, now=now, actor=actor, type="training_completions_imported"
                )
            return view

    return retry_on_conflict(attempt)


def _refuse(name: str, problems: tuple[RowProblem, ...]) -> None:
    if not problems:
        return
    if len(problems) == 1:
        raise BadInput(f"{name}: nothing was imported: {problems[0]}")
    lines = "\n".join(f"  {problem}" for problem in problems)
    raise BadInput(f"{name}: {len(problems)} bad rows, nothing was imported:\n{lines}")


def _record(
    uow: UnitOfWork,
    project: ProjectRow,
    view: ImportView,
    *,
    now: datetime,
    actor: str,
    type: str,
) -> None:
    record_change(
        uow,
        project,
        now=now,
        actor=actor,
        type=type,
        payload=view.model_dump(mode="json", exclude={"what", "saved"}),
    )
    uow.commit()
