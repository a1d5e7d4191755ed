"""Training coverage as pure arithmetic: month ends, leap days, joining and leaving days."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from isms_flow.i18n import LocalizedText
from isms_flow.isms.training import (
    Completion,
    Course,
    StaffMember,
    TrainingRegister,
    add_months,
    coverage,
)

AWARENESS = Course("awareness", LocalizedText(en="Awareness", ja="意識向上"), 12)
SECURE_CODING = Course("secure-coding", LocalizedText(en="Secure coding", ja="セキュア開発"), 24)


def person(
    employee_id: str,
    *,
    department: str = "Development",
    joined: date = date(2020, 4, 1),
    left_on: date | None = None,
    in_scope: bool = True,
) -> StaffMember:
    """A roster entry named after its id."""
    return StaffMember(
        employee_id=employee_id,
        name=f"Name {employee_id}",
        department=department,
        role="Engineer",
        joined=joined,
        left_on=left_on,
        in_scope=in_scope,
    )


def register(*completions: Completion, staff: tuple[StaffMember, ...] = ()) -> TrainingRegister:
    """One person E1 (unless `staff`), both courses, these completions."""
    return TrainingRegister(
        staff=staff or (person("E1"),),
        courses=(AWARENESS, SECURE_CODING),
        completions=completions,
    )


def covered_on(day: date, *completions: Completion, course: str | None = None) -> bool:
    """Is E1 covered on `day`?"""
    result = coverage(register(*completions), day, course)
    assert result.counted == 1
    return result.covered == 1


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2025, 1, 31), 1, date(2025, 2, 28)),  # no 31 February: the month's last day
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # a leap year has the 29th
        (date(2024, 2, 29), 12, date(2025, 2, 28)),  # a leap day a year on: 28 February
        (date(2024, 2, 29), 48, date(2028, 2, 29)),  # four years on: a leap day again
        (date(2025, 2, 28), 12, date(2026, 2, 28)),  # the 28th stays the 28th
        (date(2023, 2, 28), 12, date(2024, 2, 28)),  # not stretched to the leap day
        (date(2025, 3, 31), 11, date(2026, 2, 28)),
        (date(2025, 12, 15), 1, date(2026, 1, 15)),  # across a year end
        (date(2025, 3, 31), -1, date(2025, 2, 28)),  # backwards clamps the same way
    ],
)
def test_months_are_added_on_the_calendar_and_clamped_to_the_month_end(
    start: date, months: int, expected: date
) -> None:
    assert add_months(start, months) == expected


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31)), st.integers(0, 240))
def test_a_completion_never_counts_longer_than_its_months(day: date, months: int) -> None:
    until = add_months(day, months)
    assert until >= day
    assert (until.year - day.year) * 12 + until.month - day.month == months
    assert until.day <= day.day


def test_a_completion_counts_through_the_same_day_twelve_months_later() -> None:
    done = Completion("E1", "awareness", date(2025, 4, 1))
    assert covered_on(date(2026, 4, 1), done)
    assert not covered_on(date(2026, 4, 2), done)


def test_a_completion_on_a_leap_day_lapses_after_28_february() -> None:
    done = Completion("E1", "awareness", date(2024, 2, 29))
    assert covered_on(date(2025, 2, 28), done)
    assert not covered_on(date(2025, 3, 1), done)


def test_a_completion_on_31_march_with_eleven_months_lapses_after_28_february() -> None:
    short = Course("refresher", LocalizedText(en="Refresher", ja="再教育"), 11)
    training = TrainingRegister(
        staff=(person("E1"),),
        courses=(short,),
        completions=(Completion("E1", "refresher", date(2025, 3, 31)),),
    )
    assert coverage(training, date(2026, 2, 28)).covered == 1
    assert coverage(training, date(2026, 3, 1)).covered == 0


def test_a_completion_dated_after_the_day_does_not_count_yet() -> None:
    done = Completion("E1", "awareness", date(2026, 4, 2))
    assert not covered_on(date(2026, 4, 1), done)
    assert covered_on(date(2026, 4, 2), done)


def test_only_the_named_course_counts_when_one_is_named() -> None:
    coding = Completion("E1", "secure-coding", date(2026, 1, 10))
    assert covered_on(date(2026, 4, 1), coding)
    assert not covered_on(date(2026, 4, 1), coding, course="awareness")
    assert covered_on(date(2026, 4, 1), coding, course="secure-coding")


def test_without_a_course_the_longest_lasting_completion_is_reported() -> None:
    old_awareness = Completion("E1", "awareness", date(2025, 1, 10))  # lapsed 2026-01-10
    coding = Completion("E1", "secure-coding", date(2024, 6, 1))  # 24 months: to 2026-06-01
    result = coverage(register(old_awareness, coding), date(2026, 4, 1))
    (entry,) = result.people
    assert entry.covered
    assert (entry.course, entry.completed_on, entry.valid_until) == (
        "secure-coding",
        date(2024, 6, 1),
        date(2026, 6, 1),
    )


def test_completions_of_courses_not_in_the_register_are_ignored() -> None:
    assert not covered_on(date(2026, 4, 1), Completion("E1", "unknown", date(2026, 3, 1)))


@pytest.mark.parametrize(
    ("member", "counted"),
    [
        (person("E1", joined=date(2026, 4, 1)), True),  # joined today
        (person("E1", joined=date(2026, 4, 2)), False),  # joins tomorrow
        (person("E1", left_on=date(2026, 4, 1)), False),  # left: gone from today
        (person("E1", left_on=date(2026, 4, 2)), True),  # leaves tomorrow
        (person("E1", in_scope=False), False),  # outside the ISMS scope
    ],
)
def test_who_is_counted_depends_on_joining_leaving_and_scope(
    member: StaffMember, counted: bool
) -> None:
    result = coverage(register(staff=(member,)), date(2026, 4, 1))
    assert result.counted == (1 if counted else 0)


def test_missing_people_are_listed_by_department_then_employee_id_with_their_lapse() -> None:
    staff = (
        person("E3", department="QA"),
        person("E2", department="Development"),
        person("E1", department="QA"),
        person("E4", department="Development"),
    )
    training = register(
        Completion("E4", "awareness", date(2026, 3, 1)),
        Completion("E1", "awareness", date(2025, 3, 1)),
        staff=staff,
    )
    result = coverage(training, date(2026, 4, 1))
    assert [(p.member.employee_id, p.valid_until) for p in result.missing] == [
        ("E2", None),
        ("E1", date(2026, 3, 1)),
        ("E3", None),
    ]
    assert [(d.department, d.covered, d.counted) for d in result.by_department()] == [
        ("Development", 1, 2),
        ("QA", 0, 2),
    ]


def test_percent_rounds_down_and_the_threshold_is_exact() -> None:
    staff = tuple(person(f"E{n}") for n in range(45))
    done = tuple(Completion(f"E{n}", "awareness", date(2026, 3, 1)) for n in range(44))
    result = coverage(register(*done, staff=staff), date(2026, 4, 1))
    assert (result.covered, result.counted, result.percent) == (44, 45, 97)
    assert result.meets(97)
    assert not result.meets(98)  # 44/45 is 97.8%: short of 98
    assert not result.meets(100)


def test_an_empty_roster_meets_no_threshold() -> None:
    result = coverage(TrainingRegister(), date(2026, 4, 1))
    assert (result.counted, result.covered, result.percent) == (0, 0, 0)
    assert not result.meets(1)
