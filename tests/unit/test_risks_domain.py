"""Risks as the register judges them: residual ratings, stale acceptances, flags, edits, matrix."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from isms_flow.isms.risk import Acceptance, Risk, RiskMethod, RiskRegister, Score
from isms_flow.isms.risk_edit import RiskEdit, apply_edit, risk_problems
from isms_flow.isms.risk_matrix import risk_matrix
from tests.unit.factories import NOW

METHOD = RiskMethod()
LATER = NOW + timedelta(days=3)


def treated(**changes: object) -> Risk:
    """R-001 scored 4×4, modified with 8.13 by suzuki.it, residual 2×4, accepted at 8."""
    risk = Risk(
        key="R-001",
        threat="Ransomware",
        vulnerability="Backups online",
        owner="suzuki.it",
        inherent=Score(4, 4),
        scored_at=NOW,
        treatment="modify",
        controls=("8.13",),
        treatment_owner="suzuki.it",
        treatment_due=date(2026, 6, 30),
        residual=Score(2, 4),
        acceptance=Acceptance(by="suzuki.it", at=NOW, rating=8),
    )
    return replace(risk, **changes)  # type: ignore[arg-type]


def test_an_acceptance_of_the_current_rating_holds() -> None:
    risk = treated()
    assert risk.residual_rating(METHOD) == 8
    assert risk.acceptance_state(METHOD) == "current"
    assert risk.stale_reason(METHOD) is None
    assert risk.flags(METHOD) == ()


def test_a_residual_re_scored_to_another_rating_makes_the_acceptance_stale() -> None:
    risk = apply_edit(
        treated(), RiskEdit(given=frozenset({"residual"}), residual=Score(3, 4)), LATER
    )
    assert risk.scored_at == LATER
    assert risk.acceptance_state(METHOD) == "stale"
    reason = risk.stale_reason(METHOD)
    assert reason is not None
    assert (reason.en, reason.ja) == ("accepted at rating 8, now 12", "受容時の評価値8、現在12")
    assert risk.flags(METHOD) == ("acceptance_stale",)


def test_re_scoring_the_inherent_risk_after_acceptance_makes_it_stale_too() -> None:
    risk = apply_edit(
        treated(), RiskEdit(given=frozenset({"inherent"}), inherent=Score(5, 4)), LATER
    )
    assert risk.residual_rating(METHOD) == 8  # unchanged, yet judged on an old assessment
    reason = risk.stale_reason(METHOD)
    assert reason is not None
    assert reason.en == "re-scored after suzuki.it accepted it"
    assert reason.ja == "suzuki.itの受容後に再評価"


def test_an_edit_that_changes_no_score_does_not_move_scored_at() -> None:
    same = RiskEdit(given=frozenset({"residual", "owner"}), residual=Score(2, 4), owner="suzuki.it")
    assert apply_edit(treated(), same, LATER) == treated()


def test_a_new_owner_has_not_accepted_anything() -> None:
    risk = treated(owner="tanaka.ceo")
    reason = risk.stale_reason(METHOD)
    assert reason is not None
    assert reason.en == "accepted by suzuki.it, the owner is now tanaka.ceo"
    assert risk.acceptance_state(METHOD) == "stale"


def test_residual_at_or_below_the_threshold_needs_no_acceptance() -> None:
    risk = treated(residual=Score(2, 3), acceptance=None)
    assert risk.acceptance_state(METHOD) == "not_needed"


def test_a_retained_risk_keeps_its_rating_as_residual_and_needs_acceptance_above_it() -> None:
    risk = treated(treatment="retain", controls=(), residual=None, acceptance=None)
    assert risk.residual_rating(METHOD) == 16
    assert risk.acceptance_state(METHOD) == "missing"
    assert risk.plan_gaps() == ()  # retaining is the owner's decision, not a plan action
    assert risk.flags(METHOD) == ("acceptance_missing",)


def test_an_action_without_its_residual_score_cannot_be_accepted_yet() -> None:
    risk = treated(residual=None, acceptance=None)
    assert risk.residual_rating(METHOD) is None
    assert risk.residual_missing(METHOD)
    assert risk.acceptance_state(METHOD) == "not_needed"
    assert risk.flags(METHOD) == ("no_residual",)


def test_flags_of_unscored_untreated_and_incomplete_plans() -> None:
    assert treated(inherent=None, residual=None).flags(METHOD) == ("unscored",)
    assert treated(inherent=Score(6, 6)).flags(METHOD) == ("off_scale",)
    untreated = treated(treatment=None, controls=(), treatment_owner=None, treatment_due=None)
    untreated = replace(untreated, residual=None, acceptance=None)
    assert untreated.flags(METHOD) == ("untreated",)
    vague = treated(controls=(), treatment_owner=None, treatment_due=None)
    assert vague.flags(METHOD) == ("plan_incomplete",)
    assert [gap.en for gap in vague.plan_gaps()] == [
        "no Annex A control",
        "no treatment owner",
        "no due date",
    ]
    assert [gap.ja for gap in vague.plan_gaps()] == [
        "附属書A管理策なし",
        "対応責任者なし",
        "期限なし",
    ]


def test_sharing_and_avoiding_need_an_owner_and_a_date_but_no_control() -> None:
    assert treated(treatment="share", controls=()).plan_gaps() == ()
    gaps = treated(treatment="avoid", controls=(), treatment_due=None).plan_gaps()
    assert [gap.en for gap in gaps] == ["no due date"]


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"threat": " "}, "the threat must not be empty"),
        ({"treatment": "retain", "residual": None}, "retain keeps the risk as it is: it takes no"),
        (
            {"treatment": "retain", "controls": ()},
            "retain keeps the risk as it is: its residual score is its score 4×4=16",
        ),
        ({"residual": Score(4, 5)}, "residual rating 20 is above the rating 16 before treatment"),
        ({"inherent": None}, "score the risk before its residual risk"),
        (
            {"treatment": None, "residual": None, "acceptance": None},
            "controls, treatment owner, due date and residual score belong to a treatment",
        ),
        ({"inherent": Score(6, 1)}, "score 6×1=6 is outside the risk method's scales 1–5 × 1–5"),
    ],
)
def test_self_contradicting_risks_are_refused(changes: dict[str, object], problem: str) -> None:
    assert risk_problems(treated(), METHOD) == ()
    problems = risk_problems(treated(**changes), METHOD)
    assert any(p.startswith(problem) for p in problems), problems


def test_the_matrix_places_risks_by_inherent_or_residual_score() -> None:
    register = RiskRegister(
        method=RiskMethod(3, 3, 2),
        risks=(
            Risk("R-001", "t", "", "a", inherent=Score(3, 3), treatment="modify",
                 residual=Score(1, 2)),
            Risk("R-002", "t", "", "a", inherent=Score(3, 3), treatment="retain"),
            Risk("R-003", "t", "", "a", inherent=Score(2, 1), treatment="modify"),
            Risk("R-004", "t", "", "a"),
        ),
    )  # fmt: skip
    inherent = risk_matrix(register)
    assert [[cell.count for cell in row] for row in inherent.rows] == [
        [0, 0, 2],
        [1, 0, 0],
        [0, 0, 0],
    ]
    assert inherent.rows[0][2].keys == ("R-001", "R-002")
    assert (inherent.rows[0][2].rating, inherent.rows[0][2].acceptable) == (9, False)
    assert inherent.unplaced == ("R-004",)
    residual = risk_matrix(register, residual=True)
    assert [[cell.count for cell in row] for row in residual.rows] == [
        [0, 0, 1],
        [0, 0, 0],
        [0, 1, 0],
    ]
    assert residual.unplaced == ("R-003", "R-004")  # R-003's result is not scored yet
    assert residual.placed == 2


def test_the_register_names_the_controls_its_treatments_chose() -> None:
    register = RiskRegister(
        risks=(treated(), treated(key="R-002", controls=("5.15", "8.13")), treated(treatment=None))
    )
    assert register.chosen_controls() == frozenset({"5.15", "8.13"})
