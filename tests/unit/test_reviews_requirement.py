"""`management_review: complete`: met and unmet, with the exact blockers in both languages."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from isms_flow.errors import BadInput
from isms_flow.isms.requirements.reviews import ManagementReviewRequirement
from isms_flow.isms.reviews import (
    REVIEW_INPUTS,
    Attendee,
    Decision,
    ManagementReview,
    ReviewRegister,
    parse_attendee,
    parse_decision,
    parse_input,
)
from isms_flow.workflow.requirements import RequirementResult, parse_requirement
from isms_flow.workflow.snapshot import ProjectSnapshot
from tests.unit.factories import CTX, TODAY, VOCAB

CEO = Attendee("田中 誠", "CEO", top_management=True)
MANAGER = Attendee("佐藤 由美", "ISMS manager")
ALL_NOTES = tuple((key, f"notes on {key}") for key in REVIEW_INPUTS)
DECISION = Decision("Automate access reviews", "improvement", "鈴木", TODAY + timedelta(90))


def review(
    *,
    rid: int = 1,
    held_on: date = TODAY - timedelta(days=10),
    attendees: tuple[Attendee, ...] = (CEO, MANAGER),
    inputs: tuple[tuple[str, str], ...] = ALL_NOTES,
    decisions: tuple[Decision, ...] = (DECISION,),
) -> ManagementReview:
    return ManagementReview(rid, held_on, attendees, inputs, decisions)


def evaluate(*reviews: ManagementReview, within_days: int = 365) -> RequirementResult:
    requirement = ManagementReviewRequirement(management_review="complete", within_days=within_days)
    snapshot = ProjectSnapshot(
        state="management_review", registers={"reviews": ReviewRegister.of(reviews)}
    )
    return requirement.evaluate(snapshot, CTX, VOCAB)


def texts(result: RequirementResult) -> list[tuple[str, str]]:
    return [(b.message.en, b.message.ja) for b in result.blockers]


def test_a_complete_recent_review_meets_it_with_nine_of_nine() -> None:
    result = evaluate(review())
    assert (result.met, result.have, result.need, result.blockers) == (True, 9, 9, ())
    assert result.label.en == (
        "Management review within 365 days: 9.3.2 inputs a–g considered, top management "
        "present, decisions recorded"
    )
    assert result.label.ja == (
        "365日以内のマネジメントレビュー: 9.3.2の入力a〜gを検討、トップマネジメントが出席、"
        "決定事項を記録"
    )


def test_no_review_at_all() -> None:
    result = evaluate()
    assert (result.met, result.have, result.need) == (False, 0, 9)
    assert texts(result) == [
        (
            "management_review: no management review recorded (record one with "
            "`isms-flow review add PROJECT`)",
            "マネジメントレビュー: マネジメントレビューが記録されていません"
            "（`isms-flow review add PROJECT` で記録）",
        )
    ]


def test_missing_inputs_are_named_with_their_labels() -> None:
    notes = tuple(pair for pair in ALL_NOTES if pair[0] not in {"c", "e"})
    result = evaluate(review(inputs=notes, held_on=date(2026, 3, 20)))
    assert (result.met, result.have, result.need) == (False, 7, 9)
    assert texts(result) == [
        (
            "management_review: the review of 2026-03-20 has no notes on 2 of the 7 inputs of "
            "9.3.2: c (changes in needs and expectations of interested parties); "
            "e (feedback from interested parties)",
            "マネジメントレビュー: 2026-03-20のレビューで9.3.2の入力7項目のうち2項目の記録が"
            "ありません: c（利害関係者のニーズ・期待の変化）、e（利害関係者からのフィードバック）",
        )
    ]
    assert result.blockers[0].items == ("c", "e")


def test_blank_notes_do_not_count_as_considered() -> None:
    notes = (*ALL_NOTES[:6], ("g", "   "))
    result = evaluate(review(inputs=notes))
    assert result.blockers[0].items == ("g",)


def test_a_review_without_top_management_names_who_was_there() -> None:
    result = evaluate(
        review(attendees=(MANAGER, Attendee("山田 直樹", "")), held_on=date(2026, 3, 20))
    )
    assert (result.met, result.have) == (False, 8)
    assert texts(result) == [
        (
            "management_review: no one from top management attended the review of 2026-03-20 "
            "(attendees: 佐藤 由美 (ISMS manager), 山田 直樹)",
            "マネジメントレビュー: 2026-03-20のレビューにトップマネジメントが出席していません"
            "（出席者: 佐藤 由美 (ISMS manager)、山田 直樹）",
        )
    ]


def test_a_review_without_decisions_is_not_complete() -> None:
    result = evaluate(review(decisions=(), held_on=date(2026, 3, 20)))
    assert (result.met, result.have) == (False, 8)
    assert texts(result) == [
        (
            "management_review: the review of 2026-03-20 recorded no decisions on continual "
            "improvement or changes to the ISMS (9.3.3)",
            "マネジメントレビュー: 2026-03-20のレビューに継続的改善やISMSの変更に関する決定が"
            "記録されていません（9.3.3）",
        )
    ]


def test_every_gap_is_its_own_blocker() -> None:
    result = evaluate(review(inputs=(), attendees=(MANAGER,), decisions=()))
    assert (result.have, result.need) == (0, 9)
    assert len(result.blockers) == 3
    assert result.blockers[0].items == tuple(REVIEW_INPUTS)


def test_a_review_older_than_the_window_does_not_count() -> None:
    held = TODAY - timedelta(days=366)
    result = evaluate(review(held_on=held))
    assert (result.met, result.have) == (False, 0)
    assert texts(result) == [
        (
            f"management_review: the latest management review, held on {held}, is 366 days "
            "old; one within 365 days is required",
            f"マネジメントレビュー: 直近のマネジメントレビュー（{held}実施）から366日経過して"
            "います。365日以内の実施が必要です",
        )
    ]
    assert evaluate(review(held_on=TODAY - timedelta(days=365))).met


def test_the_latest_review_is_judged_not_an_earlier_complete_one() -> None:
    earlier = review(rid=1, held_on=TODAY - timedelta(days=100))
    latest = review(rid=2, held_on=TODAY - timedelta(days=5), decisions=())
    result = evaluate(latest, earlier)
    assert not result.met
    assert "recorded no decisions" in result.blockers[0].message.en


def test_a_review_dated_after_today_is_not_the_latest() -> None:
    future = review(rid=2, held_on=TODAY + timedelta(days=3), decisions=())
    assert evaluate(review(rid=1), future).met


def test_the_window_is_a_parameter_of_the_workflow_file() -> None:
    parsed = parse_requirement({"management_review": "complete", "within_days": 180})
    assert isinstance(parsed, ManagementReviewRequirement)
    assert parsed.reads == frozenset({"reviews"})
    assert not evaluate(review(held_on=TODAY - timedelta(days=200)), within_days=180).met
    with pytest.raises(ValueError, match="management_review requirement: within_days"):
        parse_requirement({"management_review": "complete", "within_days": 0})
    with pytest.raises(ValueError, match="management_review requirement: management_review"):
        parse_requirement({"management_review": "done"})


# parsing what a user types


def test_inputs_are_item_equals_notes() -> None:
    assert parse_input("c = Two customers ask for 72-hour notice") == (
        "c",
        "Two customers ask for 72-hour notice",
    )
    assert parse_input("9.3.2 C)=x") == ("c", "x")
    with pytest.raises(BadInput, match=r"unknown 9.3.2 input 'h' \(known: a, b, c, d, e, f, g\)"):
        parse_input("h=something")
    with pytest.raises(BadInput, match="input c has no notes; leave it out"):
        parse_input("c=  ")
    with pytest.raises(BadInput, match="must be ITEM=NOTES"):
        parse_input("c notes")


def test_attendees_and_decisions_are_pipe_separated() -> None:
    assert parse_attendee("田中 誠 | CEO", top_management=True) == CEO
    assert parse_attendee("山田 直樹", top_management=False) == Attendee("山田 直樹", "")
    assert parse_decision("Add CI to the scope | 佐藤 | 2026-06-30", "change") == Decision(
        "Add CI to the scope", "change", "佐藤", date(2026, 6, 30)
    )
    assert parse_decision("Phishing drill each quarter", "improvement") == Decision(
        "Phishing drill each quarter", "improvement"
    )
    with pytest.raises(BadInput, match="due date '30/06' is not a date"):
        parse_decision("x | y | 30/06", "change")
    with pytest.raises(BadInput, match="has more than 2 parts"):
        parse_attendee("a | b | c", top_management=False)
    with pytest.raises(BadInput, match="starts with an empty name"):
        parse_attendee(" | CEO", top_management=True)
