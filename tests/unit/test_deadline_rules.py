"""Every deadline rule of the shipped ISO/IEC 27001 workflow, computed from plain timelines.

Pure: a `Timeline` of dated facts goes in, deadlines come out; no database, no clock. Dates are
chosen to hit month ends and 29 February (shared/domain/iso27001.md §3.3–3.5).
"""

from __future__ import annotations

from datetime import date

import pytest

from isms_flow.schedule.deadlines import compute_deadlines, cycles_of
from isms_flow.schedule.timeline import (
    AuditFact,
    CertificateFact,
    Deadline,
    EvidenceFact,
    FindingFact,
    Timeline,
    Transition,
)
from isms_flow.workflow.loader import load_workflow_file, load_workflow_text
from isms_flow.workflow.schema import WorkflowDefinition
from tests.conftest import ISO_WORKFLOW

ISO = load_workflow_file(ISO_WORKFLOW).definition


def certified_on(day: date) -> Transition:
    """The initial certification decision as the workflow records it."""
    return Transition(day, "advance", "certification_decision", "certified")


def recertified_on(day: date) -> Transition:
    """A recertification decision."""
    return Transition(day, "advance", "recertification_audit", "certified")


def deadlines(
    *transitions: Transition, definition: WorkflowDefinition = ISO, **facts: object
) -> dict[str, Deadline]:
    """The deadlines of a timeline, by key."""
    state = transitions[-1].dest if transitions else "scoping"
    timeline = Timeline(state=str(facts.pop("state", state)), transitions=transitions, **facts)  # type: ignore[arg-type]
    return {d.key: d for d in compute_deadlines(definition, timeline)}


def of_kind(found: dict[str, Deadline], kind: str) -> list[Deadline]:
    """The deadlines of one kind, in computed order."""
    return [d for d in found.values() if d.kind == kind]


# --- certificate expiry --------------------------------------------------------------------


def test_a_certificate_expires_three_years_after_the_certification_decision() -> None:
    found = deadlines(certified_on(date(2026, 11, 20)))
    expiry = found["certificate_expiry:1"]
    assert (expiry.due_on, expiry.status, expiry.on_overdue) == (
        date(2029, 11, 20),
        "open",
        "expire",
    )
    assert expiry.basis["certification_decision"] == "2026-11-20"


def test_a_decision_on_29_february_expires_on_28_february() -> None:
    found = deadlines(certified_on(date(2024, 2, 29)))
    assert found["certificate_expiry:1"].due_on == date(2027, 2, 28)


def test_the_recorded_certificate_expiry_wins_over_the_computed_one() -> None:
    certificate = CertificateFact("JQA-1", "JQA", date(2026, 11, 18), date(2029, 11, 17))
    found = deadlines(certified_on(date(2026, 11, 20)), certificates=(certificate,))
    assert found["certificate_expiry:1"].due_on == date(2029, 11, 17)
    assert found["certificate_expiry:1"].basis["certificate"] == "JQA-1"
    # the decision is the certificate's issue date: the surveillance audit counts from it
    assert found["surveillance_audit:2027"].due_on == date(2027, 11, 18)


def test_a_reissued_certificate_moves_the_deadlines_of_its_cycle_under_the_same_keys() -> None:
    first = CertificateFact("JQA-1", "JQA", date(2026, 11, 20), date(2029, 11, 20))
    reissued = CertificateFact("JQA-1R", "JQA", date(2026, 11, 10), date(2029, 11, 10))
    found = deadlines(certified_on(date(2026, 11, 20)), certificates=(first, reissued))
    assert found["certificate_expiry:1"].due_on == date(2029, 11, 10)
    assert found["surveillance_audit:2027"].due_on == date(2027, 11, 10)
    assert len(of_kind(found, "certificate_expiry")) == 1


def test_a_certificate_recorded_before_the_decision_transition_is_one_decision() -> None:
    certificate = CertificateFact("JQA-1", "JQA", date(2026, 11, 20), date(2029, 11, 20))
    cycles = cycles_of(
        ISO,
        Timeline(
            state="certified",
            transitions=(certified_on(date(2026, 11, 24)),),
            certificates=(certificate,),
        ),
    )
    assert [(c.number, c.start, c.expiry) for c in cycles] == [
        (1, date(2026, 11, 20), date(2029, 11, 20))
    ]


# --- surveillance audits --------------------------------------------------------------------


def test_surveillance_first_within_12_months_then_each_year_but_the_recertification_year() -> None:
    found = deadlines(certified_on(date(2026, 11, 20)))
    audits = of_kind(found, "surveillance_audit")
    assert [(d.key, d.due_on) for d in audits] == [
        ("surveillance_audit:2027", date(2027, 11, 20)),
        ("surveillance_audit:2028", date(2028, 12, 31)),
    ]
    assert {d.on_overdue for d in audits} == {"suspend"}


def test_a_decision_at_a_month_end_is_due_at_the_same_month_end_a_year_later() -> None:
    found = deadlines(certified_on(date(2025, 1, 31)))
    assert found["surveillance_audit:2026"].due_on == date(2026, 1, 31)
    leap = deadlines(certified_on(date(2024, 2, 29)))
    assert leap["surveillance_audit:2025"].due_on == date(2025, 2, 28)
    # expiry 2027-02-28: 2026 needs an audit, 2027 is the recertification year
    assert [d.key for d in of_kind(leap, "surveillance_audit")] == [
        "surveillance_audit:2025",
        "surveillance_audit:2026",
    ]


def test_a_surveillance_audit_recorded_in_the_register_meets_the_deadline_it_falls_in() -> None:
    early = AuditFact("SV-2027", "surveillance", date(2027, 9, 1), date(2027, 9, 2))
    found = deadlines(certified_on(date(2026, 11, 20)), audits=(early,))
    assert found["surveillance_audit:2027"].status == "met"
    assert found["surveillance_audit:2027"].basis["held_on"] == "2027-09-02"
    assert found["surveillance_audit:2028"].status == "open"


def test_advancing_out_of_a_surveillance_stage_counts_as_the_audit_held() -> None:
    found = deadlines(
        certified_on(date(2026, 11, 20)),
        Transition(date(2027, 1, 5), "advance", "certified", "surveillance_audit_1"),
        Transition(date(2027, 10, 1), "advance", "surveillance_audit_1", "surveillance_audit_2"),
    )
    assert found["surveillance_audit:2027"].status == "met"
    assert found["surveillance_audit:2028"].status == "open"


def test_the_same_audit_in_the_register_and_as_a_stage_counts_once() -> None:
    audit = AuditFact("SV-2027", "surveillance", date(2027, 10, 1), date(2027, 10, 2))
    found = deadlines(
        certified_on(date(2026, 11, 20)),
        Transition(date(2027, 1, 5), "advance", "certified", "surveillance_audit_1"),
        Transition(date(2028, 1, 10), "advance", "surveillance_audit_1", "surveillance_audit_2"),
        audits=(audit,),
    )
    assert found["surveillance_audit:2027"].status == "met"
    assert found["surveillance_audit:2028"].status == "open"


def test_a_late_surveillance_audit_leaves_the_missed_deadline_open() -> None:
    late = AuditFact("SV-2027", "surveillance", date(2027, 12, 1), date(2027, 12, 2))
    found = deadlines(certified_on(date(2026, 11, 20)), audits=(late,))
    assert found["surveillance_audit:2027"].status == "open"  # due 2027-11-20: missed
    assert found["surveillance_audit:2028"].status == "open"  # a 2027 audit does not count


# --- recertification and the next cycle -----------------------------------------------------


def test_the_recertification_is_due_before_expiry_by_the_workflow_lead_time() -> None:
    found = deadlines(certified_on(date(2026, 11, 20)))
    assert found["recertification:1"].due_on == date(2029, 10, 21)  # 30 days before expiry
    assert found["recertification:1"].on_overdue == "escalate"


def test_recertification_before_expiry_meets_the_cycle_and_keeps_its_rhythm() -> None:
    found = deadlines(certified_on(date(2026, 11, 20)), recertified_on(date(2029, 10, 1)))
    assert found["recertification:1"].status == "met"
    assert found["certificate_expiry:1"].status == "met"
    # the new cycle's expiry is the old expiry + 3 years, not the decision + 3 years
    assert found["certificate_expiry:2"].due_on == date(2032, 11, 20)
    assert [d.key for d in of_kind(found, "surveillance_audit") if d.basis["cycle"] == 2] == [
        "surveillance_audit:2030",
        "surveillance_audit:2031",
    ]


def test_an_early_recertification_cancels_the_surveillance_audits_it_replaces() -> None:
    found = deadlines(certified_on(date(2026, 1, 10)), recertified_on(date(2028, 6, 1)))
    assert found["surveillance_audit:2028"].status == "cancelled"
    assert found["surveillance_audit:2027"].status == "open"


# --- after expiry: restoration; suspension ---------------------------------------------------


def test_an_expired_certificate_can_be_restored_within_6_months_of_expiry() -> None:
    found = deadlines(
        certified_on(date(2025, 8, 31)),
        Transition(date(2028, 9, 1), "expire", "certified", "expired"),
    )
    restoration = found["certificate_restoration:2028-09-01"]
    assert (restoration.due_on, restoration.status) == (date(2029, 2, 28), "open")
    assert restoration.on_overdue == "restart_with_stage2"


def test_restoring_meets_the_restoration_deadline_and_too_late_cancels_it() -> None:
    expired = Transition(date(2028, 9, 1), "expire", "certified", "expired")
    restored = deadlines(
        certified_on(date(2025, 8, 31)),
        expired,
        Transition(date(2028, 12, 1), "restore", "expired", "certified"),
    )
    assert restored["certificate_restoration:2028-09-01"].status == "met"
    # a restored certificate keeps the original cycle: expiry 2028-08-31 + 3 years
    assert restored["certificate_expiry:2"].due_on == date(2031, 8, 31)
    restarted = deadlines(
        certified_on(date(2025, 8, 31)),
        expired,
        Transition(date(2029, 3, 1), "restart_with_stage2", "expired", "stage2_audit"),
    )
    assert restarted["certificate_restoration:2028-09-01"].status == "cancelled"


def test_a_suspension_lasts_at_most_6_months_then_the_certificate_is_withdrawn() -> None:
    suspended = Transition(date(2027, 8, 31), "suspend", "surveillance_audit_1", "suspended")
    found = deadlines(certified_on(date(2026, 11, 20)), suspended)
    limit = found["suspension_limit:2027-08-31"]
    assert (limit.due_on, limit.on_overdue, limit.status) == (date(2028, 2, 29), "withdraw", "open")
    reinstated = deadlines(
        certified_on(date(2026, 11, 20)),
        suspended,
        Transition(date(2027, 10, 1), "reinstate", "suspended", "certified"),
    )
    assert reinstated["suspension_limit:2027-08-31"].status == "met"


def test_a_withdrawn_certificate_cancels_every_deadline_still_open() -> None:
    found = deadlines(
        certified_on(date(2026, 11, 20)),
        Transition(date(2027, 12, 1), "suspend", "surveillance_audit_1", "suspended"),
        Transition(date(2028, 1, 15), "withdraw", "suspended", "withdrawn"),
    )
    assert {d.status for d in found.values()} == {"cancelled"}
    assert found["certificate_expiry:1"].basis["ended_in"] == "withdrawn"


# --- nonconformities --------------------------------------------------------------------------


STAGE2 = AuditFact("S2-2026-1", "stage2", date(2026, 8, 30), date(2026, 8, 31))


def major(status: str = "open", audit: AuditFact = STAGE2) -> FindingFact:
    """A major nonconformity of the Stage 2 audit."""
    return FindingFact(audit.key, audit.kind, audit.ended_on, "F-001", "major", status)


def test_a_major_at_stage2_must_be_verified_within_6_months_of_its_last_day() -> None:
    found = deadlines(audits=(STAGE2,), findings=(major(),))
    verification = found["major_nonconformity:S2-2026-1"]
    assert (verification.due_on, verification.status) == (date(2027, 2, 28), "open")
    assert verification.basis["findings"] == ["F-001"]


def test_a_verified_major_meets_it_and_a_repeated_stage2_cancels_it() -> None:
    assert (
        deadlines(audits=(STAGE2,), findings=(major("verified"),))[
            "major_nonconformity:S2-2026-1"
        ].status
        == "met"
    )
    repeat = AuditFact("S2-2027-1", "stage2", date(2027, 3, 10), date(2027, 3, 11))
    found = deadlines(audits=(STAGE2, repeat), findings=(major(),))
    assert found["major_nonconformity:S2-2026-1"].status == "cancelled"


def test_a_major_raised_only_as_a_transition_counts_from_that_day() -> None:
    found = deadlines(
        Transition(
            date(2026, 3, 31), "raise_major_nonconformity", "stage2_audit", "corrective_action"
        )
    )
    assert found["major_nonconformity:2026-03-31"].due_on == date(2026, 9, 30)


def test_each_nonconformity_of_a_body_audit_is_answered_within_90_days() -> None:
    minor = FindingFact("S2-2026-1", "stage2", date(2026, 8, 31), "F-002", "minor", "open")
    answered = FindingFact(
        "S2-2026-1", "stage2", date(2026, 8, 31), "F-003", "minor", "plan_accepted"
    )
    observation = FindingFact(
        "S2-2026-1", "stage2", date(2026, 8, 31), "F-004", "observation", "open"
    )
    internal = FindingFact("IA-2026-1", "internal", date(2026, 6, 1), "F-005", "minor", "open")
    found = deadlines(findings=(minor, answered, observation, internal))
    responses = of_kind(found, "corrective_action_response")
    assert [(d.key, d.due_on, d.status) for d in responses] == [
        ("corrective_action_response:S2-2026-1/F-002", date(2026, 11, 29), "open"),
        ("corrective_action_response:S2-2026-1/F-003", date(2026, 11, 29), "met"),
    ]


def test_each_nonconformity_is_corrected_by_its_owners_due_date_internal_ones_too() -> None:
    planned = FindingFact(
        "IA-2026-2", "internal", date(2026, 10, 27), "F-002", "minor", "plan_accepted",
        date(2027, 1, 31),
    )  # fmt: skip
    corrected = FindingFact(
        "S2-2026-1", "stage2", date(2026, 11, 24), "F-005", "major", "corrected",
        date(2027, 1, 25),
    )  # fmt: skip
    undated = FindingFact("IA-2026-2", "internal", date(2026, 10, 27), "F-006", "minor", "open")
    observation = FindingFact(
        "IA-2026-2", "internal", date(2026, 10, 27), "F-007", "observation", "open",
        date(2027, 2, 1),
    )  # fmt: skip
    found = deadlines(findings=(planned, corrected, undated, observation))
    due = of_kind(found, "corrective_action_due")
    assert [(d.key, d.due_on, d.status, d.on_overdue) for d in due] == [
        ("corrective_action_due:IA-2026-2/F-002", date(2027, 1, 31), "open", "escalate"),
        ("corrective_action_due:S2-2026-1/F-005", date(2027, 1, 25), "met", "escalate"),
    ]


def test_a_certification_body_of_the_workflow_sets_its_own_response_time() -> None:
    text = ISO_WORKFLOW.read_text(encoding="utf-8").replace(
        "  certification_bodies: {}",
        "  certification_bodies:\n"
        "    Example Certification:\n"
        "      corrective_action_response: 60 days after audit_end",
    )
    custom = load_workflow_text(text, source="custom.yaml")
    minor = FindingFact("S2-2026-1", "stage2", date(2026, 8, 31), "F-002", "minor", "open")
    theirs = deadlines(
        definition=custom, findings=(minor,), certification_body="Example Certification Co."
    )
    assert theirs["corrective_action_response:S2-2026-1/F-002"].due_on == date(2026, 10, 30)
    others = deadlines(definition=custom, findings=(minor,), certification_body="Other Body")
    assert others["corrective_action_response:S2-2026-1/F-002"].due_on == date(2026, 11, 29)


# --- evidence and recurring duties ------------------------------------------------------------


def evidence(version: int, current: int, valid_until: date | None) -> EvidenceFact:
    """A version of the training record."""
    return EvidenceFact(
        7, "training_record", "training_record", version, current, date(2026, 1, 1), valid_until
    )


def test_evidence_with_a_valid_until_date_is_due_before_it_lapses() -> None:
    found = deadlines(evidence=(evidence(1, 1, date(2027, 3, 31)),))
    lapse = found["evidence_validity:training_record#7v1"]
    assert (lapse.due_on, lapse.status, lapse.on_overdue) == (date(2027, 3, 31), "open", "escalate")


def test_a_newer_version_meets_the_old_versions_deadline_and_opens_its_own() -> None:
    found = deadlines(
        evidence=(evidence(1, 2, date(2027, 3, 31)), evidence(2, 2, date(2028, 3, 31)))
    )
    assert found["evidence_validity:training_record#7v1"].status == "met"
    assert found["evidence_validity:training_record#7v2"].due_on == date(2028, 3, 31)


def test_internal_audit_and_management_review_are_due_a_year_after_the_last_one() -> None:
    audits = (
        AuditFact("IA-2026-1", "internal", date(2026, 2, 27), date(2026, 2, 28)),
        AuditFact("IA-2027-1", "internal", date(2027, 2, 1), date(2027, 2, 2)),
    )
    found = deadlines(audits=audits, reviews=(date(2024, 2, 29),))
    internal = of_kind(found, "internal_audit")
    assert [(d.due_on, d.status) for d in internal] == [
        (date(2027, 2, 28), "met"),
        (date(2028, 2, 2), "open"),
    ]
    assert found["management_review:2024-02-29"].due_on == date(2025, 2, 28)


def test_an_internal_audit_report_uploaded_counts_as_an_internal_audit() -> None:
    report = EvidenceFact(
        9, "internal_audit_report", "internal_audit_report", 1, 1, date(2026, 5, 31)
    )
    found = deadlines(evidence=(report,))
    assert found["internal_audit:2026-05-31"].due_on == date(2027, 5, 31)


def test_a_report_uploaded_weeks_after_the_recorded_audit_is_that_audit() -> None:
    audit = AuditFact("IA-2026-3", "internal", date(2026, 11, 6), date(2026, 11, 6))
    report = EvidenceFact(
        9, "internal_audit_report", "internal_audit_report", 1, 1, date(2026, 11, 26)
    )
    internal = of_kind(deadlines(audits=(audit,), evidence=(report,)), "internal_audit")
    assert [(d.key, d.due_on, d.status) for d in internal] == [
        ("internal_audit:2026-11-06", date(2027, 11, 6), "open")
    ]


@pytest.mark.parametrize("state", ["scoping", "stage2_audit"])
def test_a_project_without_history_has_no_cycle_deadlines(state: str) -> None:
    assert deadlines(state=state) == {}


def test_a_planned_audit_does_not_count_before_its_day_and_says_when_to_look_again() -> None:
    planned = AuditFact("SV-2027", "surveillance", date(2027, 9, 1), date(2027, 9, 2))
    timeline = Timeline(
        state="certified",
        transitions=(certified_on(date(2026, 11, 20)),),
        audits=(planned,),
        today=date(2027, 6, 1),
    )
    found = {d.key: d for d in compute_deadlines(ISO, timeline)}
    assert found["surveillance_audit:2027"].status == "open"
    assert timeline.next_recheck == date(2027, 9, 2)
    held = Timeline(
        state="certified",
        transitions=timeline.transitions,
        audits=(planned,),
        today=date(2027, 9, 2),
    )
    assert {d.key: d for d in compute_deadlines(ISO, held)}["surveillance_audit:2027"].status == (
        "met"
    )
    assert held.next_recheck is None
