"""The Statement of Applicability (6.1.3 d) as a pure value, and the rules of a decision.

Every Annex A control is either applicable (with a justification and an implementation status)
or excluded (with a justification); until then it is undecided. A control that is missing from
the stored SoA counts as undecided, so an SoA that was never initialised is simply empty.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal, get_args

from isms_flow.errors import BadInput
from isms_flow.isms.annex_a import annex_a_controls, sort_control_ids

__all__ = [
    "RISK_KEY_PATTERN",
    "SOA_STATUSES",
    "Decision",
    "Soa",
    "SoaEntry",
    "SoaGaps",
    "SoaStatus",
    "decision_problems",
    "normalize_risk_key",
    "parse_status",
    "soa_gaps",
]

SoaStatus = Literal["planned", "partial", "implemented"]
SOA_STATUSES: tuple[SoaStatus, ...] = get_args(SoaStatus)

RISK_KEY_PATTERN = re.compile(r"^[A-Z][A-Z0-9]*-[0-9]{1,6}$")
"""A risk's key in the risk register, e.g. R-004."""


def normalize_risk_key(text: str) -> str | None:
    """ "r-004 " → "R-004"; None when it is not shaped like a risk key."""
    key = text.strip().upper()
    return key if RISK_KEY_PATTERN.match(key) else None


def parse_status(text: str | None) -> SoaStatus | None:
    """planned / partial / implemented, in any case; None when blank; BadInput otherwise."""
    value = (text or "").strip().lower()
    if not value:
        return None
    for status in SOA_STATUSES:
        if value == status:
            return status
    raise BadInput(
        f"status '{(text or '').strip()}' is not {', '.join(SOA_STATUSES[:-1])} or "
        f"{SOA_STATUSES[-1]}"
    )


@dataclass(frozen=True)
class Decision:
    """What a user decides for one control (or several at once)."""

    applicable: bool
    justification: str
    status: SoaStatus | None = None
    risk_keys: tuple[str, ...] = ()
    evidence_ids: tuple[int, ...] = ()


def decision_problems(decision: Decision) -> list[str]:
    """Why a decision cannot be recorded as given; empty when it can.

    A justification is required either way: an auditor asks why a control was included as much
    as why it was left out. An excluded control has no implementation status and treats no risk.
    """
    problems: list[str] = []
    if not decision.justification.strip():
        which = "an applicable" if decision.applicable else "an excluded"
        problems.append(f"{which} control needs a justification")
    if decision.applicable and decision.status is None:
        problems.append(
            f"an applicable control needs an implementation status ({', '.join(SOA_STATUSES)})"
        )
    if not decision.applicable and decision.status is not None:
        problems.append("an excluded control has no implementation status")
    if not decision.applicable and decision.risk_keys:
        problems.append(
            f"an excluded control treats no risk (linked to {', '.join(decision.risk_keys)})"
        )
    return problems


@dataclass(frozen=True)
class SoaEntry:
    """The SoA line of one control; `applicable` None means undecided."""

    control_id: str
    applicable: bool | None = None
    justification: str = ""
    status: SoaStatus | None = None
    risk_keys: tuple[str, ...] = ()
    evidence_ids: tuple[int, ...] = ()

    @property
    def decided(self) -> bool:
        """Applicable or excluded."""
        return self.applicable is not None

    @property
    def justified(self) -> bool:
        """Has a non-blank justification."""
        return bool(self.justification.strip())


@dataclass(frozen=True)
class Soa:
    """A project's SoA: the stored entries by control id (absent ones are undecided)."""

    entries: Mapping[str, SoaEntry] = field(default_factory=dict)

    def entry(self, control_id: str) -> SoaEntry:
        """The entry of a control, undecided when none is stored."""
        return self.entries.get(control_id) or SoaEntry(control_id)

    def all_entries(self) -> tuple[SoaEntry, ...]:
        """One entry per catalog control, in id order."""
        return tuple(self.entry(control.id) for control in annex_a_controls())

    def ids_where(self, applicable: bool | None) -> tuple[str, ...]:
        """Ids of the catalog controls that are applicable (True), excluded (False), undecided."""
        return tuple(e.control_id for e in self.all_entries() if e.applicable is applicable)

    @property
    def applicable_ids(self) -> frozenset[str]:
        """Ids marked applicable."""
        return frozenset(self.ids_where(True))

    @property
    def decided_count(self) -> int:
        """How many catalog controls are decided."""
        return sum(1 for entry in self.all_entries() if entry.decided)


@dataclass(frozen=True)
class SoaGaps:
    """Everything that keeps an SoA from being complete, each as exact control ids."""

    decided: int
    total: int
    undecided: tuple[str, ...] = ()
    unjustified_exclusions: tuple[str, ...] = ()
    unjustified_inclusions: tuple[str, ...] = ()
    without_status: tuple[str, ...] = ()
    risk_controls_not_applicable: tuple[tuple[str, bool | None], ...] = ()
    """Controls chosen in a risk treatment, with their SoA verdict (False or None)."""

    @property
    def complete(self) -> bool:
        """Nothing is missing."""
        return not (
            self.undecided
            or self.unjustified_exclusions
            or self.unjustified_inclusions
            or self.without_status
            or self.risk_controls_not_applicable
        )

    @property
    def items(self) -> tuple[str, ...]:
        """Every control id at fault, once, in id order."""
        return sort_control_ids(
            [
                *self.undecided,
                *self.unjustified_exclusions,
                *self.unjustified_inclusions,
                *self.without_status,
                *(control for control, _ in self.risk_controls_not_applicable),
            ]
        )


def soa_gaps(soa: Soa, risk_controls: Iterable[str] = ()) -> SoaGaps:
    """What is missing: undecided controls, unjustified decisions, risk controls not applicable."""
    entries = soa.all_entries()
    applicable = [e for e in entries if e.applicable is True]
    excluded = [e for e in entries if e.applicable is False]
    chosen = sort_control_ids(c.removeprefix("A.") for c in risk_controls)
    return SoaGaps(
        decided=len(applicable) + len(excluded),
        total=len(entries),
        undecided=tuple(e.control_id for e in entries if not e.decided),
        unjustified_exclusions=tuple(e.control_id for e in excluded if not e.justified),
        unjustified_inclusions=tuple(e.control_id for e in applicable if not e.justified),
        without_status=tuple(e.control_id for e in applicable if e.status is None),
        risk_controls_not_applicable=tuple(
            (control, soa.entry(control).applicable)
            for control in chosen
            if soa.entry(control).applicable is not True
        ),
    )
