"""Use cases of the audit programme: plan or record an audit, change it, list audits, and show
what the internal audits of a period covered."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from isms_flow.bootstrap import App
from isms_flow.errors import BadInput
from isms_flow.i18n import Language
from isms_flow.isms.annex_a import annex_a_themes
from isms_flow.isms.audits import (
    CLAUSE_TITLES,
    CLAUSES,
    control_label,
    parse_audit_kind,
    parse_clauses,
    parse_controls,
    programme_coverage,
)
from isms_flow.services.changes import record_change
from isms_flow.services.lookup import find_project
from isms_flow.services.registers import part_loaders
from isms_flow.services.registers.audits.register import (
    audit_view,
    find_audit,
    load_audits,
    next_audit_key,
    project_audits,
    project_findings,
)
from isms_flow.services.registers.audits.views import (
    AuditView,
    ClauseCoverageView,
    CoverageView,
    ThemeCoverageView,
)
from isms_flow.services.retry import VersionPin, retry_on_conflict
from isms_flow.services.snapshots import evaluation_context
from isms_flow.store.models import ProjectRow
from isms_flow.store.tables.audits import AuditRow, FindingRow

__all__ = ["add_audit", "applicable_controls", "audit_coverage", "list_audits", "update_audit"]

_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")


def _today(app: App, project: ProjectRow) -> date:
    return evaluation_context(app.clock.now(), project.client.timezone).today


def _text(name: str, value: str, limit: int = 100) -> str:
    cleaned = " ".join(value.split())
    if not cleaned:
        raise BadInput(f"{name} must not be empty")
    if len(cleaned) > limit:
        raise BadInput(f"{name} must be at most {limit} characters")
    return cleaned


def _department(value: str | None) -> str | None:
    return _text("the auditor's department", value, 200) if value and value.strip() else None


def _areas(values: Sequence[str]) -> list[str]:
    areas: list[str] = []
    for value in values:
        for part in value.split(","):
            area = " ".join(part.split())
            if area and area.casefold() not in {a.casefold() for a in areas}:
                areas.append(area)
    return areas


def _check_audit(row: AuditRow) -> None:
    if row.ended_on < row.started_on:
        raise BadInput(
            f"audit {row.key} would end on {row.ended_on.isoformat()}, before it starts on "
            f"{row.started_on.isoformat()}"
        )
    if row.kind == "internal":
        if not row.auditor_department:
            raise BadInput(
                "an internal audit records the auditor's department (--auditor-department), "
                "so its independence from the audited areas can be shown"
            )
        if not row.areas:
            raise BadInput("an internal audit names the areas it audits (--area)")


def _findings_by_audit(session: Session, project_id: int) -> dict[int, list[FindingRow]]:
    grouped: dict[int, list[FindingRow]] = {}
    for finding, audit in project_findings(session, project_id):
        grouped.setdefault(audit.id, []).append(finding)
    return grouped


def _payload(row: AuditRow) -> dict[str, Any]:
    return {
        "audit": row.key,
        "kind": row.kind,
        "started_on": row.started_on.isoformat(),
        "ended_on": row.ended_on.isoformat(),
        "auditor": row.auditor,
        "auditor_department": row.auditor_department,
        "areas": list(row.areas),
        "clauses": list(row.clauses),
        "controls": list(row.controls),
    }


def add_audit(
    app: App,
    *,
    ref: str,
    kind: str,
    started_on: date,
    auditor: str,
    actor: str,
    ended_on: date | None = None,
    auditor_department: str | None = None,
    areas: Sequence[str] = (),
    clauses: Sequence[str] = (),
    controls: Sequence[str] = (),
    key: str | None = None,
    lang: Language = "en",
) -> AuditView:
    """Plan (dates ahead) or record (dates past) an audit with what it covers."""
    audit_kind = parse_audit_kind(kind)
    now = app.clock.now()

    def attempt(pin: VersionPin) -> AuditView:
        with app.uow() as uow:
            session = uow.session
            project = find_project(session, ref)
            audit_key = (
                key.strip() if key else next_audit_key(session, project.id, audit_kind, started_on)
            )
            if not _KEY.match(audit_key):
                raise BadInput(
                    f"audit key '{audit_key}' must be 1–32 letters, digits, '.', '_' or '-'"
                )
            if any(
                r.key.casefold() == audit_key.casefold()
                for r in project_audits(session, project.id)
            ):
                raise BadInput(f"audit {audit_key} already exists in {ref}; choose another --key")
            row = AuditRow(
                project_id=project.id,
                key=audit_key,
                kind=audit_kind,
                started_on=started_on,
                ended_on=ended_on or started_on,
                auditor=_text("the auditor", auditor),
                auditor_department=_department(auditor_department),
                areas=_areas(areas),
                clauses=list(parse_clauses(clauses)),
                controls=list(parse_controls(controls)),
                created_by=actor,
                created_at=now,
            )
            _check_audit(row)
            session.add(row)
            record_change(
                uow, project, now=now, actor=actor, type="audit_added", payload=_payload(row)
            )
            view = audit_view(row, [], _today(app, project), lang)
            uow.commit()
            return view

    return retry_on_conflict(attempt)


def update_audit(
    app: App,
    *,
    ref: str,
    key: str,
    actor: str,
    started_on: date | None = None,
    ended_on: date | None = None,
    auditor: str | None = None,
    auditor_department: str | None = None,
    areas: Sequence[str] | None = None,
    clauses: Sequence[str] | None = None,
    controls: Sequence[str] | None = None,
    lang: Language = "en",
) -> AuditView:
    """Change an audit's dates, auditor or coverage (e.g. after a planned audit took place)."""
    now = app.clock.now()

    def attempt(pin: VersionPin) -> AuditView:
        with app.uow() as uow:
            session = uow.session
            project = find_project(session, ref)
            row = find_audit(session, project.id, key)
            before = _payload(row)
            if started_on is not None:
                row.started_on = started_on
            if ended_on is not None:
                row.ended_on = ended_on
            if auditor is not None:
                row.auditor = _text("the auditor", auditor)
            if auditor_department is not None:
                row.auditor_department = _department(auditor_department)
            if areas is not None:
                row.areas = _areas(areas)
            if clauses is not None:
                row.clauses = list(parse_clauses(clauses))
            if controls is not None:
                row.controls = list(parse_controls(controls))
            _check_audit(row)
            after = _payload(row)
            changed = {
                name: [before[name], after[name]] for name in after if before[name] != after[name]
            }
            if not changed:
                raise BadInput(f"audit {row.key}: nothing to change; nothing was saved")
            record_change(
                uow,
                project,
                now=now,
                actor=actor,
                type="audit_updated",
                payload={"audit": row.key, "changed": changed},
            )
            findings = _findings_by_audit(session, project.id).get(row.id, [])
            view = audit_view(row, findings, _today(app, project), lang)
            uow.commit()
            return view

    return retry_on_conflict(attempt)


def list_audits(
    app: App, *, ref: str, kind: str | None = None, lang: Language = "en"
) -> list[AuditView]:
    """The project's audits, oldest first, optionally of one kind."""
    wanted = parse_audit_kind(kind) if kind else None
    with app.uow() as uow:
        session = uow.session
        project = find_project(session, ref)
        today = _today(app, project)
        findings = _findings_by_audit(session, project.id)
        return [
            audit_view(row, findings.get(row.id, []), today, lang)
            for row in project_audits(session, project.id)
            if wanted is None or row.kind == wanted
        ]


def applicable_controls(session: Session, project: ProjectRow) -> frozenset[str]:
    """The controls the SoA marks applicable, or none while the SoA register is unavailable."""
    loader = part_loaders().get("soa_applicable")
    if loader is None:
        return frozenset()
    value = loader(session, project)
    return frozenset(value) if isinstance(value, frozenset) else frozenset()


def audit_coverage(
    app: App, *, ref: str, within_months: int = 12, lang: Language = "en"
) -> CoverageView:
    """Clauses 4–10 and Annex A themes covered by the internal audits of the period."""
    if not 1 <= within_months <= 36:
        raise BadInput(f"the programme period must be 1–36 months, not {within_months}")
    with app.uow() as uow:
        session = uow.session
        project = find_project(session, ref)
        today = _today(app, project)
        applicable = applicable_controls(session, project)
        coverage = programme_coverage(
            load_audits(session, project), today, within_months, applicable
        )
    by_clause = {
        clause: [a.key for a in coverage.audits if clause in a.clauses_covered]
        for clause in CLAUSES
    }
    missing = set(coverage.controls_missing)
    themes = []
    for theme in annex_a_themes():
        ids = [c for c in coverage.controls_needed if c.startswith(f"{theme.number}.")]
        themes.append(
            ThemeCoverageView(
                theme=str(theme.number),
                title=theme.title.in_(lang),
                applicable=len(ids),
                covered=sum(1 for c in ids if c not in missing),
                missing=[control_label(c) for c in ids if c in missing],
            )
        )
    return CoverageView(
        as_of=today,
        since=coverage.since,
        within_months=within_months,
        audits=[a.key for a in coverage.audits],
        soa_applicable=bool(applicable),
        clauses=[
            ClauseCoverageView(
                clause=clause,
                title=CLAUSE_TITLES[clause].in_(lang),
                covered=bool(by_clause[clause]),
                audits=by_clause[clause],
            )
            for clause in CLAUSES
        ],
        themes=themes,
        missing_clauses=list(coverage.clauses_missing),
        missing_controls=[control_label(c) for c in coverage.controls_missing],
        have=coverage.have,
        need=coverage.need,
        complete=coverage.complete,
    )
