"""Shared builders for the unit tests: a tiny workflow text, evidence facts, a fixed day."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from isms_flow.i18n import LocalizedText
from isms_flow.workflow.requirements import Vocabulary
from isms_flow.workflow.snapshot import Approval, EvaluationContext, EvidenceFact

TODAY = date(2026, 4, 1)
NOW = datetime(2026, 4, 1, 0, 30, tzinfo=UTC)
CTX = EvaluationContext(now=NOW, today=TODAY)

# Line numbers matter: the validation tests assert them. Keep this text as it is.
MINI_WORKFLOW = """\
format: 1
name: mini
version: 1
title: {en: Mini workflow, ja: ミニワークフロー}
initial: start
roles:
  boss: {en: Boss, ja: 上司}
evidence_kinds:
  plan: {en: Project plan, ja: 計画書}
states:
  - name: start
    title: {en: Start, ja: 開始}
    requires:
      - evidence: plan
        approved_by_role: boss
  - name: done
    title: {en: Done, ja: 完了}
    final: true
transitions:
  - trigger: finish
    source: start
    dest: done
    title: {en: Finish, ja: 終える}
"""


def mini_workflow(*, name: str = "mini", version: int = 1) -> str:
    """MINI_WORKFLOW under another name or version (same line numbers)."""
    return edit(
        edit(MINI_WORKFLOW, "name: mini", f"name: {name}"), "version: 1", f"version: {version}"
    )


def edit(text: str, old: str, new: str) -> str:
    """Replace the one occurrence of `old`; fail loudly when the text no longer has it."""
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


VOCAB = Vocabulary(
    kinds={
        "policy": LocalizedText(en="Information security policy", ja="情報セキュリティ方針"),
        "cb_quote": LocalizedText(en="Certification body quote", ja="認証機関の見積書"),
        "audit_report": LocalizedText(en="Internal audit report", ja="内部監査報告書"),
    },
    roles={
        "top_management": LocalizedText(en="Top management", ja="トップマネジメント"),
        "isms_manager": LocalizedText(en="ISMS manager", ja="ISMS管理責任者"),
        "internal_auditor": LocalizedText(en="Internal auditor", ja="内部監査員"),
    },
)


def approval(role: str, by: str = "someone") -> Approval:
    """An approval given an hour before NOW."""
    return Approval(by=by, role=role, at=NOW - timedelta(hours=1))


def fact(
    kind: str,
    name: str,
    *,
    version: int = 1,
    document_id: int = 1,
    effective_date: date = TODAY,
    valid_until: date | None = None,
    approved_by: tuple[str, ...] = (),
) -> EvidenceFact:
    """The current version of one document; `approved_by` lists the approving roles."""
    return EvidenceFact(
        document_id=document_id,
        kind=kind,
        name=name,
        version=version,
        uploaded_at=NOW - timedelta(days=1),
        effective_date=effective_date,
        valid_until=valid_until,
        approvals=tuple(approval(role) for role in approved_by),
    )
