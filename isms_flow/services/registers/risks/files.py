"""CSV import and export of the risk register (assets, risks): all rows or none.

An import checks every row — each cell (`isms.risk_csv`), then each risk as it would stand
after the row (`isms.risk_edit.risk_problems`) — before it writes anything; any bad row stops
it, and the error names every bad row by its line. A good file is one event in the history.
Acceptances are never imported: only the risk owner gives one (`risks accept`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Literal

from sqlalchemy.orm import Session

from isms_flow.bootstrap import App
from isms_flow.errors import BadInput
from isms_flow.isms.risk import Risk, RiskRegister
from isms_flow.isms.risk_csv import (
    AssetCsvRow,
    ParsedCsv,
    RiskCsvRow,
    RowProblem,
    asset_csv,
    parse_asset_csv,
    parse_risk_csv,
    risk_csv,
)
from isms_flow.isms.risk_edit import apply_edit, risk_problems
from isms_flow.services.changes import record_change
from isms_flow.services.lookup import find_project, project_ref
from isms_flow.services.register_files import (
    CSV_MEDIA_TYPE,
    CsvInput,
    ExportData,
    decode_csv,
    read_csv_file,
)
from isms_flow.services.registers.risks.register import (
    RiskTables,
    asset_of,
    next_key,
    write_risk,
)
from isms_flow.services.registers.risks.views import RiskExportView, RiskImportView
from isms_flow.services.retry import VersionPin, retry_on_conflict
from isms_flow.store.tables.risks import AssetRow, RiskRow

__all__ = ["export_register", "export_register_data", "import_register", "import_register_data"]

Kind = Literal["assets", "risks"]


def export_register(app: App, *, ref: str, kind: Kind, file: Path) -> RiskExportView:
    """Write the assets or the risks as CSV (UTF-8 with BOM, so Excel reads Japanese)."""
    ref_text, register = _register(app, ref)
    text = asset_csv(register) if kind == "assets" else risk_csv(register)
    try:
        file.write_text(text, encoding="utf-8-sig", newline="")
    except OSError as error:
        raise BadInput(f"{file}: cannot be written ({error.strerror})") from None
    rows = len(register.assets) if kind == "assets" else len(register.risks)
    return RiskExportView(project=ref_text, kind=kind, file=str(file), rows=rows)


def export_register_data(app: App, *, ref: str, kind: Kind) -> ExportData:
    """The assets or the risks as CSV bytes (UTF-8 with BOM), named after the project."""
    ref_text, register = _register(app, ref)
    text = asset_csv(register) if kind == "assets" else risk_csv(register)
    return ExportData(
        filename=f"{ref_text.replace('/', '-')}-{kind}.csv",
        media_type=CSV_MEDIA_TYPE,
        content=text.encode("utf-8-sig"),
    )


def _register(app: App, ref: str) -> tuple[str, RiskRegister]:
    with app.uow() as uow:
        project = find_project(uow.session, ref)
        return project_ref(project), RiskTables.read(uow.session, project.id).register()


def import_register(
    app: App, *, ref: str, kind: Kind, file: Path, actor: str, encoding: str = "utf-8-sig"
) -> RiskImportView:
    """Add or change the assets or risks a CSV file lists; a row naming a stored key changes it."""
    return _import(app, ref, kind, read_csv_file(file, encoding), actor)


def import_register_data(
    app: App,
    *,
    ref: str,
    kind: Kind,
    data: bytes,
    name: str,
    actor: str,
    encoding: str = "utf-8-sig",
) -> RiskImportView:
    """`import_register` of uploaded bytes; `name` is the file name the sender gave."""
    return _import(app, ref, kind, decode_csv(data, name, encoding), actor)


def _import(app: App, ref: str, kind: Kind, csv: CsvInput, actor: str) -> RiskImportView:
    text, digest, name = csv.text, csv.sha256, csv.name
    now = app.clock.now()

    def attempt(pin: VersionPin) -> RiskImportView:
        with app.uow() as uow:
            project = find_project(uow.session, ref)
            tables = RiskTables.read(uow.session, project.id)
            before = tables.register()
            try:
                if kind == "assets":
                    parsed_assets = parse_asset_csv(text)
                    rows = len(parsed_assets.rows) + len(parsed_assets.problems)
                    added, changed = _import_assets(
                        uow.session, tables, project.id, parsed_assets, name
                    )
                else:
                    asset_keys = frozenset(a.key for a in before.assets)
                    parsed_risks = parse_risk_csv(text, tables.method, asset_keys)
                    rows = len(parsed_risks.rows) + len(parsed_risks.problems)
                    added, changed = _import_risks(
                        uow.session, tables, project.id, before, parsed_risks, name, now
                    )
            except BadInput as error:
                message = str(error)
                if not message.startswith(name):
                    message = f"{name}: nothing was imported: {message}"
                raise BadInput(message) from None
            after = tables.register()
            stale = _newly_stale(before, after)
            view = RiskImportView(
                project=project_ref(project),
                kind=kind,
                file=name,
                sha256=digest,
                rows=rows,
                added=added,
                changed=changed,
                unchanged=rows - len(added) - len(changed),
                stale=stale,
                saved=bool(added or changed),
            )
            if view.saved:
                payload = {
                    "kind": kind,
                    "file": name,
                    "sha256": digest,
                    "added": added,
                    "changed": changed,
                    "stale": stale,
                    "total": len(after.assets if kind == "assets" else after.risks),
                }
                record_change(
                    uow, project, now=now, actor=actor, type=f"{kind}_imported", payload=payload
                )
                uow.commit()
            return view

    return retry_on_conflict(attempt)


def _import_assets(
    session: Session,
    tables: RiskTables,
    project_id: int,
    parsed: ParsedCsv[AssetCsvRow],
    name: str,
) -> tuple[list[str], list[str]]:
    _refuse(name, parsed.problems)
    taken = set(tables.assets) | {row.key for row in parsed.rows if row.key}
    added: list[str] = []
    changed: list[str] = []
    for line in parsed.rows:
        key = line.key or next_key(taken, "A")
        taken.add(key)
        row = tables.assets.get(key)
        asset = replace(line.asset, key=key)
        if row is not None:
            if asset_of(row) == asset:
                continue
            changed.append(key)
        else:
            row = AssetRow(project_id=project_id, key=key)
            tables.assets[key] = row
            session.add(row)
            added.append(key)
        row.name, row.owner, row.description = asset.name, asset.owner, asset.description
        row.confidentiality, row.integrity = asset.confidentiality, asset.integrity
        row.availability = asset.availability
    return added, changed


def _import_risks(
    session: Session,
    tables: RiskTables,
    project_id: int,
    before: RiskRegister,
    parsed: ParsedCsv[RiskCsvRow],
    name: str,
    now: datetime,
) -> tuple[list[str], list[str]]:
    method = before.method
    taken = set(tables.risks) | {row.key for row in parsed.rows if row.key}
    problems = list(parsed.problems)
    planned: list[tuple[str, Risk, bool]] = []
    for line in parsed.rows:
        key = line.key or next_key(taken, "R")
        taken.add(key)
        stored = before.risk(key)
        start = stored or Risk(key=key, threat="", vulnerability="", owner="")
        risk = apply_edit(start, line.edit, now)
        reasons = risk_problems(risk, method)
        if reasons:
            problems.append(RowProblem(line.line, f"{key}: {'; '.join(reasons)}"))
        elif risk != stored:
            planned.append((key, risk, stored is None))
    _refuse(name, tuple(problems))
    asset_ids = {key: row.id for key, row in tables.assets.items()}
    added: list[str] = []
    changed: list[str] = []
    for key, risk, new in planned:
        row = tables.risks.get(key)
        if row is None:
            row = RiskRow(project_id=project_id, key=key, controls=[])
            tables.risks[key] = row
            session.add(row)
        write_risk(row, risk, asset_ids)
        (added if new else changed).append(key)
    return added, changed


def _newly_stale(before: RiskRegister, after: RiskRegister) -> list[str]:
    was = {r.key: r.acceptance_state(before.method) for r in before.risks}
    return [
        r.key
        for r in after.risks
        if r.acceptance_state(after.method) == "stale" and was.get(r.key) != "stale"
    ]


def _refuse(name: str, problems: Sequence[RowProblem]) -> None:
    if not problems:
        return
    ordered = sorted(problems, key=lambda problem: problem.line)
    if len(ordered) == 1:
        raise BadInput(f"{name}: nothing was imported: {ordered[0]}")
    lines = "\n".join(f"  {problem}" for problem in ordered)
    raise BadInput(f"{name}: {len(ordered)} bad rows, nothing was imported:\n{lines}")
