"""Bilingual labels of the command line's own tables and messages."""

from __future__ import annotations

from isms_flow.i18n import Language, LocalizedText

__all__ = ["label"]

_L = LocalizedText

_LABELS: dict[str, LocalizedText] = {
    "actor": _L(en="Actor", ja="実施者"),
    "approvals": _L(en="Approvals", ja="承認"),
    "at": _L(en="At", ja="日時"),
    "blocked": _L(en="blocked", ja="ブロック中"),
    "blockers": _L(en="What is missing", ja="不足しているもの"),
    "client": _L(en="Client", ja="クライアント"),
    "dest": _L(en="Goes to", ja="遷移先"),
    "effective": _L(en="Effective", ja="対象日"),
    "event": _L(en="Event", ja="イベント"),
    "evidence": _L(en="Evidence", ja="証跡"),
    "file": _L(en="File", ja="ファイル"),
    "id": _L(en="ID", ja="ID"),
    "kind": _L(en="Kind", ja="種類"),
    "key": _L(en="Key", ja="キー"),
    "language": _L(en="Language", ja="言語"),
    "met": _L(en="met", ja="充足"),
    "missing": _L(en="missing", ja="不足"),
    "name": _L(en="Name", ja="名前"),
    "no_requirements": _L(en="This stage has no requirements.", ja="この段階に要件はありません。"),
    "open": _L(en="open", ja="実行可"),
    "override": _L(en="Override", ja="オーバーライド"),
    "pending_overrides": _L(en="Overrides waiting for approval", ja="承認待ちのオーバーライド"),
    "project": _L(en="Project", ja="プロジェクト"),
    "projects": _L(en="Projects", ja="プロジェクト数"),
    "reason": _L(en="Reason", ja="理由"),
    "requested_by": _L(en="Requested by", ja="申請者"),
    "requirement": _L(en="Requirement", ja="要件"),
    "requirements": _L(en="Requirements of this stage", ja="この段階の要件"),
    "scope": _L(en="Scope", ja="適用範囲"),
    "seq": _L(en="#", ja="#"),
    "stage": _L(en="Stage", ja="段階"),
    "state": _L(en="State", ja="状態"),
    "status": _L(en="Status", ja="状況"),
    "summary": _L(en="Summary", ja="内容"),
    "timezone": _L(en="Time zone", ja="タイムゾーン"),
    "title": _L(en="Title", ja="タイトル"),
    "trigger": _L(en="Trigger", ja="トリガー"),
    "triggers": _L(en="What can happen next", ja="次に実行できること"),
    "valid_until": _L(en="Valid until", ja="有効期限"),
    "version": _L(en="Version", ja="版"),
    "workflow": _L(en="Workflow", ja="ワークフロー"),
    "final": _L(en="final", ja="最終"),
    "expired": _L(en="expired", ja="期限切れ"),
    "workflow_changed": _L(
        en="warning: the workflow file of this version changed since the project started; "
        "publish changed rules as a new version",
        ja="注意: プロジェクト開始後にこの版のワークフローファイルが変更されました。"
        "規則を変える場合は新しい版として公開してください",
    ),
}


def label(key: str, lang: Language) -> str:
    """The label `key` in `lang`."""
    return _LABELS[key].in_(lang)
