"""Use cases of findings: raise one, edit its corrective action plan, accept the plan, mark it
corrected, verify effectiveness, close; list with filters. The lifecycle rules live in
`isms.findings`; each change here is one event."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from isms_flow.bootstrap import App
from isms_flow.errors import BadInput
from isms_flow.i18n import Language
from isms_flow.isms.audits import parse_audit_kind, parse_clauses, parse_control
from isms_flow.isms.findings import (
    Finding,
    check_accept_plan,
    check_close,
    check_correct,
    check_plan_edit,
    check_verify,
    parse_grade,
    parse_status,
)
from isms_flow.services.changes import record_change
from isms_flow.services.lookup import find_project
from isms_flow.services.registers.audits.register import (
    find_audit,
    find_finding,
    finding_of,
    finding_view,
    next_finding_key,
    project_findings,
)
from isms_flow.services.registers.audits.views import FindingView
from isms_flow.services.retry import VersionPin, retry_on_conflict
from isms_flow.services.snapshots import evaluation_context
from isms_flow.store.tables.audits import AuditRow, FindingRow

__all__ = [
    "accept_plan",
    "add_finding",
    "close_finding",
    "list_findings",
    "mark_corrected",
    "update_finding",
    "verify_finding",
]

_PLAN_WITHDRAWN = (
    "the accepted corrective action plan was withdrawn by this change: accept it again"
)


def _clause(text: str | None) -> str:
    if not text or not text.strip():
        return ""
    clauses = parse_clauses([text])
    if len(clauses) != 1 or "-" in text or "," in text:
        raise BadInput(f"a finding concerns one clause, not '{text}'")
    return clauses[0]


def _control(text: str | None) -> str | None:
    return parse_control(text) if text and text.strip() else None


def _plain(value: str | None) -> str:
    return (value or "").strip()


def _person(what: str, value: str | None) -> str | None:
    """A name or login as stored (at most 100 characters), or None when blank."""
    name = " ".join((value or "").split())
    if len(name) > 100:
        raise BadInput(f"{what} must be at most 100 characters")
    return name or None


def _check_refers(clause: str, control: str | None) -> None:
    if not clause and not control:
        raise BadInput("say which requirement the finding concerns: --clause and/or --control")


@dataclass
class _Outcome:
    """What one change did: its event and the remark shown with the result."""

    type: str
    payload: dict[str, Any] = field(default_factory=dict)
    note: str = ""


def add_finding(
    app: App,
    *,
    ref: str,
    audit: str,
    grade: str,
    description: str,
    actor: str,
    clause: str | None = None,
    control: str | None = None,
    root_cause: str = "",
    correction: str = "",
    corrective_action: str = "",
    owner: str | None = None,
    due: date | None = None,
    lang: Language = "en",
) -> FindingView:
    """Raise a finding in an audit that has started; it is numbered F-001, F-002, …"""
    finding_grade = parse_grade(grade)
    finding_clause, finding_control = _clause(clause), _control(control)
    _check_refers(finding_clause, finding_control)
    if not description.strip():
        raise BadInput("describe the finding (--description must not be empty)")
    now = app.clock.now()

    def attempt(pin: VersionPin) -> FindingView:
        with app.uow() as uow:
            session = uow.session
            project = find_project(session, ref)
            audit_row = find_audit(session, project.id, audit)
            today = evaluation_context(now, project.client.timezone).today
            if audit_row.started_on > today:
                raise BadInput(
                    f"audit {audit_row.key} starts on {audit_row.started_on.isoformat()}: "
                    "findings are recorded once it has started"
                )
            if due is not None and due < audit_row.started_on:
                raise BadInput(
                    f"due date {due.isoformat()} is before audit {audit_row.key} started "
                    f"({audit_row.started_on.isoformat()})"
                )
            row = FindingRow(
                audit_id=audit_row.id,
                key=next_finding_key(session, project.id),
                grade=finding_grade,
                clause=finding_clause,
                control=finding_control,
                description=description.strip(),
                root_cause=root_cause.strip(),
                correction=correction.strip(),
                corrective_action=corrective_action.strip(),
                owner=_person("the owner", owner),
                due=due,
                status="open",
                effectiveness="",
                created_by=actor,
                created_at=now,
            )
            session.add(row)
            record_change(
                uow,
                project,
                now=now,
                actor=actor,
                type="finding_added",
                payload={
                    "finding": row.key,
                    "audit": audit_row.key,
                    "grade": row.grade,
                    "clause": row.clause,
                    "control": row.control,
                    "description": row.description,
                    "owner": row.owner,
                    "due": due.isoformat() if due else None,
                },
            )
            view = finding_view(row, audit_row, today, lang)
            uow.commit()
            return view

    return retry_on_conflict(attempt)


def _change(
    app: App,
    ref: str,
    key: str,
    actor: str,
    lang: Language,
    apply: Callable[[FindingRow, AuditRow, Finding, datetime], _Outcome],
) -> FindingView:
    """Find the finding, let `apply` check and change it, record its event, commit."""
    now = app.clock.now()

    def attempt(pin: VersionPin) -> FindingView:
        with app.uow() as uow:
            session = uow.session
            project = find_project(session, ref)
            row, audit_row = find_finding(session, project.id, key)
            outcome = apply(row, audit_row, finding_of(row, audit_row), now)
            payload = {"finding": row.key, "audit": audit_row.key, **outcome.payload}
            record_change(uow, project, now=now, actor=actor, type=outcome.type, payload=payload)
            today = evaluation_context(now, project.client.timezone).today
            view = finding_view(row, audit_row, today, lang, note=outcome.note)
            uow.commit()
            return view

    return retry_on_conflict(attempt)


def update_finding(
    app: App,
    *,
    ref: str,
    key: str,
    actor: str,
    description: str | None = None,
    clause: str | None = None,
    control: str | None = None,
    root_cause: str | None = None,
    correction: str | None = None,
    corrective_action: str | None = None,
    owner: str | None = None,
    due: date | None = None,
    lang: Language = "en",
) -> FindingView:
    """Change a finding or its corrective action plan; a change withdraws an accepted plan."""

    def apply(row: FindingRow, audit: AuditRow, finding: Finding, now: datetime) -> _Outcome:
        withdrawn = check_plan_edit(finding)
        wanted: dict[str, Any] = {
            "description": _plain(description) if description is not None else None,
            "clause": _clause(clause) if clause is not None else None,
            "control": _control(control) if control is not None else None,
            "root_cause": _plain(root_cause) if root_cause is not None else None,
            "correction": _plain(correction) if correction is not None else None,
            "corrective_action": (
                _plain(corrective_action) if corrective_action is not None else None
            ),
            "owner": _person("the owner", owner) if owner is not None else None,
            "due": due,
        }
        given = {"control": control is not None, "owner": owner is not None}
        changed: dict[str, list[Any]] = {}
        for name, value in wanted.items():
            if value is None and not given.get(name, False):
                continue
            if name == "description" and not value:
                raise BadInput("the description of a finding must not be empty")
            if value != getattr(row, name):
                old = getattr(row, name)
                changed[name] = [_json(old), _json(value)]
                setattr(row, name, value)
        _check_refers(row.clause, row.control)
        if not changed:
            raise BadInput(f"{row.key}: nothing to change; nothing was saved")
        if withdrawn:
            row.status, row.plan_accepted_by, row.plan_accepted_at = "open", None, None
        return _Outcome(
            "finding_updated",
            {"changed": changed, "plan_withdrawn": withdrawn},
            _PLAN_WITHDRAWN if withdrawn else "",
        )

    return _change(app, ref, key, actor, lang, apply)


def _json(value: object) -> object:
    return value.isoformat() if isinstance(value, date) else value


def accept_plan(
    app: App, *, ref: str, key: str, actor: str, by: str | None = None, lang: Language = "en"
) -> FindingView:
    """Accept a nonconformity's corrective action plan (by `by`, default the actor), now."""
    accepter = _person("--by", by) or actor

    def apply(row: FindingRow, audit: AuditRow, finding: Finding, now: datetime) -> _Outcome:
        check_accept_plan(finding)
        row.status, row.plan_accepted_by, row.plan_accepted_at = "plan_accepted", accepter, now
        return _Outcome(
            "finding_plan_accepted",
            {"accepted_by": accepter, "owner": row.owner, "due": _json(row.due)},
        )

    return _change(app, ref, key, actor, lang, apply)


def mark_corrected(
    app: App, *, ref: str, key: str, actor: str, lang: Language = "en"
) -> FindingView:
    """Record that the correction and corrective action of an accepted plan were carried out."""

    def apply(row: FindingRow, audit: AuditRow, finding: Finding, now: datetime) -> _Outcome:
        check_correct(finding)
        row.status = "corrected"
        return _Outcome("finding_corrected", {"owner": row.owner})

    return _change(app, ref, key, actor, lang, apply)


def verify_finding(
    app: App,
    *,
    ref: str,
    key: str,
    effectiveness: str,
    actor: str,
    by: str | None = None,
    lang: Language = "en",
) -> FindingView:
    """Record the effectiveness check of a corrected nonconformity; never by its owner."""
    verifier = _person("--by", by) or actor

    def apply(row: FindingRow, audit: AuditRow, finding: Finding, now: datetime) -> _Outcome:
        check_verify(finding, verifier, effectiveness)
        row.status, row.verified_by, row.verified_at = "verified", verifier, now
        row.effectiveness = effectiveness.strip()
        return _Outcome(
            "finding_verified", {"verified_by": verifier, "effectiveness": row.effectiveness}
        )

    return _change(app, ref, key, actor, lang, apply)


def close_finding(
    app: App, *, ref: str, key: str, actor: str, lang: Language = "en"
) -> FindingView:
    """Close a verified nonconformity, or an observation or improvement at any time."""

    def apply(row: FindingRow, audit: AuditRow, finding: Finding, now: datetime) -> _Outcome:
        check_close(finding)
        previous, row.status = row.status, "closed"
        return _Outcome("finding_closed", {"from": previous, "grade": row.grade})

    return _change(app, ref, key, actor, lang, apply)


def list_findings(
    app: App,
    *,
    ref: str,
    open_only: bool = False,
    grade: str | None = None,
    status: str | None = None,
    audit_kind: str | None = None,
    audit: str | None = None,
    lang: Language = "en",
) -> list[FindingView]:
    """The project's findings in the order raised, filtered by openness, grade, status, audit."""
    wanted_grade = parse_grade(grade) if grade else None
    wanted_status = parse_status(status) if status else None
    wanted_kind = parse_audit_kind(audit_kind) if audit_kind else None
    with app.uow() as uow:
        session = uow.session
        project = find_project(session, ref)
        wanted_audit = find_audit(session, project.id, audit).id if audit else None
        today = evaluation_context(app.clock.now(), project.client.timezone).today
        return [
            finding_view(row, audit_row, today, lang)
            for row, audit_row in project_findings(session, project.id)
            if not (open_only and row.status == "closed")
            and wanted_grade in (None, row.grade)
            and wanted_status in (None, row.status)
            and wanted_kind in (None, audit_row.kind)
            and wanted_audit in (None, audit_row.id)
        ]
