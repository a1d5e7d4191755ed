"""Audits register (9.2 internal audit, certification body audits): what each audit covered,
who audited what, and how far the internal audit programme reaches. Pure: the snapshot part
"audits" is an AuditRegister.

Clauses are the requirement clauses 4–10 of ISO/IEC 27001:2022; a sub-clause such as "9.2"
counts toward its clause. Annex A controls are the catalog's ids (`isms.annex_a`), "5.1" …
"8.34", shown as "A.5.1".
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Literal

from isms_flow.errors import BadInput
from isms_flow.i18n import LocalizedText
from isms_flow.isms.annex_a import (
    annex_a_controls,
    expand_control_specs,
    normalize_control_id,
    sort_control_ids,
)
from isms_flow.isms.findings import Finding

__all__ = [
    "AUDIT_KINDS",
    "CLAUSES",
    "CLAUSE_TITLES",
    "Audit",
    "AuditKind",
    "AuditRegister",
    "ProgrammeCoverage",
    "all_controls",
    "clause_of",
    "control_label",
    "months_before",
    "parse_audit_kind",
    "parse_clauses",
    "parse_control",
    "parse_controls",
    "programme_coverage",
    "same_unit",
]

AuditKind = Literal["internal", "stage1", "stage2", "surveillance", "recertification", "follow_up"]

AUDIT_KINDS: Mapping[AuditKind, LocalizedText] = {
    "internal": LocalizedText(en="Internal audit", ja="内部監査"),
    "stage1": LocalizedText(en="Stage 1 audit", ja="第1段階審査"),
    "stage2": LocalizedText(en="Stage 2 audit", ja="第2段階審査"),
    "surveillance": LocalizedText(en="Surveillance audit", ja="維持審査"),
    "recertification": LocalizedText(en="Recertification audit", ja="更新審査"),
    "follow_up": LocalizedText(en="Follow-up audit", ja="フォローアップ審査"),
}

CLAUSES: tuple[str, ...] = ("4", "5", "6", "7", "8", "9", "10")
"""The requirement clauses every internal audit programme must cover; none may be excluded."""

CLAUSE_TITLES: Mapping[str, LocalizedText] = {
    "4": LocalizedText(en="Context of the organization", ja="組織の状況"),
    "5": LocalizedText(en="Leadership", ja="リーダーシップ"),
    "6": LocalizedText(en="Planning", ja="計画"),
    "7": LocalizedText(en="Support", ja="支援"),
    "8": LocalizedText(en="Operation", ja="運用"),
    "9": LocalizedText(en="Performance evaluation", ja="パフォーマンス評価"),
    "10": LocalizedText(en="Improvement", ja="改善"),
}


_CLAUSE = re.compile(r"^(\d{1,2})(\.\d{1,2}){0,2}$")


def all_controls() -> tuple[str, ...]:
    """Every Annex A control id of the catalog, in numeric order."""
    return tuple(control.id for control in annex_a_controls())


def parse_audit_kind(text: str) -> AuditKind:
    """An audit kind by name, or BadInput listing the known ones."""
    value = text.strip().lower().replace("-", "_")
    for kind in AUDIT_KINDS:
        if value == kind:
            return kind
    raise BadInput(f"audit kind '{text}' is unknown (known: {', '.join(AUDIT_KINDS)})")


def clause_of(reference: str) -> str:
    """The clause a (sub-)clause reference counts toward: "9.2" → "9", "10" → "10"."""
    return reference.split(".", 1)[0]


def _parse_clause(text: str) -> str:
    value = text.strip()
    match = _CLAUSE.match(value)
    if match is None or match.group(1) not in CLAUSES:
        raise BadInput(
            f"clause '{text}' is not a clause of 4–10 (write e.g. 6, 9.2 or 6.1.3; "
            "Annex A controls go in the controls)"
        )
    return value


def parse_clauses(items: Iterable[str]) -> tuple[str, ...]:
    """Clause references from user input: "4", "9.2", ranges "4-10", comma lists; sorted."""
    found: set[str] = set()
    for item in _split(items):
        if "-" in item:
            first, _, last = item.partition("-")
            low, high = _parse_clause(first), _parse_clause(last)
            if "." in low or "." in high or int(low) > int(high):
                raise BadInput(f"clause range '{item}' must run from a clause to a later one")
            found.update(str(n) for n in range(int(low), int(high) + 1))
        else:
            found.add(_parse_clause(item))
    return tuple(sorted(found, key=_clause_key))


def _clause_key(reference: str) -> tuple[int, ...]:
    return tuple(int(part) for part in reference.split("."))


def parse_control(text: str) -> str:
    """An Annex A control id from "A.5.1", "a5.1" or "5.1" → "5.1"; NotFound if unknown."""
    return normalize_control_id(text)


def parse_controls(items: Iterable[str]) -> tuple[str, ...]:
    """Control ids from user input: ids, ranges "5.1-5.37", whole themes "8", or "all"."""
    specs = _split(items)
    if any(spec.lower() == "all" for spec in specs):
        return all_controls()
    return expand_control_specs(specs)


def control_label(control: str) -> str:
    """How a control is shown: "A.5.1"."""
    return f"A.{control}"


def _split(items: Iterable[str]) -> list[str]:
    return [part.strip() for item in items for part in item.split(",") if part.strip()]


def same_unit(first: str, second: str) -> bool:
    """Two department or area names mean the same unit (case and spacing ignored)."""
    return " ".join(first.split()).casefold() == " ".join(second.split()).casefold()


@dataclass(frozen=True)
class Audit:
    """One audit: kind, dates, who audited which areas, and the clauses and controls covered."""

    key: str
    kind: AuditKind
    started_on: date
    ended_on: date
    auditor: str
    auditor_department: str | None = None
    areas: tuple[str, ...] = ()
    clauses: tuple[str, ...] = ()
    controls: tuple[str, ...] = ()

    def performed_by(self, day: date) -> bool:
        """The audit has ended on or before `day` (a later one is only planned)."""
        return self.ended_on <= day

    @property
    def clauses_covered(self) -> frozenset[str]:
        """The clauses 4–10 it covered, sub-clauses counted toward their clause."""
        return frozenset(clause_of(c) for c in self.clauses)

    @property
    def own_areas(self) -> tuple[str, ...]:
        """Audited areas that are the auditor's own department (independence conflicts)."""
        if not self.auditor_department:
            return ()
        return tuple(a for a in self.areas if same_unit(a, self.auditor_department))


@dataclass(frozen=True)
class AuditRegister:
    """Every audit of a project and every finding of those audits."""

    audits: tuple[Audit, ...] = ()
    findings: tuple[Finding, ...] = ()

    def audits_of(self, kind: AuditKind) -> tuple[Audit, ...]:
        """The audits of one kind, in the register's order."""
        return tuple(a for a in self.audits if a.kind == kind)

    def internal_audits_since(self, first_day: date) -> tuple[Audit, ...]:
        """Internal audits that ended on or after `first_day` (planned ones included)."""
        return tuple(a for a in self.audits_of("internal") if a.ended_on >= first_day)

    def findings_of_kind(self, kind: AuditKind) -> tuple[Finding, ...]:
        """The findings raised by audits of one kind."""
        return tuple(f for f in self.findings if f.audit_kind == kind)


@dataclass(frozen=True)
class ProgrammeCoverage:
    """What the internal audits of a period covered against what they must cover."""

    since: date
    audits: tuple[Audit, ...]
    clauses_covered: tuple[str, ...]
    clauses_missing: tuple[str, ...]
    controls_needed: tuple[str, ...]
    controls_covered: tuple[str, ...]
    controls_missing: tuple[str, ...]

    @property
    def have(self) -> int:
        """Clauses and controls covered."""
        return len(self.clauses_covered) + len(self.controls_covered)

    @property
    def need(self) -> int:
        """Clauses and controls to cover."""
        return len(CLAUSES) + len(self.controls_needed)

    @property
    def complete(self) -> bool:
        """Every clause and every needed control was covered."""
        return not self.clauses_missing and not self.controls_missing


def months_before(day: date, months: int) -> date:
    """The same day `months` calendar months earlier (clamped to the month's last day)."""
    index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def programme_coverage(
    register: AuditRegister, today: date, within_months: int, applicable: frozenset[str]
) -> ProgrammeCoverage:
    """Coverage by the internal audits performed in the `within_months` up to `today`.

    `applicable` holds the controls the SoA marks applicable; when it is empty (no SoA yet)
    every Annex A control is expected, because an audit programme that covers no control is
    never enough.
    """
    since = months_before(today, within_months)
    audits = tuple(a for a in register.internal_audits_since(since) if a.performed_by(today))
    clauses = frozenset().union(*(a.clauses_covered for a in audits))
    controls = frozenset(c for a in audits for c in a.controls)
    # The SoA may write ids as "A.5.1"; the register writes "5.1".
    needed = sort_control_ids(c.removeprefix("A.") for c in applicable) or all_controls()
    return ProgrammeCoverage(
        since=since,
        audits=audits,
        clauses_covered=tuple(c for c in CLAUSES if c in clauses),
        clauses_missing=tuple(c for c in CLAUSES if c not in clauses),
        controls_needed=needed,
        controls_covered=tuple(c for c in needed if c in controls),
        controls_missing=tuple(c for c in needed if c not in controls),
    )
