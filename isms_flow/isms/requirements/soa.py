"""Requirement type `soa_complete`: the SoA decides every Annex A control, each justified, and
marks applicable every control a risk treatment chose (6.1.3 c/d)."""

from __future__ import annotations

from typing import ClassVar, Literal

from isms_flow.i18n import LocalizedText
from isms_flow.isms.soa import Soa, SoaGaps, soa_gaps
from isms_flow.workflow.requirements.base import (
    Blocker,
    Requirement,
    RequirementResult,
    Vocabulary,
    register,
)
from isms_flow.workflow.snapshot import EvaluationContext, ProjectSnapshot

__all__ = ["SoaCompleteRequirement", "soa_blocker"]

_CODE = "soa_complete"
_LABEL = LocalizedText(
    en="Statement of Applicability: every Annex A control decided and justified",
    ja="適用宣言書: すべての附属書A管理策の適用・除外が理由とともに決定されている",
)


@register
class SoaCompleteRequirement(Requirement):
    """`- soa_complete: true` (the only form; `true` is the one value accepted).

    Progress is decided controls / catalog controls (e.g. 71/93). Met when every control is
    applicable or excluded, each with a justification, every applicable one has an
    implementation status, and every control chosen in a risk treatment (register part
    "risk_controls") is applicable.
    """

    type_key: ClassVar[str] = _CODE
    reads: ClassVar[frozenset[str]] = frozenset({"soa", "risk_controls"})

    soa_complete: Literal[True]

    def label(self, vocab: Vocabulary) -> LocalizedText:
        """The checklist label."""
        return self.title or _LABEL

    def evaluate(
        self,
        snapshot: ProjectSnapshot,
        ctx: EvaluationContext,
        vocab: Vocabulary,
    ) -> RequirementResult:
        """Decided / 93 as progress; one blocker naming every control at fault."""
        soa = snapshot.register("soa", Soa)
        risk_controls = snapshot.register("risk_controls", frozenset)
        gaps = soa_gaps(soa, (str(control) for control in risk_controls))
        label = self.label(vocab)
        if gaps.complete:
            return RequirementResult(label, True, gaps.decided, gaps.total)
        return RequirementResult(label, False, gaps.decided, gaps.total, (soa_blocker(gaps),))


def soa_blocker(gaps: SoaGaps) -> Blocker:
    """The one blocker of an incomplete SoA: each kind of gap with its exact control ids."""
    en: list[str] = []
    ja: list[str] = []
    if gaps.decided == 0:
        en.append(
            f"no Annex A control decided yet (0 of {gaps.total}; start with "
            "`isms-flow soa init PROJECT`, then `soa decide` or `soa import`)"
        )
        ja.append(
            f"附属書A管理策がまだ1つも決定されていません（0/{gaps.total}。"
            "`isms-flow soa init PROJECT` の後、`soa decide` または `soa import` で決定）"
        )
    elif gaps.undecided:
        count = len(gaps.undecided)
        en.append(f"{count} of {gaps.total} Annex A controls undecided: {_en(gaps.undecided)}")
        ja.append(f"附属書A管理策{gaps.total}項目のうち{count}項目が未決定: {_ja(gaps.undecided)}")
    for ids, kind, lack, ja_what in (
        (
            gaps.unjustified_exclusions,
            "excluded",
            "without a justification",
            "除外の理由がない除外管理策",
        ),
        (
            gaps.unjustified_inclusions,
            "applicable",
            "without a justification",
            "適用の理由がない適用管理策",
        ),
        (
            gaps.without_status,
            "applicable",
            "without an implementation status",
            "実施状況がない適用管理策",
        ),
    ):
        if ids:
            n = len(ids)
            en.append(f"{_count(n).replace(' ', f' {kind} ', 1)} {lack}: {_en(ids)}")
            ja.append(f"{ja_what}{n}項目: {_ja(ids)}")
    conflicts = gaps.risk_controls_not_applicable
    if conflicts:
        n = len(conflicts)
        verb = "is" if n == 1 else "are"
        en.append(
            f"{_count(n)} chosen in a risk treatment {verb} not applicable: "
            + ", ".join(f"{c} ({'excluded' if v is False else 'undecided'})" for c, v in conflicts)
        )
        ja.append(
            f"リスク対応で選んだ管理策のうち適用になっていないもの{n}項目: "
            + "、".join(f"{c}（{'除外' if v is False else '未決定'}）" for c, v in conflicts)
        )
    return Blocker(
        code=_CODE,
        message=LocalizedText(
            en=f"{_CODE}: " + "; ".join(en),
            ja="適用宣言書: " + "；".join(ja),
        ),
        items=gaps.items,
    )


def _count(n: int) -> str:
    return f"{n} control" if n == 1 else f"{n} controls"


def _en(ids: tuple[str, ...]) -> str:
    return ", ".join(ids)


def _ja(ids: tuple[str, ...]) -> str:
    return "、".join(ids)
