"""Requirement type `scope`: the project has recorded its certification scope."""

from __future__ import annotations

from typing import ClassVar, Literal

from isms_flow.i18n import LocalizedText
from isms_flow.workflow.requirements.base import (
    Blocker,
    Requirement,
    RequirementResult,
    Vocabulary,
    register,
)
from isms_flow.workflow.snapshot import EvaluationContext, ProjectSnapshot

__all__ = ["ScopeRequirement"]

_LABEL = LocalizedText(
    en="Certification scope recorded (whole organization or named departments/sites)",
    ja="認証の適用範囲が記録されている（組織全体または部署・拠点）",
)


@register
class ScopeRequirement(Requirement):
    """`- scope: defined` — the whole organization or at least one named unit is in scope."""

    type_key: ClassVar[str] = "scope"
    scope: Literal["defined"]

    def label(self, vocab: Vocabulary) -> LocalizedText:
        """The checklist label."""
        return self.title or _LABEL

    def evaluate(
        self,
        snapshot: ProjectSnapshot,
        ctx: EvaluationContext,
        vocab: Vocabulary,
    ) -> RequirementResult:
        """Met when a scope is recorded."""
        scope = snapshot.scope
        if scope is not None and (scope.whole_organization or scope.units):
            return RequirementResult(self.label(vocab), met=True, have=1, need=1)
        blocker = Blocker(
            code="scope",
            message=LocalizedText(
                en="scope: no certification scope recorded "
                "(set it with `isms-flow project scope PROJECT --whole` or `--unit NAME`)",
                ja="適用範囲: 認証の適用範囲が記録されていません"
                "（`isms-flow project scope PROJECT --whole` または `--unit 名前` で設定）",
            ),
        )
        return RequirementResult(self.label(vocab), met=False, have=0, need=1, blockers=(blocker,))
