"""Requirement types that read the audits register: what a certification body checks of the
internal audit programme (9.2) and of nonconformities (10.2) before it goes on.

In a workflow file:

    - internal_audit_coverage: clauses_and_applicable_controls
      within_months: 12
    - auditor_independence: internal_audits
    - major_nonconformities: none_open
    - minor_nonconformities: plans_accepted
    - stage1_concerns: resolved
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, Literal

from pydantic import Field

from isms_flow.i18n import LocalizedText
from isms_flow.isms.audits import (
    CLAUSES,
    Audit,
    AuditRegister,
    control_label,
    months_before,
    programme_coverage,
)
from isms_flow.isms.findings import STATUSES, Finding
from isms_flow.workflow.requirements.base import (
    Blocker,
    Requirement,
    RequirementResult,
    Vocabulary,
    register,
)
from isms_flow.workflow.snapshot import EvaluationContext, ProjectSnapshot

__all__ = [
    "MESSAGE_ITEMS",
    "AuditorIndependenceRequirement",
    "InternalAuditCoverageRequirement",
    "MajorNonconformitiesRequirement",
    "MinorNonconformitiesRequirement",
    "Stage1ConcernsRequirement",
]

MESSAGE_ITEMS = 30
"""A blocker message names at most this many controls or findings; its items name all."""


def _shown(en: Sequence[str], ja: Sequence[str], *, long: bool = False) -> LocalizedText:
    """Names joined for a message, cut after MESSAGE_ITEMS: "a, b, and 3 more" / "a、b、ほか3件".

    `long` joins descriptions that contain commas themselves with semicolons.
    """
    en_sep, ja_sep = ("; ", "；") if long else (", ", "、")
    more = len(en) - MESSAGE_ITEMS
    en_text, ja_text = en_sep.join(en[:MESSAGE_ITEMS]), ja_sep.join(ja[:MESSAGE_ITEMS])
    if more > 0:
        en_text += f"{en_sep}and {more} more"
        ja_text += f"{ja_sep}ほか{more}件"
    return LocalizedText(en=en_text, ja=ja_text)


def _findings(findings: Sequence[Finding], *, status: bool) -> LocalizedText:
    """`F-003 (IA-2026-1, clause 6.1.2; open); …` in both languages."""
    en: list[str] = []
    ja: list[str] = []
    for finding in findings:
        where, state = finding.where(), STATUSES[finding.status]
        en.append(
            f"{finding.key} ({where.en}; {state.en})" if status else f"{finding.key} ({where.en})"
        )
        ja.append(
            f"{finding.key}（{where.ja}；{state.ja}）" if status else f"{finding.key}（{where.ja}）"
        )
    return _shown(en, ja, long=True)


def _result(
    requirement: Requirement, vocab: Vocabulary, have: int, need: int, blocker: Blocker | None
) -> RequirementResult:
    label = requirement.label(vocab)
    if blocker is None:
        return RequirementResult(label, met=True, have=have, need=need)
    return RequirementResult(label, met=False, have=have, need=need, blockers=(blocker,))


@register
class InternalAuditCoverageRequirement(Requirement):
    """`- internal_audit_coverage: clauses_and_applicable_controls` with `within_months`.

    The internal audits performed within the last `within_months` (default 12) together
    covered every clause 4–10 and every Annex A control the SoA marks applicable (every
    control while the SoA marks none). Progress counts clauses plus controls.
    """

    type_key: ClassVar[str] = "internal_audit_coverage"
    reads: ClassVar[frozenset[str]] = frozenset({"audits", "soa_applicable"})

    internal_audit_coverage: Literal["clauses_and_applicable_controls"]
    within_months: int = Field(default=12, ge=1, le=36)

    def label(self, vocab: Vocabulary) -> LocalizedText:
        """E.g. `Internal audits of the last 12 months cover clauses 4–10 and …`."""
        return self.title or LocalizedText(
            en=f"Internal audits of the last {self.within_months} months cover clauses 4–10 "
            "and every applicable Annex A control",
            ja=f"過去{self.within_months}か月の内部監査で箇条4〜10と適用されるすべての"
            "附属書A管理策を監査済み",
        )

    def evaluate(
        self, snapshot: ProjectSnapshot, ctx: EvaluationContext, vocab: Vocabulary
    ) -> RequirementResult:
        """Clauses + applicable controls covered as progress; a blocker names each gap."""
        register_ = snapshot.register("audits", AuditRegister)
        applicable = snapshot.register("soa_applicable", frozenset)
        coverage = programme_coverage(register_, ctx.today, self.within_months, applicable)
        if coverage.complete:
            return _result(self, vocab, coverage.have, coverage.need, None)
        months = self.within_months
        if not coverage.audits:
            message = LocalizedText(
                en=f"internal_audit_coverage: no internal audit performed in the last {months} "
                "months (record one with `isms-flow audits add PROJECT --kind internal …`)",
                ja=f"内部監査の網羅性: 過去{months}か月に実施した内部監査がありません"
                "（`isms-flow audits add PROJECT --kind internal …` で記録）",
            )
        else:
            keys = [a.key for a in coverage.audits]
            gaps_en: list[str] = []
            gaps_ja: list[str] = []
            if coverage.clauses_missing:
                gaps_en.append(f"clauses {', '.join(coverage.clauses_missing)}")
                gaps_ja.append(f"箇条{'、'.join(coverage.clauses_missing)}")
            if coverage.controls_missing:
                labels = [control_label(c) for c in coverage.controls_missing]
                controls = _shown(labels, labels)
                gaps_en.append(f"controls {controls.en}")
                gaps_ja.append(f"管理策 {controls.ja}")
            message = LocalizedText(
                en=f"internal_audit_coverage: the internal audits of the last {months} months "
                f"({', '.join(keys)}) cover {len(coverage.clauses_covered)}/{len(CLAUSES)} "
                f"clauses and {len(coverage.controls_covered)}/{len(coverage.controls_needed)} "
                f"applicable Annex A controls; not covered: {'; '.join(gaps_en)}",
                ja=f"内部監査の網羅性: 過去{months}か月の内部監査（{'、'.join(keys)}）で"
                f"監査済みなのは箇条{len(coverage.clauses_covered)}/{len(CLAUSES)}件、適用される附属書A管理策"
                f"{len(coverage.controls_covered)}/{len(coverage.controls_needed)}件。"
                f"未監査: {'；'.join(gaps_ja)}",
            )
        items = tuple(f"clause {c}" for c in coverage.clauses_missing) + tuple(
            control_label(c) for c in coverage.controls_missing
        )
        blocker = Blocker(code=self.type_key, message=message, items=items)
        return _result(self, vocab, coverage.have, coverage.need, blocker)


@register
class AuditorIndependenceRequirement(Requirement):
    """`- auditor_independence: internal_audits` with `within_months` (default 12).

    No internal audit of the period (planned ones included) is run by an auditor whose own
    department is among the audited areas, and every one records the auditor's department.
    """

    type_key: ClassVar[str] = "auditor_independence"
    reads: ClassVar[frozenset[str]] = frozenset({"audits"})

    auditor_independence: Literal["internal_audits"]
    within_months: int = Field(default=12, ge=1, le=36)

    def label(self, vocab: Vocabulary) -> LocalizedText:
        """The checklist label."""
        return self.title or LocalizedText(
            en="Internal auditors do not audit their own department",
            ja="内部監査員が自部署を監査していない",
        )

    def evaluate(
        self, snapshot: ProjectSnapshot, ctx: EvaluationContext, vocab: Vocabulary
    ) -> RequirementResult:
        """Independent audits / internal audits as progress; a blocker names each conflict."""
        register_ = snapshot.register("audits", AuditRegister)
        audits = register_.internal_audits_since(months_before(ctx.today, self.within_months))
        faults = [a for a in audits if not a.auditor_department or a.own_areas]
        have, need = len(audits) - len(faults), len(audits)
        if not faults:
            return _result(self, vocab, have, need, None)
        listed = _shown(
            [_conflict_en(a) for a in faults], [_conflict_ja(a) for a in faults], long=True
        )
        blocker = Blocker(
            code=self.type_key,
            message=LocalizedText(
                en=f"auditor_independence: {len(faults)} internal audit(s) not shown to be "
                f"independent of the audited areas: {listed.en}",
                ja=f"監査員の独立性: 監査対象からの独立性が示されていない内部監査が"
                f"{len(faults)}件あります: {listed.ja}",
            ),
            items=tuple(f"{a.key} ({a.auditor})" for a in faults),
        )
        return _result(self, vocab, have, need, blocker)


def _conflict_en(audit: Audit) -> str:
    if not audit.auditor_department:
        return f"{audit.key} by {audit.auditor} (auditor's department not recorded)"
    return (
        f"{audit.key} by {audit.auditor} of {audit.auditor_department}, "
        "who audits their own department"
    )


def _conflict_ja(audit: Audit) -> str:
    if not audit.auditor_department:
        return f"{audit.key}（監査員 {audit.auditor}、所属部署の記録なし）"
    return f"{audit.key}（{audit.auditor_department}の{audit.auditor}が自部署を監査）"


@register
class MajorNonconformitiesRequirement(Requirement):
    """`- major_nonconformities: none_open` — every major nonconformity of any audit has had
    its correction verified (or is closed)."""

    type_key: ClassVar[str] = "major_nonconformities"
    reads: ClassVar[frozenset[str]] = frozenset({"audits"})

    major_nonconformities: Literal["none_open"]

    def label(self, vocab: Vocabulary) -> LocalizedText:
        """The checklist label."""
        return self.title or LocalizedText(
            en="No open major nonconformity (correction verified)",
            ja="未解決の重大な不適合がない（是正の有効性確認済み）",
        )

    def evaluate(
        self, snapshot: ProjectSnapshot, ctx: EvaluationContext, vocab: Vocabulary
    ) -> RequirementResult:
        """Resolved majors / majors as progress; a blocker names each open one."""
        majors = [
            f for f in snapshot.register("audits", AuditRegister).findings if f.grade == "major"
        ]
        unresolved = [f for f in majors if not f.is_resolved]
        have, need = len(majors) - len(unresolved), len(majors)
        if not unresolved:
            return _result(self, vocab, have, need, None)
        listed = _findings(unresolved, status=True)
        blocker = Blocker(
            code=self.type_key,
            message=LocalizedText(
                en=f"major_nonconformities: {len(unresolved)} still open: {listed.en}",
                ja=f"重大な不適合: 未解決のものが{len(unresolved)}件あります: {listed.ja}",
            ),
            items=tuple(f.key for f in unresolved),
        )
        return _result(self, vocab, have, need, blocker)


@register
class MinorNonconformitiesRequirement(Requirement):
    """`- minor_nonconformities: plans_accepted` — every minor nonconformity of any audit has
    an accepted corrective action plan (it may still be in progress)."""

    type_key: ClassVar[str] = "minor_nonconformities"
    reads: ClassVar[frozenset[str]] = frozenset({"audits"})

    minor_nonconformities: Literal["plans_accepted"]

    def label(self, vocab: Vocabulary) -> LocalizedText:
        """The checklist label."""
        return self.title or LocalizedText(
            en="Every minor nonconformity has an accepted corrective action plan",
            ja="すべての軽微な不適合の是正処置計画が承認済み",
        )

    def evaluate(
        self, snapshot: ProjectSnapshot, ctx: EvaluationContext, vocab: Vocabulary
    ) -> RequirementResult:
        """Minors with an accepted plan / minors as progress; a blocker names the others."""
        minors = [
            f for f in snapshot.register("audits", AuditRegister).findings if f.grade == "minor"
        ]
        pending = [f for f in minors if f.status == "open"]
        have, need = len(minors) - len(pending), len(minors)
        if not pending:
            return _result(self, vocab, have, need, None)
        listed = _findings(pending, status=False)
        blocker = Blocker(
            code=self.type_key,
            message=LocalizedText(
                en=f"minor_nonconformities: {len(pending)} without an accepted corrective "
                f"action plan: {listed.en}",
                ja=f"軽微な不適合: 是正処置計画が承認されていないものが{len(pending)}件あります: "
                f"{listed.ja}",
            ),
            items=tuple(f.key for f in pending),
        )
        return _result(self, vocab, have, need, blocker)


@register
class Stage1ConcernsRequirement(Requirement):
    """`- stage1_concerns: resolved` — a Stage 1 audit was performed and each of its findings
    is resolved: a nonconformity corrected (or later), any other finding closed."""

    type_key: ClassVar[str] = "stage1_concerns"
    reads: ClassVar[frozenset[str]] = frozenset({"audits"})

    stage1_concerns: Literal["resolved"]

    def label(self, vocab: Vocabulary) -> LocalizedText:
        """The checklist label."""
        return self.title or LocalizedText(
            en="Stage 1 audit concerns resolved before Stage 2",
            ja="第2段階審査の前に第1段階審査の指摘事項が解決済み",
        )

    def evaluate(
        self, snapshot: ProjectSnapshot, ctx: EvaluationContext, vocab: Vocabulary
    ) -> RequirementResult:
        """Resolved / Stage 1 findings as progress; a blocker names each unresolved one."""
        register_ = snapshot.register("audits", AuditRegister)
        if not any(a.performed_by(ctx.today) for a in register_.audits_of("stage1")):
            blocker = Blocker(
                code=self.type_key,
                message=LocalizedText(
                    en="stage1_concerns: no Stage 1 audit performed yet (record it with "
                    "`isms-flow audits add PROJECT --kind stage1 …`)",
                    ja="第1段階審査の指摘事項: 実施済みの第1段階審査がありません"
                    "（`isms-flow audits add PROJECT --kind stage1 …` で記録）",
                ),
            )
            return _result(self, vocab, 0, 1, blocker)
        findings = register_.findings_of_kind("stage1")
        unresolved = [f for f in findings if not _stage1_resolved(f)]
        have, need = len(findings) - len(unresolved), len(findings)
        if not unresolved:
            return _result(self, vocab, have, need, None)
        listed = _findings(unresolved, status=True)
        blocker = Blocker(
            code=self.type_key,
            message=LocalizedText(
                en=f"stage1_concerns: {len(unresolved)} of {len(findings)} findings of the "
                f"Stage 1 audit not yet resolved: {listed.en}",
                ja=f"第1段階審査の指摘事項: 指摘{len(findings)}件のうち{len(unresolved)}件が"
                f"未解決です: {listed.ja}",
            ),
            items=tuple(f.key for f in unresolved),
        )
        return _result(self, vocab, have, need, blocker)


def _stage1_resolved(finding: Finding) -> bool:
    return finding.is_corrected if finding.is_nonconformity else finding.status == "closed"
