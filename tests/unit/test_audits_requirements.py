"""The audit guards, met and unmet, with the exact blocker texts in English and Japanese."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from isms_flow.isms.audits import CLAUSES, Audit, AuditRegister, all_controls
from isms_flow.isms.findings import Finding
from isms_flow.isms.requirements.audits import (
    AuditorIndependenceRequirement,
    InternalAuditCoverageRequirement,
    MajorNonconformitiesRequirement,
    MinorNonconformitiesRequirement,
    Stage1ConcernsRequirement,
)
from isms_flow.workflow.requirements import Requirement, RequirementResult, parse_requirement
from isms_flow.workflow.snapshot import ProjectSnapshot
from tests.unit.factories import CTX, VOCAB

COVERAGE = parse_requirement(
    {"internal_audit_coverage": "clauses_and_applicable_controls", "within_months": 12}
)
INDEPENDENCE = parse_requirement({"auditor_independence": "internal_audits"})
MAJORS = parse_requirement({"major_nonconformities": "none_open"})
MINORS = parse_requirement({"minor_nonconformities": "plans_accepted"})
STAGE1 = parse_requirement({"stage1_concerns": "resolved"})
APPLICABLE = frozenset({"5.1", "5.7", "8.8", "8.11"})


def audit(
    key: str,
    *,
    kind: str = "internal",
    on: date = date(2026, 2, 10),
    auditor: str = "山田 直樹",
    department: str | None = "Quality Assurance",
    areas: tuple[str, ...] = ("Development",),
    clauses: tuple[str, ...] = (),
    controls: tuple[str, ...] = (),
) -> Audit:
    """An audit of one day."""
    return Audit(
        key=key,
        kind=kind,  # type: ignore[arg-type]
        started_on=on,
        ended_on=on,
        auditor=auditor,
        auditor_department=department,
        areas=areas,
        clauses=clauses,
        controls=controls,
    )


def finding(
    key: str,
    grade: str,
    status: str = "open",
    *,
    audit_key: str = "IA-2026-1",
    kind: str = "internal",
) -> Finding:
    """A finding against clause 6.1.2 at `status`."""
    return Finding(
        key=key,
        audit_key=audit_key,
        audit_kind=kind,
        grade=grade,  # type: ignore[arg-type]
        clause="6.1.2",
        description="Risk owners not named.",
        status=status,  # type: ignore[arg-type]
    )


def check(
    requirement: Requirement,
    *,
    audits: tuple[Audit, ...] = (),
    findings: tuple[Finding, ...] = (),
    applicable: frozenset[str] = APPLICABLE,
) -> RequirementResult:
    """Evaluate `requirement` on a snapshot holding these audits and SoA decisions."""
    snapshot = ProjectSnapshot(
        state="internal_audit",
        registers={
            "audits": AuditRegister(audits=audits, findings=findings),
            "soa_applicable": applicable,
        },
    )
    return requirement.evaluate(snapshot, CTX, VOCAB)


def texts(result: RequirementResult) -> list[tuple[str, str]]:
    """(en, ja) of every blocker."""
    return [(b.message.en, b.message.ja) for b in result.blockers]


def test_the_workflow_keys_parse_to_the_audit_types_and_read_the_audits_register() -> None:
    assert isinstance(COVERAGE, InternalAuditCoverageRequirement)
    assert isinstance(INDEPENDENCE, AuditorIndependenceRequirement)
    assert isinstance(MAJORS, MajorNonconformitiesRequirement)
    assert isinstance(MINORS, MinorNonconformitiesRequirement)
    assert isinstance(STAGE1, Stage1ConcernsRequirement)
    assert COVERAGE.reads == {"audits", "soa_applicable"}
    assert STAGE1.reads == MAJORS.reads == {"audits"}
    with pytest.raises(ValueError, match="internal_audit_coverage requirement: within_months"):
        parse_requirement(
            {"internal_audit_coverage": "clauses_and_applicable_controls", "within_months": 0}
        )
    with pytest.raises(ValueError, match="major_nonconformities requirement"):
        parse_requirement({"major_nonconformities": "some_open"})


# --- internal audit programme coverage ------------------------------------------------------


def test_coverage_is_met_when_the_audits_together_cover_every_clause_and_applicable_control() -> (
    None
):
    result = check(
        COVERAGE,
        audits=(
            audit("IA-2026-1", clauses=("4", "5", "6.1.2", "7.5"), controls=("5.1", "5.7")),
            audit("IA-2026-2", clauses=("8.1", "9.2", "10.2"), controls=("8.8", "8.11", "7.4")),
        ),
    )
    assert (result.met, result.have, result.need, result.blockers) == (True, 11, 11, ())
    assert result.label.en == (
        "Internal audits of the last 12 months cover clauses 4–10 and every applicable Annex A "
        "control"
    )
    assert (
        result.label.ja
        == "過去12か月の内部監査で箇条4〜10と適用されるすべての附属書A管理策を監査済み"
    )


def test_coverage_names_the_exact_clauses_and_controls_not_audited() -> None:
    result = check(
        COVERAGE,
        audits=(
            audit("IA-2026-1", clauses=("4", "5", "6"), controls=("5.1",)),
            audit("IA-2026-2", clauses=("7.2", "8"), controls=("8.8",)),
        ),
    )
    assert (result.met, result.have, result.need) == (False, 7, 11)
    assert texts(result) == [
        (
            "internal_audit_coverage: the internal audits of the last 12 months "
            "(IA-2026-1, IA-2026-2) cover 5/7 clauses and 2/4 applicable Annex A controls; "
            "not covered: clauses 9, 10; controls A.5.7, A.8.11",
            "内部監査の網羅性: 過去12か月の内部監査（IA-2026-1、IA-2026-2）で監査済みなのは"
            "箇条5/7件、適用される附属書A管理策2/4件。未監査: 箇条9、10；管理策 A.5.7、A.8.11",
        )
    ]
    assert result.blockers[0].items == ("clause 9", "clause 10", "A.5.7", "A.8.11")


def test_a_sub_clause_counts_toward_its_clause_but_no_further() -> None:
    result = check(
        COVERAGE,
        audits=(audit("IA-1", clauses=("4.3", "5.2", "6.1.3", "7.5.3", "8.2", "9.2")),),
        applicable=frozenset({"5.1"}),
    )
    assert result.blockers[0].items == ("clause 10", "A.5.1")


def test_without_internal_audits_in_the_period_the_blocker_says_how_to_record_one() -> None:
    stale = audit("IA-2025-1", on=date(2025, 3, 31), clauses=CLAUSES, controls=tuple(APPLICABLE))
    certification = audit("S2-2026-1", kind="stage2", clauses=("4", "5"))
    result = check(COVERAGE, audits=(stale, certification))
    assert (result.met, result.have, result.need) == (False, 0, 11)
    assert texts(result) == [
        (
            "internal_audit_coverage: no internal audit performed in the last 12 months "
            "(record one with `isms-flow audits add PROJECT --kind internal …`)",
            "内部監査の網羅性: 過去12か月に実施した内部監査がありません"
            "（`isms-flow audits add PROJECT --kind internal …` で記録）",
        )
    ]


def test_a_planned_audit_does_not_count_until_it_took_place() -> None:
    planned = audit("IA-2026-2", on=date(2026, 4, 2), clauses=("4", "5", "6", "7", "8", "9", "10"))
    result = check(COVERAGE, audits=(planned,), applicable=frozenset({"5.1"}))
    assert not result.met and result.have == 0


def test_every_control_is_expected_while_the_soa_marks_none_applicable_and_long_lists_are_cut() -> (
    None
):
    result = check(
        COVERAGE,
        audits=(
            audit(
                "IA-1", clauses=("4", "5", "6", "7", "8", "9", "10"), controls=all_controls()[:50]
            ),
        ),
        applicable=frozenset(),
    )
    assert (result.have, result.need) == (57, 100)
    message = result.blockers[0].message
    assert message.en.endswith("A.8.19, A.8.20, A.8.21, and 13 more")
    assert message.ja.endswith("A.8.19、A.8.20、A.8.21、ほか13件")
    assert len(result.blockers[0].items) == 43  # the items name every one


# --- auditor independence --------------------------------------------------------------------


def test_independence_is_met_when_no_auditor_audits_their_own_department() -> None:
    result = check(
        INDEPENDENCE,
        audits=(
            audit("IA-1", areas=("Development", "Infrastructure")),
            audit(
                "IA-2",
                auditor="伊藤 彩",
                department="General Affairs",
                areas=("Quality Assurance",),
            ),
        ),
    )
    assert (result.met, result.have, result.need) == (True, 2, 2)
    assert result.label.ja == "内部監査員が自部署を監査していない"


def test_independence_names_the_audit_and_auditor_who_audits_their_own_department() -> None:
    result = check(
        INDEPENDENCE,
        audits=(
            audit("IA-1", areas=("Development",)),
            audit("IA-2", areas=("Development", "quality assurance")),
            audit("IA-3", auditor="Kato", department=None),
            audit("IA-0", on=date(2025, 1, 10), areas=("Quality Assurance",)),  # outside period
        ),
    )
    assert (result.met, result.have, result.need) == (False, 1, 3)
    assert texts(result) == [
        (
            "auditor_independence: 2 internal audit(s) not shown to be independent of the "
            "audited areas: IA-2 by 山田 直樹 of Quality Assurance, who audits their own "
            "department; IA-3 by Kato (auditor's department not recorded)",
            "監査員の独立性: 監査対象からの独立性が示されていない内部監査が2件あります: "
            "IA-2（Quality Assuranceの山田 直樹が自部署を監査）；"
            "IA-3（監査員 Kato、所属部署の記録なし）",
        )
    ]
    assert result.blockers[0].items == ("IA-2 (山田 直樹)", "IA-3 (Kato)")


def test_a_planned_audit_that_breaks_independence_already_blocks() -> None:
    planned = audit("IA-9", on=date(2026, 6, 1), areas=("Quality Assurance",))
    assert not check(INDEPENDENCE, audits=(planned,)).met


# --- major nonconformities -------------------------------------------------------------------


def test_no_major_or_only_verified_and_closed_majors_meet_the_guard() -> None:
    assert check(MAJORS).met
    result = check(
        MAJORS,
        findings=(finding("F-1", "major", "verified"), finding("F-2", "major", "closed")),
    )
    assert (result.met, result.have, result.need) == (True, 2, 2)


def test_open_majors_are_named_with_where_they_were_raised_and_their_status() -> None:
    result = check(
        MAJORS,
        findings=(
            finding("F-001", "major", "corrected", audit_key="S2-2026-1", kind="stage2"),
            finding("F-002", "minor"),
            finding("F-003", "major", "verified"),
            finding("F-004", "major"),
        ),
    )
    assert (result.met, result.have, result.need) == (False, 1, 3)
    assert texts(result) == [
        (
            "major_nonconformities: 2 still open: F-001 (S2-2026-1, clause 6.1.2; corrected); "
            "F-004 (IA-2026-1, clause 6.1.2; open)",
            "重大な不適合: 未解決のものが2件あります: F-001（S2-2026-1、箇条6.1.2；是正済み）；"
            "F-004（IA-2026-1、箇条6.1.2；未対応）",
        )
    ]
    assert result.blockers[0].items == ("F-001", "F-004")


# --- minor nonconformities -------------------------------------------------------------------


def test_every_minor_with_an_accepted_plan_meets_the_guard_and_observations_do_not_count() -> None:
    result = check(
        MINORS,
        findings=(
            finding("F-1", "minor", "plan_accepted"),
            finding("F-2", "minor", "closed"),
            finding("F-3", "observation"),
            finding("F-4", "improvement"),
        ),
    )
    assert (result.met, result.have, result.need) == (True, 2, 2)


def test_minors_without_an_accepted_plan_are_named() -> None:
    result = check(
        MINORS,
        findings=(finding("F-001", "minor"), finding("F-002", "minor", "plan_accepted")),
    )
    assert (result.met, result.have, result.need) == (False, 1, 2)
    assert texts(result) == [
        (
            "minor_nonconformities: 1 without an accepted corrective action plan: "
            "F-001 (IA-2026-1, clause 6.1.2)",
            "軽微な不適合: 是正処置計画が承認されていないものが1件あります: "
            "F-001（IA-2026-1、箇条6.1.2）",
        )
    ]


# --- Stage 1 concerns (CTX.today is 2026-04-01) ----------------------------------------------

STAGE1_AUDIT = audit(
    "S1-2026-1", kind="stage1", auditor="JQA", department=None, on=date(2026, 3, 20)
)


def test_stage1_concerns_need_a_stage1_audit_that_took_place() -> None:
    for audits in (
        (),
        (replace(STAGE1_AUDIT, started_on=date(2026, 4, 3), ended_on=date(2026, 4, 3)),),
    ):
        result = check(STAGE1, audits=audits)
        assert (result.met, result.have, result.need) == (False, 0, 1)
        assert texts(result) == [
            (
                "stage1_concerns: no Stage 1 audit performed yet (record it with "
                "`isms-flow audits add PROJECT --kind stage1 …`)",
                "第1段階審査の指摘事項: 実施済みの第1段階審査がありません"
                "（`isms-flow audits add PROJECT --kind stage1 …` で記録）",
            )
        ]


def test_stage1_concerns_are_resolved_when_corrected_or_closed() -> None:
    result = check(
        STAGE1,
        audits=(STAGE1_AUDIT,),
        findings=(
            finding("F-1", "minor", "corrected", audit_key="S1-2026-1", kind="stage1"),
            finding("F-2", "observation", "closed", audit_key="S1-2026-1", kind="stage1"),
            finding("F-3", "major"),  # an internal audit's finding is not a Stage 1 concern
        ),
    )
    assert (result.met, result.have, result.need) == (True, 2, 2)
    assert check(STAGE1, audits=(STAGE1_AUDIT,)).met  # no concerns at all


def test_unresolved_stage1_concerns_are_named_with_their_status() -> None:
    result = check(
        STAGE1,
        audits=(STAGE1_AUDIT,),
        findings=(
            finding("F-004", "minor", "plan_accepted", audit_key="S1-2026-1", kind="stage1"),
            finding("F-005", "observation", audit_key="S1-2026-1", kind="stage1"),
            finding("F-006", "minor", "verified", audit_key="S1-2026-1", kind="stage1"),
        ),
    )
    assert (result.met, result.have, result.need) == (False, 1, 3)
    assert texts(result) == [
        (
            "stage1_concerns: 2 of 3 findings of the Stage 1 audit not yet resolved: "
            "F-004 (S1-2026-1, clause 6.1.2; plan accepted); F-005 (S1-2026-1, clause 6.1.2; open)",
            "第1段階審査の指摘事項: 指摘3件のうち2件が未解決です: "
            "F-004（S1-2026-1、箇条6.1.2；是正処置計画承認済み）；F-005（S1-2026-1、箇条6.1.2；未対応）",
        )
    ]
    assert result.label.en == "Stage 1 audit concerns resolved before Stage 2"
