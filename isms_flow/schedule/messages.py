"""The words of a reminder or an escalation, in English and Japanese. Pure: facts in, text out.

A message says what is due, when, for which project, what to do, and what is still missing
for it (the blockers of the deadline's stage). The dispatcher gathers the facts; this module
only writes them down.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from isms_flow.i18n import Language, LocalizedText

__all__ = ["MessageFacts", "Outcome", "compose", "days_phrase"]

_L = LocalizedText


@dataclass(frozen=True)
class Outcome:
    """What the workflow did when the deadline passed: `fired`, `not_applicable`,
    `escalated` or `none`, with the trigger and the stage the project was in or went to."""

    action: str
    trigger_title: LocalizedText | None = None
    state_title: LocalizedText | None = None


@dataclass(frozen=True)
class MessageFacts:
    """Everything a message mentions, already looked up."""

    kind: str  # reminder or escalation
    client_name: str
    project_ref: str
    project_title: str
    deadline_key: str
    deadline_title: LocalizedText
    due_on: date
    today: date  # where the client is, when the message is written
    offset_days: int
    state_title: LocalizedText  # where the project is now
    stage_title: LocalizedText | None = None  # the stage whose blockers are listed
    blockers: tuple[LocalizedText, ...] = ()
    action: LocalizedText | None = None  # what to do, when the workflow says
    outcome: Outcome | None = None  # escalations only
    late: bool = False


def days_phrase(due_on: date, today: date, lang: Language) -> str:
    """ "in 30 days", "today", "3 days overdue" (and in Japanese)."""
    days = (due_on - today).days
    if days == 0:
        return _TEXT["today"].in_(lang)
    if days > 0:
        return _TEXT["days_left"].in_(lang).format(days=days, s="" if days == 1 else "s")
    late = -days
    return _TEXT["days_overdue"].in_(lang).format(days=late, s="" if late == 1 else "s")


def compose(facts: MessageFacts, lang: Language) -> tuple[str, str]:
    """The subject and plain-text body of one notification in `lang`."""
    title = facts.deadline_title.in_(lang)
    when = days_phrase(facts.due_on, facts.today, lang)
    words = {"title": title, "due": facts.due_on.isoformat(), "when": when}
    subject_key = "subject_escalation" if facts.kind == "escalation" else "subject_reminder"
    subject = _TEXT[subject_key].in_(lang).format(**words, project=facts.project_title)
    lines = [
        f"{facts.client_name} — {facts.project_title} ({facts.project_ref})",
        "",
        _TEXT[f"{facts.kind}_lead"].in_(lang).format(**words),
    ]
    if facts.outcome is not None:
        lines.append(_outcome_line(facts.outcome, facts.state_title, lang))
    # A workflow's own wording is used as written (it may contain braces); ours is a template.
    default = _TEXT["default_action"].in_(lang).format(**words)
    todo = facts.action.in_(lang) if facts.action else default
    lines += ["", _TEXT["what_to_do"].in_(lang).format(action=todo)]
    lines += _missing(facts, lang)
    lines += ["", _TEXT["current_stage"].in_(lang).format(stage=facts.state_title.in_(lang))]
    lines.append(_TEXT["check_status"].in_(lang).format(ref=facts.project_ref))
    if facts.late:
        lines.append(_TEXT["late"].in_(lang))
    lines += ["", _TEXT["reference"].in_(lang).format(key=facts.deadline_key)]
    return subject, "\n".join(lines) + "\n"


def _missing(facts: MessageFacts, lang: Language) -> list[str]:
    if facts.stage_title is None:
        return []
    stage = facts.stage_title.in_(lang)
    if not facts.blockers:
        return ["", _TEXT["nothing_missing"].in_(lang).format(stage=stage)]
    heading = _TEXT["still_missing"].in_(lang).format(stage=stage)
    return ["", heading, *(f"  - {blocker.in_(lang)}" for blocker in facts.blockers)]


def _outcome_line(outcome: Outcome, now_at: LocalizedText, lang: Language) -> str:
    trigger = outcome.trigger_title.in_(lang) if outcome.trigger_title else ""
    stage = (outcome.state_title or now_at).in_(lang)
    return _TEXT[f"outcome_{outcome.action}"].in_(lang).format(trigger=trigger, stage=stage)


_TEXT: dict[str, LocalizedText] = {
    "today": _L(en="due today", ja="本日が期限"),
    "days_left": _L(en="in {days} day{s}", ja="あと{days}日"),
    "days_overdue": _L(en="{days} day{s} overdue", ja="期限を{days}日超過"),
    "subject_reminder": _L(
        en="[isms-flow] {title} due {due} ({when}) — {project}",
        ja="[isms-flow] {title}の期限は{due}です（{when}）— {project}",
    ),
    "subject_escalation": _L(
        en="[isms-flow] OVERDUE: {title} was due {due} — {project}",
        ja="[isms-flow] 期限超過: {title}（期限 {due}）— {project}",
    ),
    "reminder_lead": _L(
        en="{title} is due on {due} ({when}).", ja="{title}の期限は{due}です（{when}）。"
    ),
    "escalation_lead": _L(
        en="{title} was due on {due} and has not been met ({when}).",
        ja="{title}の期限は{due}でしたが、まだ完了していません（{when}）。",
    ),
    "outcome_fired": _L(
        en="As the workflow prescribes, the project was moved: {trigger} (now: {stage}).",
        ja="ワークフローの定めにより、プロジェクトを移行しました: {trigger}（現在: {stage}）。",
    ),
    "outcome_not_applicable": _L(
        en="The workflow prescribes '{trigger}', but the project is at {stage}, where that does "
        "not apply; nothing was changed.",
        ja="ワークフローは「{trigger}」を定めていますが、プロジェクトは{stage}にあり適用できない"
        "ため、変更していません。",
    ),
    "outcome_escalated": _L(
        en="You receive this as an escalation contact of the client: please act now.",
        ja="クライアントのエスカレーション先としてお知らせしています。至急対応してください。",
    ),
    "outcome_none": _L(
        en="The workflow prescribes no automatic step; please act now.",
        ja="ワークフローに自動の対応はありません。至急対応してください。",
    ),
    "what_to_do": _L(en="What to do: {action}", ja="対応: {action}"),
    "default_action": _L(
        en="get it done by {due} and record it in isms-flow.",
        ja="{due}までに完了し、isms-flowに記録してください。",
    ),
    "still_missing": _L(
        en="Still missing for “{stage}”:", ja="「{stage}」に向けてまだ不足しているもの:"
    ),
    "nothing_missing": _L(
        en="Nothing is missing for “{stage}” any more.",
        ja="「{stage}」に向けて不足しているものはありません。",
    ),
    "current_stage": _L(en="Current stage: {stage}.", ja="現在の段階: {stage}"),
    "check_status": _L(
        en="Full checklist: isms-flow project status {ref}",
        ja="チェックリスト全体: isms-flow project status {ref}",
    ),
    "late": _L(
        en="This message is late: it could not be sent when it was due (the scheduler was "
        "stopped, or delivery failed and was retried).",
        ja="このお知らせは予定より遅れて送信されました（スケジューラの停止中だったか、送信に失敗して"
        "再試行しました）。",
    ),
    "reference": _L(en="Reference: {key}", ja="参照: {key}"),
}
