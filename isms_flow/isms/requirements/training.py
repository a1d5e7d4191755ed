"""Requirement type `training_coverage`: enough of the in-scope staff hold a current training
completion (7.2 competence, 7.3 awareness), naming everyone who does not."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from isms_flow.i18n import LocalizedText
from isms_flow.isms.training import Coverage, PersonCoverage, TrainingRegister, coverage
from isms_flow.workflow.requirements.base import (
    Blocker,
    Requirement,
    RequirementResult,
    Vocabulary,
    register,
)
from isms_flow.workflow.snapshot import EvaluationContext, ProjectSnapshot

__all__ = ["MESSAGE_NAMES", "TrainingCoverageRequirement"]

MESSAGE_NAMES = 20
"""A blocker message names at most this many people ("… and 25 more"); its items name all."""

_CODE = "training_coverage"


@register
class TrainingCoverageRequirement(Requirement):
    """`- training_coverage: in_scope_staff` with optional `threshold` and `course`.

    `threshold` is the percentage of in-scope staff (joined on or before today, not left) who
    must be covered, default 100. `course` names the course that counts; without it a current
    completion of any course of the register counts, because course keys belong to each
    project's register, not to the shared workflow file.
    """

    type_key: ClassVar[str] = _CODE
    reads: ClassVar[frozenset[str]] = frozenset({"training"})

    training_coverage: Literal["in_scope_staff"]
    threshold: int = Field(default=100, ge=1, le=100)
    course: str | None = Field(default=None, pattern=r"^[a-z][a-z0-9_-]*$")

    def label(self, vocab: Vocabulary) -> LocalizedText:
        """E.g. `Training: in-scope staff with a current completion (100% required)`."""
        if self.title is not None:
            return self.title
        if self.course is None:
            return LocalizedText(
                en=f"Training: in-scope staff with a current completion ({self.threshold}% "
                "required)",
                ja=f"教育訓練: 有効な受講記録がある適用範囲内の要員（{self.threshold}%以上）",
            )
        return LocalizedText(
            en=f"Training '{self.course}': in-scope staff with a current completion "
            f"({self.threshold}% required)",
            ja=f"教育訓練「{self.course}」: 有効な受講記録がある適用範囲内の要員"
            f"（{self.threshold}%以上）",
        )

    def evaluate(
        self,
        snapshot: ProjectSnapshot,
        ctx: EvaluationContext,
        vocab: Vocabulary,
    ) -> RequirementResult:
        """Covered / in-scope staff as progress; a blocker names each person missing."""
        training = snapshot.register("training", TrainingRegister)
        label = self.label(vocab)
        if self.course is not None and training.course(self.course) is None:
            return RequirementResult(label, False, 0, 1, (self._unknown_course(),))
        result = coverage(training, ctx.today, self.course)
        if result.counted == 0:
            return RequirementResult(label, False, 0, 1, (_EMPTY_ROSTER,))
        if result.meets(self.threshold):
            return RequirementResult(label, True, result.covered, result.counted)
        blocker = self._short_of(result)
        return RequirementResult(label, False, result.covered, result.counted, (blocker,))

    def _unknown_course(self) -> Blocker:
        return Blocker(
            code=_CODE,
            message=LocalizedText(
                en=f"training_coverage: course '{self.course}' is not in the course list "
                f"(add it with `isms-flow training course-add PROJECT {self.course} TITLE`)",
                ja=f"教育訓練: コース「{self.course}」がコース一覧にありません"
                f"（`isms-flow training course-add PROJECT {self.course} TITLE` で追加）",
            ),
            items=(str(self.course),),
        )

    def _short_of(self, result: Coverage) -> Blocker:
        missing = result.missing
        course_en = f" of '{self.course}'" if self.course else ""
        course_ja = f"「{self.course}」の" if self.course else ""
        shown, more = missing[:MESSAGE_NAMES], len(missing) - MESSAGE_NAMES
        names_en = "; ".join(_describe_en(person) for person in shown)
        names_ja = "、".join(_describe_ja(person) for person in shown)
        if more > 0:
            names_en += f"; and {more} more"
            names_ja += f"、ほか{more}名"
        return Blocker(
            code=_CODE,
            message=LocalizedText(
                en=f"training_coverage: {result.covered} of {result.counted} in-scope staff "
                f"({result.percent}%) have a current training completion{course_en}, "
                f"{self.threshold}% required; {len(missing)} missing: {names_en}",
                ja=f"教育訓練: 適用範囲内の要員{result.counted}名のうち{course_ja}有効な受講記録"
                f"があるのは{result.covered}名（{result.percent}%）、必要なのは"
                f"{self.threshold}%以上。未受講{len(missing)}名: {names_ja}",
            ),
            items=tuple(
                f"{p.member.employee_id} {p.member.name} ({p.member.department})" for p in missing
            ),
        )


_EMPTY_ROSTER = Blocker(
    code=_CODE,
    message=LocalizedText(
        en="training_coverage: no in-scope staff on the roster (add them with "
        "`isms-flow training staff-add` or `isms-flow training staff-import`)",
        ja="教育訓練: 名簿に適用範囲内の要員がいません（`isms-flow training staff-add` または "
        "`isms-flow training staff-import` で登録）",
    ),
)


def _describe_en(person: PersonCoverage) -> str:
    name = f"{person.member.name} ({person.member.department}"
    if person.valid_until is None:
        return f"{name}, no completion)"
    return f"{name}, expired after {person.valid_until.isoformat()})"


def _describe_ja(person: PersonCoverage) -> str:
    name = f"{person.member.name}（{person.member.department}"
    if person.valid_until is None:
        return f"{name}、受講記録なし）"
    return f"{name}、{person.valid_until.isoformat()}で期限切れ）"
