"""Requirement type `management_review`: the latest management review is recent and complete —
every 9.3.2 input considered, top management present, decisions recorded (9.3.3)."""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Literal

from pydantic import Field

from isms_flow.i18n import LocalizedText
from isms_flow.isms.reviews import REVIEW_INPUTS, ManagementReview, ReviewRegister, input_label
from isms_flow.workflow.requirements.base import (
    Blocker,
    Requirement,
    RequirementResult,
    Vocabulary,
    register,
)
from isms_flow.workflow.snapshot import EvaluationContext, ProjectSnapshot

__all__ = ["ManagementReviewRequirement"]

_CODE = "management_review"
_JA = "マネジメントレビュー"
_CHECKS = len(REVIEW_INPUTS) + 2  # the seven inputs, top management present, a decision


@register
class ManagementReviewRequirement(Requirement):
    """`- management_review: complete` with optional `within_days` (default 365).

    Reads the latest review held on or before today. Progress counts nine checks: the seven
    inputs a–g, top management present, at least one decision.
    """

    type_key: ClassVar[str] = _CODE
    reads: ClassVar[frozenset[str]] = frozenset({"reviews"})

    management_review: Literal["complete"]
    within_days: int = Field(default=365, ge=1, le=3660)

    def label(self, vocab: Vocabulary) -> LocalizedText:
        """The checklist label, naming the window."""
        if self.title is not None:
            return self.title
        return LocalizedText(
            en=f"Management review within {self.within_days} days: 9.3.2 inputs a–g considered, "
            "top management present, decisions recorded",
            ja=f"{self.within_days}日以内のマネジメントレビュー: 9.3.2の入力a〜gを検討、"
            "トップマネジメントが出席、決定事項を記録",
        )

    def evaluate(
        self,
        snapshot: ProjectSnapshot,
        ctx: EvaluationContext,
        vocab: Vocabulary,
    ) -> RequirementResult:
        """Nine checks on the latest review; one blocker per kind of gap, naming the items."""
        label = self.label(vocab)
        review = snapshot.register("reviews", ReviewRegister).latest(ctx.today)
        if review is None:
            return RequirementResult(label, False, 0, _CHECKS, (_NONE,))
        age = (ctx.today - review.held_on).days
        if age > self.within_days:
            return RequirementResult(label, False, 0, _CHECKS, (self._too_old(review, age),))
        blockers: list[Blocker] = []
        missing = review.missing_inputs
        if missing:
            blockers.append(_missing_inputs(review.held_on, missing))
        if not review.top_management:
            blockers.append(_no_top_management(review))
        if not review.decisions:
            blockers.append(_no_decisions(review.held_on))
        have = len(REVIEW_INPUTS) - len(missing)
        have += bool(review.top_management) + bool(review.decisions)
        return RequirementResult(label, not blockers, have, _CHECKS, tuple(blockers))

    def _too_old(self, review: ManagementReview, age: int) -> Blocker:
        held = review.held_on.isoformat()
        return Blocker(
            code=_CODE,
            message=LocalizedText(
                en=f"management_review: the latest management review, held on {held}, is "
                f"{age} days old; one within {self.within_days} days is required",
                ja=f"{_JA}: 直近のマネジメントレビュー（{held}実施）から{age}日経過しています。"
                f"{self.within_days}日以内の実施が必要です",
            ),
            items=(held,),
        )


_NONE = Blocker(
    code=_CODE,
    message=LocalizedText(
        en="management_review: no management review recorded (record one with "
        "`isms-flow review add PROJECT`)",
        ja=f"{_JA}: マネジメントレビューが記録されていません（`isms-flow review add PROJECT` で"
        "記録）",
    ),
)


def _missing_inputs(held_on: date, missing: tuple[str, ...]) -> Blocker:
    labels = [input_label(key) for key in missing]
    total = len(REVIEW_INPUTS)
    return Blocker(
        code=_CODE,
        message=LocalizedText(
            en=f"management_review: the review of {held_on.isoformat()} has no notes on "
            f"{len(missing)} of the {total} inputs of 9.3.2: "
            + "; ".join(text.en for text in labels),
            ja=f"{_JA}: {held_on.isoformat()}のレビューで9.3.2の入力{total}項目のうち"
            f"{len(missing)}項目の記録がありません: " + "、".join(text.ja for text in labels),
        ),
        items=missing,
    )


def _no_top_management(review: ManagementReview) -> Blocker:
    held = review.held_on.isoformat()
    present = ", ".join(person.describe() for person in review.attendees)
    present_ja = "、".join(person.describe() for person in review.attendees)
    return Blocker(
        code=_CODE,
        message=LocalizedText(
            en=f"management_review: no one from top management attended the review of {held} "
            f"(attendees: {present})",
            ja=f"{_JA}: {held}のレビューにトップマネジメントが出席していません"
            f"（出席者: {present_ja}）",
        ),
        items=(held,),
    )


def _no_decisions(held_on: date) -> Blocker:
    held = held_on.isoformat()
    return Blocker(
        code=_CODE,
        message=LocalizedText(
            en=f"management_review: the review of {held} recorded no decisions on continual "
            "improvement or changes to the ISMS (9.3.3)",
            ja=f"{_JA}: {held}のレビューに継続的改善やISMSの変更に関する決定が記録されていません"
            "（9.3.3）",
        ),
        items=(held,),
    )
