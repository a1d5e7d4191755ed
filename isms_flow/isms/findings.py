"""Audit findings and the corrective-action lifecycle of a nonconformity (10.2).

A nonconformity (major or minor) moves open → plan_accepted → corrected → verified → closed;
each step has a precondition checked here, so no adapter can verify an open finding or close
one nobody verified. Observations and opportunities for improvement need no corrective action:
they go straight from open to closed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from isms_flow.errors import BadInput, PermissionDenied
from isms_flow.i18n import LocalizedText

__all__ = [
    "CORRECTED",
    "GRADES",
    "NONCONFORMITIES",
    "RESOLVED",
    "STATUSES",
    "Finding",
    "FindingStatus",
    "Grade",
    "check_accept_plan",
    "check_close",
    "check_correct",
    "check_plan_edit",
    "check_verify",
    "parse_grade",
    "parse_status",
    "same_person",
]

Grade = Literal["major", "minor", "observation", "improvement"]
FindingStatus = Literal["open", "plan_accepted", "corrected", "verified", "closed"]

GRADES: Mapping[Grade, LocalizedText] = {
    "major": LocalizedText(en="major nonconformity", ja="重大な不適合"),
    "minor": LocalizedText(en="minor nonconformity", ja="軽微な不適合"),
    "observation": LocalizedText(en="observation", ja="観察事項"),
    "improvement": LocalizedText(en="opportunity for improvement", ja="改善の機会"),
}
STATUSES: Mapping[FindingStatus, LocalizedText] = {
    "open": LocalizedText(en="open", ja="未対応"),
    "plan_accepted": LocalizedText(en="plan accepted", ja="是正処置計画承認済み"),
    "corrected": LocalizedText(en="corrected", ja="是正済み"),
    "verified": LocalizedText(en="verified", ja="有効性確認済み"),
    "closed": LocalizedText(en="closed", ja="完了"),
}
NONCONFORMITIES: frozenset[Grade] = frozenset({"major", "minor"})
CORRECTED: frozenset[FindingStatus] = frozenset({"corrected", "verified", "closed"})
"""Statuses after the correction was done."""
RESOLVED: frozenset[FindingStatus] = frozenset({"verified", "closed"})
"""Statuses after the correction was verified: a major stays open until then, because the
certification body verifies correction and corrective action before it certifies."""

_PLAN_FIELDS = ("root cause", "correction", "corrective action", "owner", "due date")


def parse_grade(text: str) -> Grade:
    """A grade by name, or BadInput listing the known ones."""
    value = text.strip().lower()
    for grade in GRADES:
        if value == grade:
            return grade
    raise BadInput(f"grade '{text}' is unknown (known: {', '.join(GRADES)})")


def parse_status(text: str) -> FindingStatus:
    """A status by name, or BadInput listing the known ones."""
    value = text.strip().lower().replace("-", "_")
    for status in STATUSES:
        if value == status:
            return status
    raise BadInput(f"status '{text}' is unknown (known: {', '.join(STATUSES)})")


def same_person(first: str | None, second: str | None) -> bool:
    """Two names or logins mean the same person (case and spacing ignored)."""
    if not first or not second:
        return False
    return " ".join(first.split()).casefold() == " ".join(second.split()).casefold()


@dataclass(frozen=True)
class Finding:
    """One finding of one audit, with its corrective-action record."""

    key: str
    audit_key: str
    audit_kind: str
    grade: Grade
    clause: str
    description: str
    status: FindingStatus = "open"
    control: str | None = None
    root_cause: str = ""
    correction: str = ""
    corrective_action: str = ""
    owner: str | None = None
    due: date | None = None
    plan_accepted_by: str | None = None
    plan_accepted_at: datetime | None = None
    effectiveness: str = ""
    verified_by: str | None = None
    verified_at: datetime | None = None

    @property
    def is_nonconformity(self) -> bool:
        """Major or minor: it needs a corrective action."""
        return self.grade in NONCONFORMITIES

    @property
    def is_corrected(self) -> bool:
        """The correction is done (and possibly verified or closed)."""
        return self.status in CORRECTED

    @property
    def is_resolved(self) -> bool:
        """Verified or closed."""
        return self.status in RESOLVED

    def overdue(self, today: date) -> bool:
        """Past its due date and not yet corrected."""
        return self.due is not None and self.due < today and not self.is_corrected

    def where(self) -> LocalizedText:
        """Its audit and the requirement it concerns, e.g. `IA-2026-1, clause 9.2, A.5.35`."""
        en, ja = [self.audit_key], [self.audit_key]
        if self.clause:
            en.append(f"clause {self.clause}")
            ja.append(f"箇条{self.clause}")
        if self.control:
            en.append(f"A.{self.control}")
            ja.append(f"A.{self.control}")
        return LocalizedText(en=", ".join(en), ja="、".join(ja))

    def _is(self) -> str:
        return f"{self.key} is at status '{self.status}'"


def _nonconformity_only(finding: Finding) -> None:
    if not finding.is_nonconformity:
        # Both other grades start with a vowel: "an observation", "an opportunity …".
        raise BadInput(
            f"{finding.key} is an {GRADES[finding.grade].en} and needs no corrective action; "
            "close it with `isms-flow audits close`"
        )


def check_plan_edit(finding: Finding) -> bool:
    """May the plan fields change? True when the change withdraws an accepted plan."""
    if finding.is_corrected:
        raise BadInput(
            f"{finding._is()}: its finding and corrective action plan can no longer change"
        )
    return finding.status == "plan_accepted"


def check_accept_plan(finding: Finding) -> None:
    """A nonconformity, open, whose plan names root cause, correction, action, owner, due."""
    _nonconformity_only(finding)
    if finding.status != "open":
        raise BadInput(f"{finding._is()}: its corrective action plan was already accepted")
    values = (
        finding.root_cause,
        finding.correction,
        finding.corrective_action,
        finding.owner,
        finding.due,
    )
    missing = [name for name, value in zip(_PLAN_FIELDS, values, strict=True) if not value]
    if missing:
        raise BadInput(
            f"{finding.key}: the corrective action plan has no {', '.join(missing)} yet "
            "(set them with `isms-flow audits finding-update`); nothing was accepted"
        )


def check_correct(finding: Finding) -> None:
    """Only a nonconformity whose plan was accepted can be marked corrected."""
    _nonconformity_only(finding)
    if finding.status == "open":
        raise BadInput(
            f"{finding._is()}: accept its corrective action plan first "
            "(`isms-flow audits accept-plan`)"
        )
    if finding.status != "plan_accepted":
        raise BadInput(f"{finding._is()}: it was already marked corrected")


def check_verify(finding: Finding, verifier: str, effectiveness: str) -> None:
    """A corrected nonconformity, an effectiveness check said, and a verifier not its owner."""
    _nonconformity_only(finding)
    if not finding.is_corrected:
        raise BadInput(
            f"{finding._is()}: its effectiveness cannot be verified before the correction is "
            "done (`isms-flow audits correct`)"
        )
    if finding.status != "corrected":
        raise BadInput(f"{finding._is()}: its effectiveness was already verified")
    if not effectiveness.strip():
        raise BadInput(f"{finding.key}: say how the effectiveness was checked (--effectiveness)")
    if same_person(verifier, finding.owner):
        raise PermissionDenied(
            f"{verifier} owns {finding.key}: the effectiveness of a corrective action must be "
            "verified by someone other than its owner"
        )


def check_close(finding: Finding) -> None:
    """A nonconformity closes once verified; an observation or improvement at any time."""
    if finding.status == "closed":
        raise BadInput(f"{finding._is()}: it was closed already")
    if finding.is_nonconformity and finding.status != "verified":
        raise BadInput(
            f"{finding._is()}: a nonconformity is closed only after its effectiveness was "
            "verified (`isms-flow audits verify`)"
        )
