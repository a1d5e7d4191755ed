"""Requirement types of the risk register (6.1.2, 6.1.3, 8.2): what an auditor checks of it.

- `risks_scored: all` — the register holds risks and every one is scored on the method. It is
  the type that refuses an empty register: an assessment that found no risk is not credible.
  The other types judge the risks there are (none to judge: met, 0/0), so a stage lists the
  emptiness once, not four times.
- `risks_treated: above_acceptance` — every risk rated above the threshold has a treatment.
- `residual_risks_accepted: by_owners` — every residual risk still above the threshold is
  accepted by its owner at its current rating (a re-scored risk needs a renewed acceptance),
  and every risk under an action (modify, avoid, share) has its residual score.
- `treatments_planned: all` — the risk treatment plan (6.1.3 e) as data: every risk under an
  action (modify, avoid, share) has a treatment owner and a due date, and a modification names
  at least one Annex A control. Retained risks need no plan entry: their owner's acceptance is
  the decision.

Each type reports at most one blocker, `type_key: gap; gap`, naming every risk at fault.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar, Literal

from isms_flow.i18n import LocalizedText
from isms_flow.isms.risk import Risk, RiskRegister
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
    "ResidualRisksAcceptedRequirement",
    "RiskTreatmentPlanRequirement",
    "RisksScoredRequirement",
    "RisksTreatedRequirement",
]

MESSAGE_ITEMS = 20
"""A blocker message names at most this many risks ("… and 5 more"); its items name all."""

_Detail = Callable[[Risk], LocalizedText]


@dataclass(frozen=True)
class _Gap:
    """One kind of gap and the risks showing it; a blocker joins the gaps of its type."""

    risks: Sequence[Risk]
    en: str
    ja: str
    detail: _Detail | None = None


class _RiskRequirement(Requirement):
    reads: ClassVar[frozenset[str]] = frozenset({"risks"})
    _label: ClassVar[LocalizedText]
    _ja_name: ClassVar[str]

    def label(self, vocab: Vocabulary) -> LocalizedText:
        """The checklist label."""
        return self.title or self._label

    def evaluate(
        self,
        snapshot: ProjectSnapshot,
        ctx: EvaluationContext,
        vocab: Vocabulary,
    ) -> RequirementResult:
        """Judge the register part "risks"; pure."""
        return self.judge(snapshot.register("risks", RiskRegister), self.label(vocab))

    def judge(self, register: RiskRegister, label: LocalizedText) -> RequirementResult:
        """The result for this register."""
        raise NotImplementedError

    def result(
        self, label: LocalizedText, have: int, need: int, gaps: Sequence[_Gap]
    ) -> RequirementResult:
        """Met without gaps; otherwise one blocker `type_key: gap; gap` naming every risk."""
        found = [gap for gap in gaps if gap.risks]
        if not found:
            return RequirementResult(label, True, have, need)
        return RequirementResult(label, False, have, need, (self._blocker(found),))

    def _blocker(self, gaps: Sequence[_Gap]) -> Blocker:
        en: list[str] = []
        ja: list[str] = []
        items: list[str] = []
        for gap in gaps:
            named = [(risk.key, gap.detail(risk) if gap.detail else None) for risk in gap.risks]
            items += [f"{key} ({why.en})" if why else key for key, why in named]
            shown, more = named[:MESSAGE_ITEMS], len(named) - MESSAGE_ITEMS
            if gap.detail is None:
                list_en = ", ".join(key for key, _ in shown)
                list_ja = "、".join(key for key, _ in shown)
            else:
                list_en = ", ".join(f"{key} ({why.en})" for key, why in shown if why)
                list_ja = "、".join(f"{key}（{why.ja}）" for key, why in shown if why)
            if more > 0:
                list_en += f" and {more} more"
                list_ja += f" ほか{more}件"
            en.append(f"{gap.en}: {list_en}" if gap.detail else f"{gap.en} ({list_en})")
            ja.append(f"{gap.ja}: {list_ja}" if gap.detail else f"{gap.ja}（{list_ja}）")
        return Blocker(
            code=self.type_key,
            message=LocalizedText(
                en=f"{self.type_key}: " + "; ".join(en),
                ja=f"{self._ja_name}: " + "；".join(ja),
            ),
            items=tuple(items),
        )


@register
class RisksScoredRequirement(_RiskRequirement):
    """`- risks_scored: all` — risks exist and each has likelihood × impact on the method."""

    type_key: ClassVar[str] = "risks_scored"
    _label: ClassVar[LocalizedText] = LocalizedText(
        en="Risks identified and scored (likelihood × impact on the risk method)",
        ja="リスクを特定し評価済み（リスク評価手法による発生可能性×影響度）",
    )
    _ja_name: ClassVar[str] = "リスク評価"
    risks_scored: Literal["all"]

    def judge(self, register: RiskRegister, label: LocalizedText) -> RequirementResult:
        """Scored / all risks; an empty register blocks."""
        risks, method = register.risks, register.method
        if not risks:
            return RequirementResult(label, False, 0, 1, (_EMPTY,))
        unscored = [r for r in risks if r.inherent is None]
        off_scale = [r for r in risks if r.inherent is not None and not method.fits(r.inherent)]
        total, n, m = len(risks), len(unscored), len(off_scale)
        scale = f"{method.likelihood_levels} × {method.impact_levels}"
        gaps = (
            _Gap(
                unscored,
                en=f"{n} of {total} {_risks(total)} {_are(n)} not scored on likelihood × impact",
                ja=f"リスク{total}件のうち{n}件が発生可能性×影響度で評価されていません",
            ),
            _Gap(
                off_scale,
                en=f"{m} {_risks(m)} {_are(m)} scored outside the {scale} risk method and must "
                "be re-scored",
                ja=f"{m}件のリスクの評価値が現在のリスク評価手法（{scale}）の範囲外のため"
                "再評価が必要です",
                detail=_inherent,
            ),
        )
        return self.result(label, total - n - m, total, gaps)


@register
class RisksTreatedRequirement(_RiskRequirement):
    """`- risks_treated: above_acceptance` — a treatment for every risk above the threshold."""

    type_key: ClassVar[str] = "risks_treated"
    _label: ClassVar[LocalizedText] = LocalizedText(
        en="Risks above the acceptance level have a treatment option",
        ja="受容基準を超えるリスクにリスク対応の選択肢を決定済み",
    )
    _ja_name: ClassVar[str] = "リスク対応の決定"
    risks_treated: Literal["above_acceptance"]

    def judge(self, register: RiskRegister, label: LocalizedText) -> RequirementResult:
        """Treated / risks above the threshold."""
        above = [r for r in register.risks if r.needs_treatment(register.method)]
        untreated = [r for r in above if r.treatment is None]
        n, level = len(untreated), register.method.acceptance_threshold
        gap = _Gap(
            untreated,
            en=f"{n} {_risks(n)} above the acceptance level ({level}) {_have(n)} no treatment",
            ja=f"受容基準（{level}）を超えるリスク{n}件にリスク対応が決まっていません",
        )
        return self.result(label, len(above) - n, len(above), (gap,))


@register
class ResidualRisksAcceptedRequirement(_RiskRequirement):
    """`- residual_risks_accepted: by_owners` — owners accept what stays above the threshold."""

    type_key: ClassVar[str] = "residual_risks_accepted"
    _label: ClassVar[LocalizedText] = LocalizedText(
        en="Residual risks above the acceptance level accepted by their owners",
        ja="受容基準を超える残留リスクをリスク所有者が受容済み",
    )
    _ja_name: ClassVar[str] = "残留リスクの受容"
    residual_risks_accepted: Literal["by_owners"]

    def judge(self, register: RiskRegister, label: LocalizedText) -> RequirementResult:
        """Current acceptances / risks needing one (or a residual score first)."""
        method = register.method
        unscored = [r for r in register.risks if r.residual_missing(method)]
        states = {r.key: r.acceptance_state(method) for r in register.risks}
        missing = [r for r in register.risks if states[r.key] == "missing"]
        stale = [r for r in register.risks if states[r.key] == "stale"]
        current = sum(1 for state in states.values() if state == "current")
        u, n, s = len(unscored), len(missing), len(stale)
        gaps = (
            _Gap(
                unscored,
                en=f"{u} treated {_risks(u)} {_have(u)} no residual score on the risk method",
                ja=f"対応を決めたリスク{u}件に残留リスクの評価がありません",
            ),
            _Gap(
                missing,
                en=f"{n} residual {_risks(n)} above the acceptance level {_are(n)} not accepted "
                f"by {'its owner' if n == 1 else 'their owners'}",
                ja=f"受容基準を超える残留リスク{n}件がリスク所有者に受容されていません",
                detail=_owner,
            ),
            _Gap(
                stale,
                en=f"{s} {'acceptance is' if s == 1 else 'acceptances are'} stale and must be "
                "renewed by the owner",
                ja=f"{s}件のリスク受容が古くなっており、所有者による再受容が必要です",
                detail=lambda risk: risk.stale_reason(method) or _NO_REASON,
            ),
        )
        return self.result(label, current, current + u + n + s, gaps)


@register
class RiskTreatmentPlanRequirement(_RiskRequirement):
    """`- treatments_planned: all` — every action has an owner, a due date and controls."""

    type_key: ClassVar[str] = "treatments_planned"
    _label: ClassVar[LocalizedText] = LocalizedText(
        en="Risk treatment plan complete (Annex A controls, treatment owner, due date)",
        ja="リスク対応計画が完成（附属書A管理策・対応責任者・期限）",
    )
    _ja_name: ClassVar[str] = "リスク対応計画"
    treatments_planned: Literal["all"]

    def judge(self, register: RiskRegister, label: LocalizedText) -> RequirementResult:
        """Complete plan entries / risks under an action (modify, avoid, share)."""
        acting = [r for r in register.risks if r.acts]
        incomplete = [r for r in acting if r.plan_gaps()]
        n = len(incomplete)
        gap = _Gap(
            incomplete,
            en=f"{n} {_treatments(n)} {_are(n)} not fully planned",
            ja=f"リスク対応{n}件の計画が不完全です",
            detail=_plan_gaps,
        )
        return self.result(label, len(acting) - n, len(acting), (gap,))


_EMPTY = Blocker(
    code="risks_scored",
    message=LocalizedText(
        en="risks_scored: the risk register has no risks; an auditor does not accept an "
        "assessment that found none (add them with `isms-flow risks add PROJECT` or "
        "`isms-flow risks import PROJECT FILE`)",
        ja="リスク評価: リスク台帳にリスクが1件もありません。リスクのないアセスメントは"
        "審査で認められません（`isms-flow risks add PROJECT` または "
        "`isms-flow risks import PROJECT FILE` で登録）",
    ),
)
_NO_REASON = LocalizedText(en="changed since", ja="受容後に変更")


def _inherent(risk: Risk) -> LocalizedText:
    score = risk.inherent
    likelihood, impact = (score.likelihood, score.impact) if score else (0, 0)
    return LocalizedText(
        en=f"likelihood {likelihood}, impact {impact}",
        ja=f"発生可能性{likelihood}、影響度{impact}",
    )


def _owner(risk: Risk) -> LocalizedText:
    return LocalizedText(en=f"owner {risk.owner}", ja=f"所有者 {risk.owner}")


def _plan_gaps(risk: Risk) -> LocalizedText:
    gaps = risk.plan_gaps()
    return LocalizedText(en=", ".join(gap.en for gap in gaps), ja="、".join(gap.ja for gap in gaps))


def _treatments(count: int) -> str:
    return "treatment" if count == 1 else "treatments"


def _risks(count: int) -> str:
    return "risk" if count == 1 else "risks"


def _are(count: int) -> str:
    return "is" if count == 1 else "are"


def _have(count: int) -> str:
    return "has" if count == 1 else "have"
