"""The words of reminders and escalations, in English and Japanese."""

from __future__ import annotations

from datetime import date

from isms_flow.i18n import LocalizedText
from isms_flow.schedule.messages import MessageFacts, Outcome, compose, days_phrase

_L = LocalizedText
FACTS = MessageFacts(
    kind="reminder",
    client_name="ACME株式会社",
    project_ref="acme/isms-2026",
    project_title="ISMS certification 2026",
    deadline_key="surveillance_audit:2027",
    deadline_title=_L(en="Surveillance audit", ja="維持審査"),
    due_on=date(2027, 11, 19),
    today=date(2027, 10, 20),
    offset_days=30,
    state_title=_L(en="Certified", ja="認証取得済み"),
    stage_title=_L(en="Surveillance audit 1", ja="第1回維持審査"),
    blockers=(
        _L(en="internal audit: none in the last 12 months", ja="内部監査: 直近12か月に実施なし"),
        _L(en="management review: not held", ja="マネジメントレビュー: 未実施"),
    ),
)


def test_a_reminder_says_what_is_due_when_for_which_project_and_what_is_missing() -> None:
    subject, body = compose(FACTS, "en")

    assert subject == (
        "[isms-flow] Surveillance audit due 2027-11-19 (in 30 days) — ISMS certification 2026"
    )
    assert body.splitlines() == [
        "ACME株式会社 — ISMS certification 2026 (acme/isms-2026)",
        "",
        "Surveillance audit is due on 2027-11-19 (in 30 days).",
        "",
        "What to do: get it done by 2027-11-19 and record it in isms-flow.",
        "",
        "Still missing for “Surveillance audit 1”:",
        "  - internal audit: none in the last 12 months",
        "  - management review: not held",
        "",
        "Current stage: Certified.",
        "Full checklist: isms-flow project status acme/isms-2026",
        "",
        "Reference: surveillance_audit:2027",
    ]


def test_the_same_reminder_in_japanese() -> None:
    subject, body = compose(FACTS, "ja")

    assert (
        subject == "[isms-flow] 維持審査の期限は2027-11-19です（あと30日）— ISMS certification 2026"
    )
    assert "「第1回維持審査」に向けてまだ不足しているもの:" in body
    assert "  - 内部監査: 直近12か月に実施なし" in body
    assert "現在の段階: 認証取得済み" in body


def test_nothing_missing_is_said_plainly_and_a_late_message_says_so() -> None:
    facts = MessageFacts(**{**FACTS.__dict__, "blockers": (), "late": True})
    _, body = compose(facts, "en")
    assert "Nothing is missing for “Surveillance audit 1” any more." in body
    assert "This message is late: it could not be sent when it was due" in body


def test_an_escalation_says_what_the_workflow_did() -> None:
    suspended = _L(en="Certificate suspended", ja="認証の一時停止")
    facts = MessageFacts(
        **{
            **FACTS.__dict__,
            "kind": "escalation",
            "today": date(2027, 11, 20),
            "state_title": suspended,
            "outcome": Outcome(action="fired", trigger_title=_L(en="Suspend", ja="一時停止")),
        }
    )
    subject, body = compose(facts, "en")
    assert subject == (
        "[isms-flow] OVERDUE: Surveillance audit was due 2027-11-19 — ISMS certification 2026"
    )
    assert "Surveillance audit was due on 2027-11-19 and has not been met (1 day overdue)." in body
    assert (
        "As the workflow prescribes, the project was moved: Suspend (now: Certificate suspended)."
        in body
    )
    _, body_ja = compose(facts, "ja")
    assert (
        "ワークフローの定めにより、プロジェクトを移行しました: 一時停止（現在: 認証の一時停止）。"
        in body_ja
    )


def test_a_workflows_own_advice_is_used_as_written_even_with_braces() -> None:
    facts = MessageFacts(
        **{**FACTS.__dict__, "action": _L(en="Book the {CB} auditor", ja="審査員を予約")}
    )
    _, body = compose(facts, "en")
    assert "What to do: Book the {CB} auditor" in body


def test_days_are_counted_in_plain_words() -> None:
    due = date(2027, 3, 1)
    assert days_phrase(due, date(2027, 2, 28), "en") == "in 1 day"
    assert days_phrase(due, due, "en") == "due today"
    assert days_phrase(due, date(2027, 3, 4), "en") == "3 days overdue"
    assert days_phrase(due, date(2027, 3, 4), "ja") == "期限を3日超過"
