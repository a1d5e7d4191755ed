"""The audits register's pure rules: clause and control input, coverage, the finding lifecycle."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from isms_flow.errors import BadInput, NotFound, PermissionDenied
from isms_flow.isms.audits import (
    Audit,
    AuditRegister,
    all_controls,
    months_before,
    parse_audit_kind,
    parse_clauses,
    parse_controls,
    programme_coverage,
)
from isms_flow.isms.findings import (
    Finding,
    check_accept_plan,
    check_close,
    check_correct,
    check_plan_edit,
    check_verify,
    parse_grade,
)

TODAY = date(2026, 4, 1)


def minor(status: str = "open", **changes: object) -> Finding:
    """A minor nonconformity with a complete plan, at `status`."""
    finding = Finding(
        key="F-001",
        audit_key="IA-2026-1",
        audit_kind="internal",
        grade="minor",
        clause="7.5.3",
        description="Procedures published without approval.",
        root_cause="No approval block in the template.",
        correction="Procedures re-approved.",
        corrective_action="Template and publication check changed.",
        owner="sato.isms",
        due=date(2026, 5, 1),
    )
    return replace(finding, status=status, **changes)  # type: ignore[arg-type]


def internal(key: str, ended: date, clauses: tuple[str, ...], controls: tuple[str, ...]) -> Audit:
    """An internal audit of one day."""
    return Audit(
        key=key,
        kind="internal",
        started_on=ended,
        ended_on=ended,
        auditor="山田 直樹",
        auditor_department="Quality Assurance",
        areas=("Development",),
        clauses=clauses,
        controls=controls,
    )


# --- clauses and controls as users type them -----------------------------------------------


def test_clause_ranges_expand_and_sub_clauses_are_kept_in_numeric_order() -> None:
    assert parse_clauses(["4-6", "10.2, 9.2", "6.1.3"]) == ("4", "5", "6", "6.1.3", "9.2", "10.2")
    assert parse_clauses(["4-10"]) == ("4", "5", "6", "7", "8", "9", "10")


@pytest.mark.parametrize("text", ["3", "11", "A.5.1", "9.x", "9..2"])
def test_a_reference_outside_clauses_4_to_10_is_refused_with_a_hint(text: str) -> None:
    with pytest.raises(BadInput) as error:
        parse_clauses([text])
    assert str(error.value) == (
        f"clause '{text}' is not a clause of 4–10 (write e.g. 6, 9.2 or 6.1.3; "
        "Annex A controls go in the controls)"
    )


def test_a_clause_range_runs_between_whole_clauses_forwards() -> None:
    with pytest.raises(BadInput, match=r"clause range '9\.2-10' must run from a clause"):
        parse_clauses(["9.2-10"])
    with pytest.raises(BadInput, match="clause range '8-5'"):
        parse_clauses(["8-5"])


def test_controls_accept_the_a_prefix_ranges_themes_and_all_in_catalog_order() -> None:
    assert parse_controls(["A.5.10", "a.5.9", "8.8"]) == ("5.9", "5.10", "8.8")
    assert parse_controls(["A.6.1-A.6.3, 7"])[:4] == ("6.1", "6.2", "6.3", "7.1")
    assert len(parse_controls(["A.6.1-A.6.3, 7"])) == 3 + 14
    assert parse_controls(["5.1", "all"]) == all_controls()
    assert len(all_controls()) == 93 and all_controls()[-1] == "8.34"


def test_an_unknown_control_is_refused_with_the_near_ones() -> None:
    with pytest.raises(NotFound) as error:
        parse_controls(["A.5.38"])
    assert str(error.value) == (
        "Annex A control 'A.5.38' not found: did you mean 5.3, 5.8, 5.37? "
        "ISO/IEC 27001:2022 Annex A has 5.1–5.37, 6.1–6.8, 7.1–7.14, 8.1–8.34"
    )


def test_unknown_audit_kinds_and_grades_name_the_known_ones() -> None:
    assert parse_audit_kind("Follow-up") == "follow_up"
    with pytest.raises(BadInput) as kind:
        parse_audit_kind("pre-assessment")
    assert str(kind.value) == (
        "audit kind 'pre-assessment' is unknown (known: internal, stage1, stage2, surveillance, "
        "recertification, follow_up)"
    )
    with pytest.raises(BadInput, match=r"known: major, minor, observation, improvement"):
        parse_grade("critical")


# --- what an audit covered -------------------------------------------------------------------


def test_sub_clauses_count_toward_their_clause() -> None:
    audit = internal("IA-1", TODAY, ("6.1.2", "9.2", "10"), ())
    assert audit.clauses_covered == frozenset({"6", "9", "10"})


def test_an_auditor_from_an_audited_area_is_found_whatever_the_spelling() -> None:
    audit = replace(internal("IA-1", TODAY, (), ()), areas=("Development", "quality  ASSURANCE"))
    assert audit.own_areas == ("quality  ASSURANCE",)


def test_coverage_counts_only_internal_audits_performed_within_the_period() -> None:
    register = AuditRegister(
        audits=(
            internal("IA-old", date(2025, 3, 31), ("4",), ("5.1",)),  # a day too old
            internal("IA-in", date(2025, 4, 1), ("5",), ("5.2",)),  # exactly 12 months ago
            internal("IA-planned", date(2026, 4, 2), ("6",), ("5.3",)),  # tomorrow
            replace(internal("S2", TODAY, ("7",), ("5.4",)), kind="stage2"),
        )
    )
    applicable = frozenset({"5.1", "5.2", "5.3", "5.4"})
    coverage = programme_coverage(register, TODAY, 12, applicable)
    assert coverage.since == date(2025, 4, 1)
    assert [a.key for a in coverage.audits] == ["IA-in"]
    assert coverage.clauses_covered == ("5",)
    assert coverage.controls_missing == ("5.1", "5.3", "5.4")
    assert (coverage.have, coverage.need, coverage.complete) == (2, 11, False)


def test_without_applicable_controls_from_the_soa_every_control_is_expected() -> None:
    coverage = programme_coverage(AuditRegister(), TODAY, 12, frozenset())
    assert coverage.controls_needed == all_controls()
    assert coverage.need == 7 + 93


def test_soa_ids_written_with_the_a_prefix_are_understood() -> None:
    register = AuditRegister(audits=(internal("IA-1", TODAY, parse_clauses(["4-10"]), ("8.8",)),))
    coverage = programme_coverage(register, TODAY, 12, frozenset({"A.8.8"}))
    assert coverage.complete and (coverage.have, coverage.need) == (8, 8)


def test_months_before_clamps_to_the_end_of_a_shorter_month() -> None:
    assert months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert months_before(date(2024, 2, 29), 12) == date(2023, 2, 28)


# --- the corrective-action lifecycle ---------------------------------------------------------


def test_a_plan_is_accepted_only_when_complete() -> None:
    incomplete = minor(root_cause="", owner=None, due=None)
    with pytest.raises(BadInput) as error:
        check_accept_plan(incomplete)
    assert str(error.value) == (
        "F-001: the corrective action plan has no root cause, owner, due date yet "
        "(set them with `isms-flow audits finding-update`); nothing was accepted"
    )
    check_accept_plan(minor())
    with pytest.raises(BadInput, match="its corrective action plan was already accepted"):
        check_accept_plan(minor("plan_accepted"))


def test_observations_and_improvements_need_no_corrective_action() -> None:
    observation = minor(grade="observation")
    with pytest.raises(BadInput) as error:
        check_accept_plan(observation)
    assert str(error.value) == (
        "F-001 is an observation and needs no corrective action; "
        "close it with `isms-flow audits close`"
    )
    with pytest.raises(BadInput, match="is an opportunity for improvement"):
        check_correct(minor(grade="improvement"))
    check_close(observation)  # straight from open


def test_a_finding_is_marked_corrected_only_after_its_plan_was_accepted() -> None:
    with pytest.raises(BadInput) as error:
        check_correct(minor("open"))
    assert str(error.value) == (
        "F-001 is at status 'open': accept its corrective action plan first "
        "(`isms-flow audits accept-plan`)"
    )
    check_correct(minor("plan_accepted"))
    with pytest.raises(BadInput, match="already marked corrected"):
        check_correct(minor("corrected"))


@pytest.mark.parametrize("status", ["open", "plan_accepted"])
def test_an_uncorrected_finding_cannot_be_verified(status: str) -> None:
    with pytest.raises(BadInput) as error:
        check_verify(minor(status), "yamada.audit", "re-sampled")
    assert str(error.value) == (
        f"F-001 is at status '{status}': its effectiveness cannot be verified before the "
        "correction is done (`isms-flow audits correct`)"
    )


def test_the_owner_may_not_verify_their_own_corrective_action() -> None:
    with pytest.raises(PermissionDenied) as error:
        check_verify(minor("corrected"), " Sato.ISMS ", "re-sampled")
    assert str(error.value) == (
        " Sato.ISMS  owns F-001: the effectiveness of a corrective action must be verified by "
        "someone other than its owner"
    )
    with pytest.raises(BadInput, match="say how the effectiveness was checked"):
        check_verify(minor("corrected"), "yamada.audit", "  ")
    check_verify(minor("corrected"), "yamada.audit", "re-sampled 8 procedures")


def test_a_nonconformity_closes_only_after_verification_and_only_once() -> None:
    for status in ("open", "plan_accepted", "corrected"):
        with pytest.raises(BadInput, match="closed only after its effectiveness was verified"):
            check_close(minor(status))
    check_close(minor("verified"))
    with pytest.raises(BadInput, match="it was closed already"):
        check_close(minor("closed"))


def test_editing_an_accepted_plan_withdraws_it_and_a_corrected_one_is_frozen() -> None:
    assert check_plan_edit(minor("open")) is False
    assert check_plan_edit(minor("plan_accepted")) is True
    with pytest.raises(BadInput, match="can no longer change"):
        check_plan_edit(minor("corrected"))


def test_a_major_stays_open_until_verified_and_lateness_counts_until_corrected() -> None:
    major = minor(grade="major")
    assert not replace(major, status="corrected").is_resolved
    assert replace(major, status="verified").is_resolved
    assert minor("plan_accepted").overdue(date(2026, 5, 2))
    assert not minor("corrected").overdue(date(2026, 5, 2))
