"""The `training_coverage` requirement: progress, and blockers naming exactly who is missing."""

from __future__ import annotations

from datetime import date

import pytest

from isms_flow.i18n import LocalizedText
from isms_flow.isms.requirements.training import MESSAGE_NAMES, TrainingCoverageRequirement
from isms_flow.isms.training import Completion, Course, StaffMember, TrainingRegister
from isms_flow.workflow.requirements import RequirementResult, parse_requirement
from isms_flow.workflow.schema import WorkflowDefinition
from isms_flow.workflow.snapshot import ProjectSnapshot
from tests.unit.factories import CTX, VOCAB

AWARENESS = Course("awareness", LocalizedText(en="Awareness", ja="意識向上"), 12)
ALL_STAFF = TrainingCoverageRequirement(training_coverage="in_scope_staff")


def member(
    employee_id: str,
    name: str,
    department: str,
    *,
    left_on: date | None = None,
    in_scope: bool = True,
) -> StaffMember:
    """A roster entry who joined long ago."""
    return StaffMember(
        employee_id, name, department, "Engineer", date(2020, 4, 1), left_on, in_scope
    )


def evaluate(
    requirement: TrainingCoverageRequirement,
    staff: tuple[StaffMember, ...],
    *completions: Completion,
    courses: tuple[Course, ...] = (AWARENESS,),
) -> RequirementResult:
    """Evaluate on CTX (2026-04-01) against this register."""
    training = TrainingRegister(staff=staff, courses=courses, completions=completions)
    snapshot = ProjectSnapshot(state="staff_training", registers={"training": training})
    return requirement.evaluate(snapshot, CTX, VOCAB)


STAFF = (
    member("E1", "佐藤 花子", "Development"),
    member("E2", "Suzuki Ken", "Development"),
    member("E3", "田中 一郎", "QA"),
    member("E4", "Kato Mai", "QA"),
    member("E5", "Gone Person", "QA", left_on=date(2026, 3, 1)),
    member("E6", "Osaka Sales", "Sales", in_scope=False),
)


def test_parsed_from_the_workflow_file_with_defaults_and_reads_the_training_part() -> None:
    requirement = parse_requirement({"training_coverage": "in_scope_staff"})
    assert requirement == ALL_STAFF
    assert (ALL_STAFF.threshold, ALL_STAFF.course) == (100, None)
    assert TrainingCoverageRequirement.reads == frozenset({"training"})


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ({"training_coverage": "everyone"}, "training_coverage: Input should be 'in_scope_staff'"),
        ({"training_coverage": "in_scope_staff", "threshold": 0}, "threshold"),
        ({"training_coverage": "in_scope_staff", "threshold": 101}, "threshold"),
        ({"training_coverage": "in_scope_staff", "course": "Bad Key"}, "course"),
        ({"training_coverage": "in_scope_staff", "percent": 90}, "percent"),
    ],
)
def test_bad_parameters_are_refused_with_the_field_named(
    raw: dict[str, object], reason: str
) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_requirement(raw)


def test_met_when_every_counted_person_is_covered_progress_is_covered_of_in_scope() -> None:
    done = [Completion(f"E{n}", "awareness", date(2026, 1, 10)) for n in range(1, 5)]
    result = evaluate(ALL_STAFF, STAFF, *done)
    assert (result.met, result.have, result.need, result.blockers) == (True, 4, 4, ())
    assert result.label == LocalizedText(
        en="Training: in-scope staff with a current completion (100% required)",
        ja="教育訓練: 有効な受講記録がある適用範囲内の要員（100%以上）",
    )


def test_unmet_names_each_missing_person_with_department_and_why_in_en_and_ja() -> None:
    result = evaluate(
        ALL_STAFF,
        STAFF,
        Completion("E1", "awareness", date(2025, 3, 15)),  # lapsed after 2026-03-15
        Completion("E2", "awareness", date(2026, 2, 1)),
        Completion("E5", "awareness", date(2024, 1, 1)),  # left: not counted at all
    )
    assert (result.met, result.have, result.need) == (False, 1, 4)
    (blocker,) = result.blockers
    assert blocker.code == "training_coverage"
    assert blocker.message.en == (
        "training_coverage: 1 of 4 in-scope staff (25%) have a current training completion, "
        "100% required; 3 missing: 佐藤 花子 (Development, expired after 2026-03-15); "
        "田中 一郎 (QA, no completion); Kato Mai (QA, no completion)"
    )
    assert blocker.message.ja == (
        "教育訓練: 適用範囲内の要員4名のうち有効な受講記録があるのは1名（25%）、"
        "必要なのは100%以上。未受講3名: 佐藤 花子（Development、2026-03-15で期限切れ）、"
        "田中 一郎（QA、受講記録なし）、Kato Mai（QA、受講記録なし）"
    )
    assert blocker.items == (
        "E1 佐藤 花子 (Development)",
        "E3 田中 一郎 (QA)",
        "E4 Kato Mai (QA)",
    )


def test_a_threshold_below_100_lets_a_few_be_missing_and_still_shows_them_as_progress() -> None:
    ninety = TrainingCoverageRequirement(training_coverage="in_scope_staff", threshold=75)
    done = [Completion(f"E{n}", "awareness", date(2026, 1, 10)) for n in (1, 2, 3)]
    result = evaluate(ninety, STAFF, *done)
    assert (result.met, result.have, result.need) == (True, 3, 4)
    assert ninety.label(VOCAB).en == (
        "Training: in-scope staff with a current completion (75% required)"
    )


def test_a_named_course_counts_alone_and_is_named_in_label_and_blocker() -> None:
    coding = Course("secure-coding", LocalizedText(en="Secure coding", ja="セキュア開発"), 24)
    awareness_only = TrainingCoverageRequirement(
        training_coverage="in_scope_staff", course="awareness"
    )
    staff = (member("E1", "佐藤 花子", "Development"),)
    result = evaluate(
        awareness_only,
        staff,
        Completion("E1", "secure-coding", date(2026, 1, 10)),
        courses=(AWARENESS, coding),
    )
    assert (result.met, result.have, result.need) == (False, 0, 1)
    assert result.label == LocalizedText(
        en="Training 'awareness': in-scope staff with a current completion (100% required)",
        ja="教育訓練「awareness」: 有効な受講記録がある適用範囲内の要員（100%以上）",
    )
    assert result.blockers[0].message.en == (
        "training_coverage: 0 of 1 in-scope staff (0%) have a current training completion of "
        "'awareness', 100% required; 1 missing: 佐藤 花子 (Development, no completion)"
    )
    assert result.blockers[0].message.ja == (
        "教育訓練: 適用範囲内の要員1名のうち「awareness」の有効な受講記録があるのは0名（0%）、"
        "必要なのは100%以上。未受講1名: 佐藤 花子（Development、受講記録なし）"
    )


def test_a_named_course_missing_from_the_register_says_so() -> None:
    requirement = TrainingCoverageRequirement(training_coverage="in_scope_staff", course="gdpr")
    result = evaluate(requirement, STAFF)
    assert (result.met, result.have, result.need) == (False, 0, 1)
    (blocker,) = result.blockers
    assert blocker.message.en == (
        "training_coverage: course 'gdpr' is not in the course list "
        "(add it with `isms-flow training course-add PROJECT gdpr TITLE`)"
    )
    assert blocker.message.ja == (
        "教育訓練: コース「gdpr」がコース一覧にありません"
        "（`isms-flow training course-add PROJECT gdpr TITLE` で追加）"
    )
    assert blocker.items == ("gdpr",)


@pytest.mark.parametrize(
    "staff",
    [(), (member("E6", "Osaka Sales", "Sales", in_scope=False),)],
    ids=["nobody", "only-out-of-scope"],
)
def test_an_empty_roster_blocks_with_a_clear_message(staff: tuple[StaffMember, ...]) -> None:
    result = evaluate(ALL_STAFF, staff)
    assert (result.met, result.have, result.need) == (False, 0, 1)
    (blocker,) = result.blockers
    assert blocker.message.en == (
        "training_coverage: no in-scope staff on the roster (add them with "
        "`isms-flow training staff-add` or `isms-flow training staff-import`)"
    )
    assert blocker.message.ja == (
        "教育訓練: 名簿に適用範囲内の要員がいません（`isms-flow training staff-add` または "
        "`isms-flow training staff-import` で登録）"
    )


def test_a_long_list_names_the_first_twenty_in_the_message_and_everyone_in_items() -> None:
    staff = tuple(member(f"E{n:03}", f"Person {n:03}", "Development") for n in range(45))
    result = evaluate(ALL_STAFF, staff, Completion("E000", "awareness", date(2026, 3, 1)))
    (blocker,) = result.blockers
    assert (result.have, result.need) == (1, 45)
    assert len(blocker.items) == 44
    assert blocker.items[-1] == "E044 Person 044 (Development)"
    assert MESSAGE_NAMES == 20
    assert "Person 020 (Development, no completion); and 24 more" in blocker.message.en
    assert "Person 021" not in blocker.message.en
    assert blocker.message.ja.endswith("Person 020（Development、受講記録なし）、ほか24名")


@pytest.mark.parametrize(
    "stage", ["staff_training", "surveillance_audit_1", "surveillance_audit_2"]
)
def test_the_shipped_workflow_checks_training_where_an_auditor_does(
    iso: WorkflowDefinition, stage: str
) -> None:
    assert ALL_STAFF in iso.state(stage).requires
