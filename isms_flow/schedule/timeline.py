"""What deadlines are computed from, and what comes out: plain values, no database, no clock.

A `Timeline` is one project's history as dated facts in the client's calendar: the transitions
it took, the certificates, audits and findings, evidence validity and management reviews of
its registers, and the certification body it chose. The service builds it from the stored rows
(`services.deadlines.timeline`); the rules (`schedule.rules`) turn it into `Deadline`s.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

__all__ = [
    "AuditFact",
    "CertificateFact",
    "Deadline",
    "DeadlineStatus",
    "EvidenceFact",
    "FindingFact",
    "Timeline",
    "Transition",
]

DeadlineStatus = Literal["open", "met", "cancelled"]


@dataclass(frozen=True)
class Transition:
    """A state change, on the client-local day it happened."""

    on: date
    trigger: str
    source: str
    dest: str


@dataclass(frozen=True)
class CertificateFact:
    """A recorded certificate."""

    number: str
    body: str
    issued_on: date
    expires_on: date


@dataclass(frozen=True)
class AuditFact:
    """An audit of the audits register (internal or by the certification body)."""

    key: str
    kind: str
    started_on: date
    ended_on: date


@dataclass(frozen=True)
class FindingFact:
    """A finding with the audit it came from; `status` follows `isms.findings`."""

    audit_key: str
    audit_kind: str
    audit_ended_on: date
    key: str
    grade: str
    status: str
    due: date | None = None
    """When the owner must have carried out the corrective action (None: no date set)."""


@dataclass(frozen=True)
class EvidenceFact:
    """One uploaded version of an evidence document and the document's current version."""

    document_id: int
    kind: str
    name: str
    version: int
    current_version: int
    effective_on: date
    valid_until: date | None = None

    @property
    def current(self) -> bool:
        """True when this version is the one that counts."""
        return self.version == self.current_version


@dataclass(frozen=True)
class Timeline:
    """One project's dated facts, oldest first within each kind."""

    state: str
    transitions: tuple[Transition, ...] = ()
    certificates: tuple[CertificateFact, ...] = ()  # in the order they were recorded
    audits: tuple[AuditFact, ...] = ()
    findings: tuple[FindingFact, ...] = ()
    evidence: tuple[EvidenceFact, ...] = ()
    reviews: tuple[date, ...] = ()
    certification_body: str | None = None
    """The selected quote's body (else the latest certificate's): whose terms apply."""
    today: date | None = None
    """The client's today when computed: an audit or review dated later is only planned and
    does not count as held yet (None: every fact counts)."""

    def held(self, days: Iterable[date]) -> list[date]:
        """The days that have come (on or before `today`)."""
        return [day for day in days if self.today is None or day <= self.today]

    @property
    def next_recheck(self) -> date | None:
        """The first day a planned audit, review or report comes to count: recompute then."""
        if self.today is None:
            return None
        planned = [
            *(audit.ended_on for audit in self.audits),
            *self.reviews,
            *(fact.effective_on for fact in self.evidence),
        ]
        later = [day for day in planned if day > self.today]
        return min(later) if later else None


@dataclass(frozen=True)
class Deadline:
    """One computed deadline; `key` is its identity across recomputations.

    `status` is `open` until its basis says `met`; `cancelled` when what it rested on is gone
    (a superseded cycle, a withdrawn certificate). Whether an open deadline is overdue depends
    on the day it is looked at, so it is not decided here.
    """

    key: str
    kind: str
    due_on: date
    status: DeadlineStatus
    on_overdue: str = ""
    basis: dict[str, Any] = field(default_factory=dict)
