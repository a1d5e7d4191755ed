"""Requirement type `evidence`: enough current documents of a kind, approved and not expired."""

from __future__ import annotations

from datetime import timedelta
from typing import ClassVar

from pydantic import Field

from isms_flow.i18n import LocalizedText
from isms_flow.workflow.requirements.base import (
    Blocker,
    Requirement,
    RequirementResult,
    Vocabulary,
    register,
)
from isms_flow.workflow.snapshot import EvaluationContext, EvidenceFact, ProjectSnapshot

__all__ = ["EvidenceRequirement"]


@register
class EvidenceRequirement(Requirement):
    """`- evidence: KIND` with optional `min_count`, `approved`, `approved_by_role`, `max_age_days`.

    Only the current version of each document counts; a version past its `valid_until` date
    never counts.
    """

    type_key: ClassVar[str] = "evidence"
    evidence: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    min_count: int = Field(default=1, ge=1)
    approved: bool = False
    approved_by_role: str | None = Field(default=None, pattern=r"^[a-z][a-z0-9_]*$")
    max_age_days: int | None = Field(default=None, ge=1)

    def evidence_kinds(self) -> tuple[str, ...]:
        """The one kind this requirement reads."""
        return (self.evidence,)

    def roles(self) -> tuple[str, ...]:
        """The approving role, if any."""
        return (self.approved_by_role,) if self.approved_by_role else ()

    def label(self, vocab: Vocabulary) -> LocalizedText:
        """E.g. `Information security policy (approved by Top management)`."""
        if self.title is not None:
            return self.title
        kind = vocab.kind(self.evidence)
        en, ja = [kind.en], [kind.ja]
        if self.min_count > 1:
            en.append(f"at least {self.min_count}")
            ja.append(f"{self.min_count}件以上")
        if self.approved_by_role:
            role = vocab.role(self.approved_by_role)
            en.append(f"approved by {role.en}")
            ja.append(f"{role.ja}の承認")
        elif self.approved:
            en.append("approved")
            ja.append("承認済み")
        if self.max_age_days:
            en.append(f"dated within {self.max_age_days} days")
            ja.append(f"{self.max_age_days}日以内の日付")
        if len(en) == 1:
            return kind
        return LocalizedText(
            en=f"{en[0]} ({', '.join(en[1:])})", ja=f"{ja[0]}（{'、'.join(ja[1:])}）"
        )

    def evaluate(
        self,
        snapshot: ProjectSnapshot,
        ctx: EvaluationContext,
        vocab: Vocabulary,
    ) -> RequirementResult:
        """Count the documents that qualify; name every one that does not, and why."""
        documents = snapshot.evidence_of(self.evidence)
        faults = {doc.label: self._faults(doc, ctx, vocab) for doc in documents}
        qualifying = sum(1 for reasons in faults.values() if not reasons)
        label = self.label(vocab)
        if qualifying >= self.min_count:
            return RequirementResult(label, met=True, have=qualifying, need=self.min_count)
        return RequirementResult(
            label,
            met=False,
            have=qualifying,
            need=self.min_count,
            blockers=(self._blocker(vocab, qualifying, faults),),
        )

    def _faults(
        self, doc: EvidenceFact, ctx: EvaluationContext, vocab: Vocabulary
    ) -> list[LocalizedText]:
        faults: list[LocalizedText] = []
        if doc.valid_until is not None and doc.valid_until < ctx.today:
            faults.append(
                LocalizedText(
                    en=f"expired on {doc.valid_until.isoformat()}",
                    ja=f"{doc.valid_until.isoformat()}に有効期限切れ",
                )
            )
        if self.max_age_days is not None:
            oldest = ctx.today - timedelta(days=self.max_age_days)
            if doc.effective_date < oldest:
                faults.append(
                    LocalizedText(
                        en=f"dated {doc.effective_date.isoformat()}, "
                        f"older than {self.max_age_days} days",
                        ja=f"日付{doc.effective_date.isoformat()}が{self.max_age_days}日より古い",
                    )
                )
        if self.approved_by_role is not None:
            if not any(a.role == self.approved_by_role for a in doc.approvals):
                role = vocab.role(self.approved_by_role)
                faults.append(
                    LocalizedText(en=f"not approved by {role.en}", ja=f"{role.ja}の承認がない")
                )
        elif self.approved and not doc.approvals:
            faults.append(LocalizedText(en="not approved", ja="未承認"))
        return faults

    def _blocker(
        self, vocab: Vocabulary, qualifying: int, faults: dict[str, list[LocalizedText]]
    ) -> Blocker:
        kind = vocab.kind(self.evidence)
        at_fault = {name: reasons for name, reasons in faults.items() if reasons}
        if not faults:
            en = f"{self.evidence}: no {kind.en} uploaded"
            ja = f"{self.evidence}: {kind.ja}が提出されていません"
            if self.min_count > 1:
                en += f" ({self.min_count} required)"
                ja += f"（{self.min_count}件必要）"
        else:
            en_detail = "; ".join(
                f"{name}: {', '.join(r.en for r in reasons)}" for name, reasons in at_fault.items()
            )
            ja_detail = "；".join(
                f"{name}: {'、'.join(r.ja for r in reasons)}" for name, reasons in at_fault.items()
            )
            en = f"{self.evidence}: {qualifying} of {self.min_count} required {kind.en} qualify"
            ja = f"{self.evidence}: {kind.ja}の要件を満たすもの {qualifying}/{self.min_count}件"
            if en_detail:
                en += f" — {en_detail}"
                ja += f" — {ja_detail}"
        return Blocker(
            code=self.evidence,
            message=LocalizedText(en=en, ja=ja),
            items=tuple(at_fault),
        )
