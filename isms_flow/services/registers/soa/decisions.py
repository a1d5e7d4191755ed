"""Use cases that change the SoA one call at a time: initialise it, decide controls.

Each call is one transaction and one event in the project's history, however many controls it
touches; a call that would change nothing writes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import structlog
from sqlalchemy.orm import Session

from isms_flow.bootstrap import App
from isms_flow.errors import BadInput
from isms_flow.isms.annex_a import ANNEX_A_EDITION, annex_a_controls, expand_control_specs
from isms_flow.isms.soa import (
    Decision,
    SoaEntry,
    decision_problems,
    normalize_risk_key,
    parse_status,
)
from isms_flow.services.changes import record_change
from isms_flow.services.lookup import find_project, project_ref
from isms_flow.services.registers.soa.register import (
    entry_of,
    require_evidence,
    soa_rows,
    verdict_of,
)
from isms_flow.services.registers.soa.views import SoaChangeView
from isms_flow.services.retry import VersionPin, retry_on_conflict
from isms_flow.services.snapshots import bound_project
from isms_flow.store.tables.soa import SoaEntryRow

__all__ = ["apply_decision", "decide_controls", "init_soa"]

_log = structlog.get_logger(__name__)


def init_soa(app: App, *, ref: str, actor: str) -> SoaChangeView:
    """Give every Annex A control an SoA line (undecided); lines already there are kept."""
    now = app.clock.now()

    def attempt(pin: VersionPin) -> SoaChangeView:
        with app.uow() as uow:
            project = find_project(uow.session, ref)
            rows = soa_rows(uow.session, project.id)
            added = [c.id for c in annex_a_controls() if c.id not in rows]
            for control_id in added:
                uow.session.add(
                    SoaEntryRow(
                        project_id=project.id,
                        control_id=control_id,
                        applicable=None,
                        justification="",
                        status=None,
                        risk_keys=[],
                        evidence_ids=[],
                    )
                )
            decided = sum(1 for row in rows.values() if row.applicable is not None)
            view = SoaChangeView(
                project=project_ref(project),
                action="init",
                controls=added,
                unchanged=[c.id for c in annex_a_controls() if c.id in rows],
                verdict=None,
                justification=None,
                status=None,
                decided=decided,
                total=len(annex_a_controls()),
                saved=bool(added),
            )
            if added:
                payload = {"edition": ANNEX_A_EDITION, "added": len(added), "total": view.total}
                record_change(
                    uow, project, now=now, actor=actor, type="soa_initialised", payload=payload
                )
                uow.commit()
            return view

    return retry_on_conflict(attempt)


def decide_controls(
    app: App,
    *,
    ref: str,
    controls: Sequence[str],
    applicable: bool,
    justification: str,
    actor: str,
    status: str | None = None,
    risk_keys: Sequence[str] = (),
    evidence_ids: Sequence[int] = (),
) -> SoaChangeView:
    """Record one decision for one or more controls ("5.1", "7.1-7.14", a theme "7")."""
    if not controls:
        raise BadInput("name at least one control, e.g. 5.15, 7.1-7.14 or a theme such as 7")
    ids = expand_control_specs(controls)
    decision = Decision(
        applicable=applicable,
        justification=justification.strip(),
        status=parse_status(status),
        risk_keys=_risk_keys(risk_keys),
        evidence_ids=tuple(dict.fromkeys(evidence_ids)),
    )
    problems = decision_problems(decision)
    if problems:
        raise BadInput("; ".join(problems))
    now = app.clock.now()

    def attempt(pin: VersionPin) -> SoaChangeView:
        with app.uow() as uow:
            session = uow.session
            project = find_project(session, ref)
            require_evidence(session, project.id, decision.evidence_ids, project_ref(project))
            rows = soa_rows(session, project.id)
            changed = [
                c for c in ids if apply_decision(session, rows, project.id, c, decision, actor, now)
            ]
            decided = sum(1 for row in rows.values() if row.applicable is not None)
            view = SoaChangeView(
                project=project_ref(project),
                action="decide",
                controls=changed,
                unchanged=[c for c in ids if c not in changed],
                verdict=verdict_of(decision.applicable),
                justification=decision.justification,
                status=decision.status,
                decided=decided,
                total=len(annex_a_controls()),
                saved=bool(changed),
            )
            if changed:
                payload = {
                    "controls": changed,
                    "verdict": view.verdict,
                    "justification": decision.justification,
                    "status": decision.status,
                    "risk_keys": list(decision.risk_keys),
                    "evidence_ids": list(decision.evidence_ids),
                }
                record_change(
                    uow, project, now=now, actor=actor, type="soa_decided", payload=payload
                )
                uow.commit()
                with bound_project(project, actor):
                    _log.info("soa_decided", controls=len(changed), verdict=view.verdict)
            return view

    return retry_on_conflict(attempt)


def apply_decision(
    session: Session,
    rows: dict[str, SoaEntryRow],
    project_id: int,
    control_id: str,
    decision: Decision,
    actor: str,
    now: datetime,
) -> bool:
    """Write `decision` into the row of `control_id` (a new row when none); False if unchanged."""
    row = rows.get(control_id)
    if row is not None and entry_of(row) == _entry(control_id, decision):
        return False
    if row is None:
        row = SoaEntryRow(project_id=project_id, control_id=control_id)
        rows[control_id] = row
        session.add(row)
    row.applicable = decision.applicable
    row.justification = decision.justification
    row.status = decision.status
    row.risk_keys = list(decision.risk_keys)
    row.evidence_ids = list(decision.evidence_ids)
    row.decided_by = actor
    row.decided_at = now
    return True


def _entry(control_id: str, decision: Decision) -> SoaEntry:
    return SoaEntry(
        control_id=control_id,
        applicable=decision.applicable,
        justification=decision.justification,
        status=decision.status,
        risk_keys=decision.risk_keys,
        evidence_ids=decision.evidence_ids,
    )


def _risk_keys(keys: Sequence[str]) -> tuple[str, ...]:
    normalized: list[str] = []
    for key in keys:
        value = normalize_risk_key(key)
        if value is None:
            raise BadInput(f"risk key '{key}' is not like R-004")
        if value not in normalized:
            normalized.append(value)
    return tuple(normalized)
