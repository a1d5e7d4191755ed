"""The four risk guards, met and unmet, with their exact blockers in English and Japanese."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from isms_flow.isms.requirements.risks import MESSAGE_ITEMS
from isms_flow.isms.risk import Acceptance, Risk, RiskMethod, RiskRegister, Score
from isms_flow.workflow.requirements import RequirementResult, Vocabulary, parse_requirement
from isms_flow.workflow.snapshot import ProjectSnapshot
from tests.unit.factories import CTX, NOW

VOCAB = Vocabulary(kinds={}, roles={})
SCORED = {"risks_scored": "all"}
TREATED = {"risks_treated": "above_acceptance"}
ACCEPTED = {"residual_risks_accepted": "by_owners"}
PLAN = {"treatments_planned": "all"}


def judge(raw: dict[str, str], *risks: Risk, method: RiskMethod | None = None) -> RequirementResult:
    """Evaluate the requirement `raw` against a register holding `risks`."""
    register = RiskRegister(method=method or RiskMethod(), risks=risks)
    snapshot = ProjectSnapshot(state="risk_assessment", registers={"risks": register})
    return parse_requirement(raw).evaluate(snapshot, CTX, VOCAB)


def risk(key: str, owner: str = "suzuki.it", **changes: object) -> Risk:
    """A risk scored 4×4 (16), modified with 8.13, residual 2×2 (4): it passes every guard."""
    base = Risk(
        key=key,
        threat="Ransomware",
        vulnerability="",
        owner=owner,
        inherent=Score(4, 4),
        scored_at=NOW,
        treatment="modify",
        controls=("8.13",),
        treatment_owner=owner,
        treatment_due=date(2026, 6, 30),
        residual=Score(2, 2),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def only_blocker(result: RequirementResult) -> tuple[str, str]:
    assert not result.met
    (blocker,) = result.blockers
    return blocker.message.en, blocker.message.ja


@pytest.mark.parametrize("raw", [SCORED, TREATED, ACCEPTED, PLAN])
def test_a_complete_register_meets_every_guard(raw: dict[str, str]) -> None:
    result = judge(raw, risk("R-001"), risk("R-002", inherent=Score(1, 2), treatment=None,
                                            controls=(), treatment_owner=None,
                                            treatment_due=None, residual=None))  # fmt: skip
    assert result.met
    assert result.blockers == ()


def test_labels_name_what_an_auditor_checks() -> None:
    labels = [parse_requirement(raw).label(VOCAB) for raw in (SCORED, TREATED, ACCEPTED, PLAN)]
    assert [label.en for label in labels] == [
        "Risks identified and scored (likelihood × impact on the risk method)",
        "Risks above the acceptance level have a treatment option",
        "Residual risks above the acceptance level accepted by their owners",
        "Risk treatment plan complete (Annex A controls, treatment owner, due date)",
    ]
    assert labels[3].ja == "リスク対応計画が完成（附属書A管理策・対応責任者・期限）"


def test_an_empty_register_blocks_scoring_with_a_clear_message() -> None:
    result = judge(SCORED)
    assert (result.have, result.need) == (0, 1)
    assert only_blocker(result) == (
        "risks_scored: the risk register has no risks; an auditor does not accept an "
        "assessment that found none (add them with `isms-flow risks add PROJECT` or "
        "`isms-flow risks import PROJECT FILE`)",
        "リスク評価: リスク台帳にリスクが1件もありません。リスクのないアセスメントは"
        "審査で認められません（`isms-flow risks add PROJECT` または "
        "`isms-flow risks import PROJECT FILE` で登録）",
    )
    for raw in (TREATED, ACCEPTED, PLAN):  # the emptiness is said once, by risks_scored
        assert judge(raw).met


def test_unscored_and_off_scale_risks_are_named() -> None:
    result = judge(
        SCORED,
        risk("R-001", inherent=Score(3, 2), residual=Score(1, 2)),
        risk("R-002", inherent=None, residual=None),
        risk("R-003", inherent=Score(5, 4), residual=None),
        risk("R-004", inherent=None, residual=None),
        method=RiskMethod(3, 3, 3),
    )
    assert (result.have, result.need) == (1, 4)
    assert only_blocker(result) == (
        "risks_scored: 2 of 4 risks are not scored on likelihood × impact (R-002, R-004); "
        "1 risk is scored outside the 3 × 3 risk method and must be re-scored: "
        "R-003 (likelihood 5, impact 4)",
        "リスク評価: リスク4件のうち2件が発生可能性×影響度で評価されていません（R-002、R-004）；"
        "1件のリスクの評価値が現在のリスク評価手法（3 × 3）の範囲外のため再評価が必要です: "
        "R-003（発生可能性5、影響度4）",
    )
    assert result.blockers[0].items == ("R-002", "R-004", "R-003 (likelihood 5, impact 4)")


def test_risks_above_the_acceptance_level_without_treatment_are_named() -> None:
    bare = {"treatment": None, "controls": (), "treatment_owner": None, "treatment_due": None}
    result = judge(
        TREATED,
        risk("R-004", residual=None, **bare),
        risk("R-005"),
        risk("R-011", inherent=Score(3, 3), residual=None, **bare),
        risk("R-012", inherent=Score(2, 3), residual=None, **bare),  # 6: acceptable as it is
        risk("R-017", inherent=Score(5, 5), residual=None, **bare),
    )
    assert (result.have, result.need) == (1, 4)
    assert only_blocker(result) == (
        "risks_treated: 3 risks above the acceptance level (6) have no treatment "
        "(R-004, R-011, R-017)",
        "リスク対応の決定: 受容基準（6）を超えるリスク3件にリスク対応が決まっていません"
        "（R-004、R-011、R-017）",
    )


def test_missing_residual_scores_missing_and_stale_acceptances_are_named() -> None:
    accepted = Acceptance(by="suzuki.it", at=NOW, rating=8)
    result = judge(
        ACCEPTED,
        risk("R-001", residual=Score(2, 4), acceptance=accepted),  # current
        risk("R-002", residual=None),  # no residual score yet
        risk("R-003", owner="tanaka.ceo", treatment="retain", controls=(), residual=None),
        risk("R-004", residual=Score(3, 4), acceptance=accepted),  # re-scored: 12 ≠ 8
        risk("R-005", residual=Score(2, 4), acceptance=accepted,
             scored_at=NOW + timedelta(hours=1)),
    )  # fmt: skip
    assert (result.have, result.need) == (1, 5)
    assert only_blocker(result) == (
        "residual_risks_accepted: 1 treated risk has no residual score on the risk method "
        "(R-002); 1 residual risk above the acceptance level is not accepted by its owner: "
        "R-003 (owner tanaka.ceo); 2 acceptances are stale and must be renewed by the owner: "
        "R-004 (accepted at rating 8, now 12), R-005 (re-scored after suzuki.it accepted it)",
        "残留リスクの受容: 対応を決めたリスク1件に残留リスクの評価がありません（R-002）；"
        "受容基準を超える残留リスク1件がリスク所有者に受容されていません: "
        "R-003（所有者 tanaka.ceo）；"
        "2件のリスク受容が古くなっており、所有者による再受容が必要です: "
        "R-004（受容時の評価値8、現在12）、R-005（suzuki.itの受容後に再評価）",
    )


def test_an_untreated_risk_is_left_to_the_treatment_guard() -> None:
    bare = {"treatment": None, "controls": (), "treatment_owner": None, "treatment_due": None}
    result = judge(ACCEPTED, risk("R-001", residual=None, **bare))
    assert (result.met, result.have, result.need) == (True, 0, 0)


def test_an_incomplete_treatment_plan_names_what_each_risk_lacks() -> None:
    result = judge(
        PLAN,
        risk("R-001"),
        risk("R-002", controls=(), treatment_due=None),
        risk("R-003", treatment="share", controls=(), treatment_owner=None),
        risk("R-004", treatment="retain", controls=(), treatment_owner=None, residual=None),
    )
    assert (result.have, result.need) == (1, 3)
    assert only_blocker(result) == (
        "treatments_planned: 2 treatments are not fully planned: "
        "R-002 (no Annex A control, no due date), R-003 (no treatment owner)",
        "リスク対応計画: リスク対応2件の計画が不完全です: "
        "R-002（附属書A管理策なし、期限なし）、R-003（対応責任者なし）",
    )


def test_a_long_list_is_cut_in_the_message_but_complete_in_the_items() -> None:
    many = [risk(f"R-{n:03d}", inherent=None, residual=None) for n in range(1, 26)]
    result = judge(SCORED, *many)
    message = result.blockers[0].message
    assert message.en.endswith("R-019, R-020 and 5 more)")
    assert message.ja.endswith("R-019、R-020 ほか5件）")
    assert len(result.blockers[0].items) == 25 > MESSAGE_ITEMS


def test_guards_read_only_the_risks_part() -> None:
    for raw in (SCORED, TREATED, ACCEPTED, PLAN):
        assert parse_requirement(raw).reads == frozenset({"risks"})
    with pytest.raises(ValueError, match="risks_scored requirement: risks_scored"):
        parse_requirement({"risks_scored": "some"})
