"""What requirement checks read: a frozen picture of one project at one moment."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TypeVar

T = TypeVar("T")

__all__ = ["Approval", "EvaluationContext", "EvidenceFact", "ProjectSnapshot", "Scope"]


@dataclass(frozen=True)
class Approval:
    """Someone, acting in a role, approved one evidence version."""

    by: str
    role: str
    at: datetime


@dataclass(frozen=True)
class EvidenceFact:
    """The current version of one evidence document."""

    document_id: int
    kind: str
    name: str
    version: int
    uploaded_at: datetime
    effective_date: date
    valid_until: date | None = None
    approvals: tuple[Approval, ...] = ()

    @property
    def label(self) -> str:
        """How a blocker names this document: `name v3`."""
        return f"'{self.name}' v{self.version}"


@dataclass(frozen=True)
class Scope:
    """The certification scope: the whole organization or named units (departments, sites)."""

    whole_organization: bool
    units: tuple[str, ...] = ()

    def describe(self) -> str:
        """A one-line description for tables and history."""
        return "whole organization" if self.whole_organization else ", ".join(self.units)


@dataclass(frozen=True)
class ProjectSnapshot:
    """Everything a guard may look at; built by a service, read by pure functions.

    `registers` holds the parts of the ISMS registers the evaluated requirements declared
    they read (`Requirement.reads`), keyed by part name; other parts are not loaded.
    """

    state: str
    scope: Scope | None = None
    evidence: tuple[EvidenceFact, ...] = field(default_factory=tuple)
    registers: Mapping[str, object] = field(default_factory=dict)

    def evidence_of(self, kind: str) -> tuple[EvidenceFact, ...]:
        """Return the current versions of every document of `kind`."""
        return tuple(fact for fact in self.evidence if fact.kind == kind)

    def register(self, part: str, expected: type[T]) -> T:
        """The loaded register part `part`; a missing one is a programming error, said plainly."""
        value = self.registers.get(part)
        if not isinstance(value, expected):
            raise LookupError(
                f"register part '{part}' was not loaded into the snapshot; declare it in the "
                "requirement type's `reads`"
            )
        return value


@dataclass(frozen=True)
class EvaluationContext:
    """The moment a guard is evaluated: `today` is the client's local date."""

    now: datetime
    today: date
