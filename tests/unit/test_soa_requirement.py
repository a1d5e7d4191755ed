"""The `soa_complete` requirement: progress over 93 controls and one blocker naming every gap."""

from __future__ import annotations

from collections.abc import Iterable

import pytest

from isms_flow.isms.annex_a import annex_a_controls
from isms_flow.isms.requirements.soa import SoaCompleteRequirement
from isms_flow.isms.soa import Decision, Soa, SoaEntry, decision_problems
from isms_flow.workflow.requirements import RequirementResult, parse_requirement
from isms_flow.workflow.snapshot import ProjectSnapshot
from tests.unit.factories import CTX, VOCAB

GUARD = SoaCompleteRequirement(soa_complete=True)
ALL_IDS = tuple(c.id for c in annex_a_controls())
LABEL_EN = "Statement of Applicability: every Annex A control decided and justified"


def applicable(control_id: str, justification: str = "Risk treatment plan 2026") -> SoaEntry:
    """An implemented, justified applicable entry."""
    return SoaEntry(control_id, True, justification, "implemented")


def excluded(control_id: str, justification: str = "No server room of our own") -> SoaEntry:
    """A justified exclusion."""
    return SoaEntry(control_id, False, justification)


def soa_of(*entries: SoaEntry, rest_applicable: bool = True, skip: Iterable[str] = ()) -> Soa:
    """All 93 controls applicable except the entries given and the ids skipped (undecided)."""
    given = {e.control_id: e for e in entries}
    left_out = set(skip)
    stored = {
        control_id: given.get(control_id) or applicable(control_id)
        for control_id in ALL_IDS
        if control_id not in left_out and (rest_applicable or control_id in given)
    }
    return Soa(stored)


def evaluate(soa: Soa, risk_controls: Iterable[str] = ()) -> RequirementResult:
    """Evaluate on CTX with these register parts."""
    snapshot = ProjectSnapshot(
        state="risk_assessment",
        registers={"soa": soa, "risk_controls": frozenset(risk_controls)},
    )
    return GUARD.evaluate(snapshot, CTX, VOCAB)


def test_parsed_from_the_workflow_file_as_true_and_reads_the_soa_and_the_risk_controls() -> None:
    assert parse_requirement({"soa_complete": True}) == GUARD
    assert SoaCompleteRequirement.reads == frozenset({"soa", "risk_controls"})
    assert GUARD.label(VOCAB).en == LABEL_EN
    assert GUARD.label(VOCAB).ja == (
        "適用宣言書: すべての附属書A管理策の適用・除外が理由とともに決定されている"
    )


@pytest.mark.parametrize(
    "raw",
    [{"soa_complete": False}, {"soa_complete": {}}, {"soa_complete": True, "threshold": 90}],
)
def test_any_other_form_is_refused(raw: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="soa_complete"):
        parse_requirement(raw)


def test_met_when_every_control_is_decided_justified_and_risk_controls_are_applicable() -> None:
    result = evaluate(soa_of(excluded("7.4"), excluded("7.6")), risk_controls={"5.15", "8.12"})
    assert (result.met, result.have, result.need, result.blockers) == (True, 93, 93, ())
    assert result.label.en == LABEL_EN


def test_an_empty_soa_says_where_to_start_and_names_all_93_as_items() -> None:
    result = evaluate(Soa())
    assert (result.met, result.have, result.need) == (False, 0, 93)
    (blocker,) = result.blockers
    assert blocker.code == "soa_complete"
    assert blocker.message.en == (
        "soa_complete: no Annex A control decided yet (0 of 93; start with "
        "`isms-flow soa init PROJECT`, then `soa decide` or `soa import`)"
    )
    assert blocker.message.ja == (
        "適用宣言書: 附属書A管理策がまだ1つも決定されていません（0/93。"
        "`isms-flow soa init PROJECT` の後、`soa decide` または `soa import` で決定）"
    )
    assert blocker.items == ALL_IDS


def test_undecided_controls_are_all_listed_by_id_in_numeric_order() -> None:
    result = evaluate(soa_of(skip=["8.28", "5.7", "5.23", "5.30"]))
    assert (result.met, result.have, result.need) == (False, 89, 93)
    (blocker,) = result.blockers
    assert blocker.message.en == (
        "soa_complete: 4 of 93 Annex A controls undecided: 5.7, 5.23, 5.30, 8.28"
    )
    assert (
        blocker.message.ja
        == "適用宣言書: 附属書A管理策93項目のうち4項目が未決定: 5.7、5.23、5.30、8.28"
    )
    assert blocker.items == ("5.7", "5.23", "5.30", "8.28")


def test_a_long_list_of_undecided_controls_is_not_cut_short() -> None:
    result = evaluate(soa_of(applicable("5.1"), rest_applicable=False))
    (blocker,) = result.blockers
    assert blocker.message.en.startswith("soa_complete: 92 of 93 Annex A controls undecided: 5.2, ")
    assert blocker.message.en.endswith(", 8.33, 8.34")
    assert len(blocker.items) == 92


def test_unjustified_decisions_and_a_missing_status_are_named_with_exact_ids() -> None:
    soa = soa_of(
        excluded("7.4", ""),
        excluded("7.6", "  "),
        applicable("5.1", ""),
        SoaEntry("8.11", True, "Staging holds personal data", None),
    )
    result = evaluate(soa)
    assert (result.met, result.have, result.need) == (False, 93, 93)
    (blocker,) = result.blockers
    assert blocker.message.en == (
        "soa_complete: 2 excluded controls without a justification: 7.4, 7.6; "
        "1 applicable control without a justification: 5.1; "
        "1 applicable control without an implementation status: 8.11"
    )
    assert blocker.message.ja == (
        "適用宣言書: 除外の理由がない除外管理策2項目: 7.4、7.6；"
        "適用の理由がない適用管理策1項目: 5.1；"
        "実施状況がない適用管理策1項目: 8.11"
    )
    assert blocker.items == ("5.1", "7.4", "7.6", "8.11")


def test_a_control_chosen_for_a_risk_treatment_must_be_applicable() -> None:
    soa = soa_of(excluded("7.4"), excluded("7.12"), skip=["8.12"])
    result = evaluate(soa, risk_controls={"A.7.4", "8.12", "5.15"})
    (blocker,) = result.blockers
    assert blocker.message.en == (
        "soa_complete: 1 of 93 Annex A controls undecided: 8.12; "
        "2 controls chosen in a risk treatment are not applicable: 7.4 (excluded), 8.12 (undecided)"
    )
    assert blocker.message.ja == (
        "適用宣言書: 附属書A管理策93項目のうち1項目が未決定: 8.12；"
        "リスク対応で選んだ管理策のうち適用になっていないもの2項目: 7.4（除外）、8.12（未決定）"
    )
    assert blocker.items == ("7.4", "8.12")


def test_a_complete_looking_soa_still_fails_on_one_excluded_risk_control() -> None:
    result = evaluate(soa_of(excluded("7.4")), risk_controls={"7.4"})
    assert (result.met, result.have, result.need) == (False, 93, 93)
    assert result.blockers[0].message.en == (
        "soa_complete: 1 control chosen in a risk treatment is not applicable: 7.4 (excluded)"
    )


def test_a_decision_needs_a_justification_either_way_and_a_status_when_applicable() -> None:
    assert decision_problems(Decision(True, "Needed", "partial", ("R-004",), (3,))) == []
    assert decision_problems(Decision(False, "No server room")) == []
    assert decision_problems(Decision(True, " ")) == [
        "an applicable control needs a justification",
        "an applicable control needs an implementation status (planned, partial, implemented)",
    ]
    assert decision_problems(Decision(False, "", "implemented", ("R-001",))) == [
        "an excluded control needs a justification",
        "an excluded control has no implementation status",
        "an excluded control treats no risk (linked to R-001)",
    ]
