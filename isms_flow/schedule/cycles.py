"""Certification cycles: three years from a certification decision, renewed by recertification.

ISO/IEC 17021-1 9.1.3 (see shared/domain/iso27001.md §3.4): the first cycle starts on the
certification decision; a recertification decided before expiry starts the next cycle, whose
expiry is the old expiry plus three years; a certificate restored after expiry keeps the
original cycle's rhythm too. A recorded certificate states the dates outright and wins over the
computed ones.

Decisions come from two places, merged here: certificates in the register, and transitions the
workflow marks as `certification_decision` or `recertification_decision` milestones. A
certificate recorded just before the transition it led to is the same decision, not two.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from isms_flow.isms.training import add_months
from isms_flow.schedule.timeline import CertificateFact

__all__ = ["Cycle", "certificate_cycles"]

# A certificate whose expiry is at least this far past the running cycle's starts a new cycle;
# nearer, it is a reissue of the running cycle's certificate (a corrected date or scope).
_NEW_CYCLE_MONTHS = 12


@dataclass(frozen=True)
class Cycle:
    """One certification cycle: decided on `start`, valid through `expiry`."""

    number: int
    start: date
    expiry: date
    renewal: bool
    certificate: str | None = None
    renewed_on: date | None = None
    """The start of the next cycle, when there is one."""


@dataclass
class _Draft:
    start: date
    expiry: date
    renewal: bool
    certificate: str | None
    decided: bool


def certificate_cycles(
    certificates: Sequence[CertificateFact],  # in the order they were recorded
    decisions: Sequence[date],
    renewals: Sequence[date],
    *,
    expiry_of: Callable[[date], date],
) -> tuple[Cycle, ...]:
    """The project's cycles, oldest first; `expiry_of(decision)` is a cycle's end (+3 years)."""
    events: list[tuple[date, int, str, CertificateFact | None]] = [
        *((c.issued_on, 0, "certificate", c) for c in _latest_per_cycle(certificates)),
        *((day, 1, "decision", None) for day in decisions),
        *((day, 1, "renewal", None) for day in renewals),
    ]
    drafts: list[_Draft] = []
    for day, _, what, certificate in sorted(events, key=lambda e: (e[0], e[1])):
        current = drafts[-1] if drafts else None
        if certificate is not None:
            _take_certificate(drafts, current, certificate, expiry_of)
        elif current is not None and not current.decided:
            current.decided = True  # the certificate recorded before this decision was its own
        else:
            renewal = what == "renewal" and current is not None
            base = current.expiry if renewal and current is not None else day
            drafts.append(_Draft(day, expiry_of(base), renewal, None, decided=True))
    cycles = [
        Cycle(number, d.start, d.expiry, d.renewal, d.certificate)
        for number, d in enumerate(drafts, start=1)
    ]
    return tuple(
        replace(cycle, renewed_on=cycles[index + 1].start) if index + 1 < len(cycles) else cycle
        for index, cycle in enumerate(cycles)
    )


def _latest_per_cycle(certificates: Sequence[CertificateFact]) -> list[CertificateFact]:
    """Certificates in the order they were recorded, a reissue replacing the one it reissues.

    A reissue (a corrected issue date, a new number) expires within a year of the certificate
    it replaces; a recertification's certificate expires about three years later.
    """
    latest: list[CertificateFact] = []
    for certificate in certificates:
        for index, earlier in enumerate(latest):
            near = add_months(earlier.expires_on, -_NEW_CYCLE_MONTHS)
            far = add_months(earlier.expires_on, _NEW_CYCLE_MONTHS)
            if near < certificate.expires_on < far:
                latest[index] = certificate
                break
        else:
            latest.append(certificate)
    return latest


def _take_certificate(
    drafts: list[_Draft],
    current: _Draft | None,
    certificate: CertificateFact,
    expiry_of: Callable[[date], date],
) -> None:
    if current is None or certificate.expires_on >= add_months(current.expiry, _NEW_CYCLE_MONTHS):
        drafts.append(
            _Draft(
                certificate.issued_on,
                certificate.expires_on,
                renewal=current is not None,
                certificate=certificate.number,
                decided=False,
            )
        )
        return
    # A reissue: a full-length certificate restates the decision date; a shortened one (which
    # keeps the running cycle's expiry) does not.
    if certificate.expires_on == expiry_of(certificate.issued_on):
        current.start = certificate.issued_on
    current.expiry = certificate.expires_on
    current.certificate = certificate.number
