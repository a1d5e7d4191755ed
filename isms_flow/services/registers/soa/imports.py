"""Importing an SoA from CSV: all rows or none, one event for the whole file.

Every row is checked (control ids, yes/no, statuses, justifications, risk keys, and that each
evidence id belongs to the project) before anything is written; any bad row stops the import
and the error names every bad row by its line.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from isms_flow.bootstrap import App
from isms_flow.errors import BadInput
from isms_flow.isms.annex_a import annex_a_controls
from isms_flow.isms.soa_csv import ParsedSoaCsv, RowProblem, parse_soa_csv
from isms_flow.services.changes import record_change
from isms_flow.services.lookup import find_project, project_ref
from isms_flow.services.register_files import CsvInput, decode_csv, read_csv_file
from isms_flow.services.registers.soa.decisions import apply_decision
from isms_flow.services.registers.soa.register import evidence_names, soa_rows
from isms_flow.services.registers.soa.views import SoaImportView
from isms_flow.services.retry import VersionPin, retry_on_conflict
from isms_flow.store.models import ProjectRow

__all__ = ["import_soa", "import_soa_data"]


def import_soa(
    app: App, *, ref: str, file: Path, actor: str, encoding: str = "utf-8-sig"
) -> SoaImportView:
    """Decide the controls a CSV file lists (see `isms.soa_csv` for its columns)."""
    return _import(app, ref, read_csv_file(file, encoding), actor)


def import_soa_data(
    app: App, *, ref: str, data: bytes, name: str, actor: str, encoding: str = "utf-8-sig"
) -> SoaImportView:
    """`import_soa` of uploaded bytes; `name` is the file name the sender gave."""
    return _import(app, ref, decode_csv(data, name, encoding), actor)


def _import(app: App, ref: str, csv: CsvInput, actor: str) -> SoaImportView:
    name, digest = csv.name, csv.sha256
    parsed = _parse(name, csv.text)
    now = app.clock.now()

    def attempt(pin: VersionPin) -> SoaImportView:
        with app.uow() as uow:
            session = uow.session
            project = find_project(session, ref)
            _refuse(name, parsed.problems + _foreign_evidence(session, project, parsed))
            rows = soa_rows(session, project.id)
            changed: list[str] = []
            for line in parsed.rows:
                if line.decision is None:
                    continue
                if apply_decision(
                    session, rows, project.id, line.control_id, line.decision, actor, now
                ):
                    changed.append(line.control_id)
            decided = sum(1 for row in rows.values() if row.applicable is not None)
            view = SoaImportView(
                project=project_ref(project),
                file=name,
                sha256=digest,
                rows=len(parsed.rows),
                changed=changed,
                unchanged=sum(1 for r in parsed.rows if r.decision is not None) - len(changed),
                skipped=sum(1 for r in parsed.rows if r.decision is None),
                decided=decided,
                total=len(annex_a_controls()),
                saved=bool(changed),
            )
            if changed:
                verdicts = [rows[c].applicable for c in changed]
                payload = {
                    "file": name,
                    "sha256": digest,
                    "rows": view.rows,
                    "changed": changed,
                    "applicable": sum(1 for v in verdicts if v),
                    "excluded": sum(1 for v in verdicts if v is False),
                    "decided": view.decided,
                    "total": view.total,
                }
                record_change(
                    uow, project, now=now, actor=actor, type="soa_imported", payload=payload
                )
                uow.commit()
            return view

    return retry_on_conflict(attempt)


def _foreign_evidence(
    session: Session, project: ProjectRow, parsed: ParsedSoaCsv
) -> tuple[RowProblem, ...]:
    known = set(evidence_names(session, project.id))
    problems: list[RowProblem] = []
    for line in parsed.rows:
        unknown = [
            i for i in (line.decision.evidence_ids if line.decision else ()) if i not in known
        ]
        if unknown:
            ids = ", ".join(f"#{i}" for i in unknown)
            verb = "is" if len(unknown) == 1 else "are"
            reason = f"{ids} {verb} not evidence of project {project_ref(project)}"
            problems.append(RowProblem(line.line, reason))
    return tuple(problems)


def _parse(name: str, text: str) -> ParsedSoaCsv:
    """The parsed file (its bad rows are refused later, with the project's own checks)."""
    try:
        parsed = parse_soa_csv(text)
    except BadInput as error:
        raise BadInput(f"{name}: nothing was imported: {error}") from None
    return parsed


def _refuse(name: str, problems: tuple[RowProblem, ...]) -> None:
    if not problems:
        return
    problems = tuple(sorted(problems, key=lambda problem: problem.line))
    if len(problems) == 1:
        raise BadInput(f"{name}: nothing was imported: {problems[0]}")
    lines = "\n".join(f"  {problem}" for problem in problems)
    raise BadInput(f"{name}: {len(problems)} bad rows, nothing was imported:\n{lines}")
