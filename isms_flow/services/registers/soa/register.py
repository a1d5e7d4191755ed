"""Reading the SoA table: rows to the pure `Soa`, the snapshot parts, and rows to views."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from isms_flow.errors import NotFound
from isms_flow.i18n import Language, LocalizedText
from isms_flow.isms.annex_a import Control
from isms_flow.isms.soa import SOA_STATUSES, Soa, SoaEntry, SoaStatus
from isms_flow.services.registers import part_loaders
from isms_flow.services.registers.soa.views import SoaEntryView, Verdict
from isms_flow.store.models import EvidenceDocumentRow
from isms_flow.store.tables.soa import SoaEntryRow

__all__ = [
    "STATUS_TITLES",
    "check_evidence",
    "entry_of",
    "entry_view",
    "evidence_names",
    "load_soa",
    "load_soa_applicable",
    "load_soa_applicable_of",
    "load_soa_of",
    "require_evidence",
    "risk_controls",
    "soa_rows",
    "verdict_of",
]

STATUS_TITLES: Mapping[str, LocalizedText] = {
    "planned": LocalizedText(en="Planned", ja="計画中"),
    "partial": LocalizedText(en="Partially implemented", ja="一部実施"),
    "implemented": LocalizedText(en="Implemented", ja="実施済み"),
}


def soa_rows(session: Session, project_id: int) -> dict[str, SoaEntryRow]:
    """The project's stored SoA rows by control id."""
    rows = session.scalars(select(SoaEntryRow).where(SoaEntryRow.project_id == project_id))
    return {row.control_id: row for row in rows}


def entry_of(row: SoaEntryRow) -> SoaEntry:
    """The pure entry of a row (an unknown stored status reads as none)."""
    status: SoaStatus | None = next((s for s in SOA_STATUSES if s == row.status), None)
    return SoaEntry(
        control_id=row.control_id,
        applicable=row.applicable,
        justification=row.justification or "",
        status=status,
        risk_keys=tuple(row.risk_keys or ()),
        evidence_ids=tuple(row.evidence_ids or ()),
    )


def load_soa(session: Session, project: Any) -> Soa:
    """The snapshot part "soa"."""
    return Soa({key: entry_of(row) for key, row in soa_rows(session, project.id).items()})


def load_soa_of(session: Session, projects: Sequence[Any]) -> dict[int, Soa]:
    """`load_soa` for many projects: one query, whatever their number."""
    ids = [project.id for project in projects]
    entries: dict[int, dict[str, SoaEntry]] = {project_id: {} for project_id in ids}
    for row in session.scalars(select(SoaEntryRow).where(SoaEntryRow.project_id.in_(ids))):
        entries[row.project_id][row.control_id] = entry_of(row)
    return {project_id: Soa(found) for project_id, found in entries.items()}


# Only the ids are needed: no ORM objects for a part other registers read on every check.
_APPLICABLE = select(SoaEntryRow.control_id).where(SoaEntryRow.applicable.is_(True))


def load_soa_applicable(session: Session, project: Any) -> frozenset[str]:
    """The snapshot part "soa_applicable": ids of the controls marked applicable."""
    return frozenset(session.scalars(_APPLICABLE.where(SoaEntryRow.project_id == project.id)))


def load_soa_applicable_of(session: Session, projects: Sequence[Any]) -> dict[int, frozenset[str]]:
    """`load_soa_applicable` for many projects: one query, whatever their number."""
    ids = [project.id for project in projects]
    found: dict[int, set[str]] = {project_id: set() for project_id in ids}
    for project_id, control_id in session.execute(
        select(SoaEntryRow.project_id, SoaEntryRow.control_id).where(
            SoaEntryRow.applicable.is_(True), SoaEntryRow.project_id.in_(ids)
        )
    ):
        found[project_id].add(control_id)
    return {project_id: frozenset(controls) for project_id, controls in found.items()}


def risk_controls(session: Session, project: Any) -> frozenset[str] | None:
    """Controls chosen in the risk treatments, or None while no risk register is installed."""
    loader = part_loaders().get("risk_controls")
    if loader is None:
        return None
    value = loader(session, project)
    return frozenset(str(c) for c in value) if isinstance(value, frozenset) else None


def check_evidence(session: Session, project_id: int, ids: Iterable[int]) -> list[int]:
    """The ids among `ids` that are not evidence documents of this project."""
    wanted = set(ids)
    if not wanted:
        return []
    found = set(
        session.scalars(
            select(EvidenceDocumentRow.id).where(
                EvidenceDocumentRow.project_id == project_id, EvidenceDocumentRow.id.in_(wanted)
            )
        )
    )
    return sorted(wanted - found)


def evidence_names(session: Session, project_id: int) -> dict[int, str]:
    """`#id name` of every evidence document of the project."""
    rows = session.execute(
        select(EvidenceDocumentRow.id, EvidenceDocumentRow.name).where(
            EvidenceDocumentRow.project_id == project_id
        )
    )
    return {document_id: f"#{document_id} {name}" for document_id, name in rows}


def require_evidence(session: Session, project_id: int, ids: Iterable[int], ref: str) -> None:
    """NotFound naming the first id that is not evidence of this project."""
    unknown = check_evidence(session, project_id, ids)
    if unknown:
        raise NotFound(
            "evidence",
            ", ".join(f"#{i}" for i in unknown) + f" of project {ref}",
            hint="see `isms-flow evidence list PROJECT`",
        )


def verdict_of(applicable: bool | None) -> Verdict:
    """applicable / excluded / undecided."""
    if applicable is None:
        return "undecided"
    return "applicable" if applicable else "excluded"


def entry_view(
    control: Control,
    row: SoaEntryRow | None,
    *,
    evidence: Mapping[int, str],
    chosen: frozenset[str],
    lang: Language,
) -> SoaEntryView:
    """A control's SoA line as shown (undecided when no row is stored)."""
    entry = entry_of(row) if row is not None else SoaEntry(control.id)
    return SoaEntryView(
        control=control.id,
        title=control.title.in_(lang),
        theme=control.theme.in_(lang),
        verdict=verdict_of(entry.applicable),
        applicable=entry.applicable,
        justification=entry.justification,
        status=entry.status,
        status_title=STATUS_TITLES[entry.status].in_(lang) if entry.status else None,
        risk_keys=list(entry.risk_keys),
        evidence_ids=list(entry.evidence_ids),
        evidence=[evidence.get(i, f"#{i}") for i in entry.evidence_ids],
        chosen_in_risk_treatment=control.id in chosen,
        decided_by=row.decided_by if row is not None else None,
        decided_at=row.decided_at if row is not None else None,
    )
