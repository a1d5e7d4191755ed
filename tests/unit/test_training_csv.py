"""Reading roster and completion CSV text: good rows, and every bad row named by its line."""

from __future__ import annotations

from datetime import date

import pytest

from isms_flow.isms.training import StaffMember
from isms_flow.isms.training_csv import (
    CompletionLine,
    parse_completions_csv,
    parse_date,
    parse_staff_csv,
)

ROSTER = {
    "E1": StaffMember("E1", "佐藤 花子", "Development", "Engineer", date(2024, 4, 1)),
    "E2": StaffMember(
        "E2", "Suzuki Ken", "QA", "Tester", date(2020, 4, 1), left_on=date(2026, 1, 1)
    ),
}


def problems_of_staff(text: str) -> list[str]:
    """The problems of a roster text, as printed."""
    return [str(problem) for problem in parse_staff_csv(text).problems]


def test_a_good_roster_is_read_with_optional_columns_and_japanese_yes_no() -> None:
    parsed = parse_staff_csv(
        "Employee ID,Name,Department,Role,Joined,Left,In scope\n"
        "E1,  佐藤   花子 ,Development,Engineer,2024-04-01,,yes\n"
        "\n"
        "E2,Suzuki Ken,QA,Tester,2020/4/1,2026-01-01,対象外\n"
    )
    assert parsed.problems == ()
    first, second = parsed.rows
    assert (first.line, first.member.name, first.member.in_scope) == (2, "佐藤 花子", True)
    assert (second.line, second.member.left_on, second.member.in_scope) == (
        4,
        date(2026, 1, 1),
        False,
    )
    assert first.sets_left and first.sets_scope


def test_a_roster_without_the_optional_columns_does_not_claim_to_set_them() -> None:
    parsed = parse_staff_csv("employee_id,name,department,role,joined\nE1,A,B,C,2024-04-01\n")
    (row,) = parsed.rows
    assert (row.sets_left, row.sets_scope, row.member.in_scope) == (False, False, True)


def test_every_bad_roster_row_is_reported_by_the_line_it_starts_on() -> None:
    text = (
        "employee_id,name,department,role,joined,left\n"  # line 1
        "E1,佐藤 花子,Development,Engineer,2024-04-01,\n"  # 2: fine
        "E2,Suzuki,Development,Engineer,2024-13-01,\n"  # 3: no month 13
        "E3,Tanaka,QA,Tester,2025-04-01,2025-03-01\n"  # 4: left before joining
        "E1,Again,QA,Tester,2025-04-01,\n"  # 5: E1 twice
        '"E4","Multi\nline",QA,Tester,2025-04-01\n'  # 6-7: one field short
        "E5,,QA,Tester,2025-04-01,\n"  # 8: no name
        "E6,X,QA,Tester,2025-04-01,,extra\n"  # 9: one field too many
        "E7,Y,QA,Tester,2025-02-29,\n"  # 10: 2025 has no 29 February
    )
    assert problems_of_staff(text) == [
        "line 3: joined '2024-13-01' is not a date (use YYYY-MM-DD)",
        "line 4: left 2025-03-01 is not after joined 2025-04-01",
        "line 5: employee E1 appears twice (first on line 2)",
        "line 6: expected 6 fields, found 5",
        "line 8: name is empty",
        "line 9: expected 6 fields, found 7",
        "line 10: joined '2025-02-29' is not a date (use YYYY-MM-DD)",
    ]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "line 1: the file is empty"),
        ("\n\n", "line 1: the file is empty"),
        (
            "employee_id,name,department,role\nE1,A,B,C\n",
            "line 1: missing column joined "
            "(expected: employee_id, name, department, role, joined [, left, in_scope])",
        ),
        (
            "employee_id,name,department,role,joined,salary\n",
            "line 1: unknown column salary "
            "(expected: employee_id, name, department, role, joined [, left, in_scope])",
        ),
        (
            "employee_id;name;department;role;joined\n",
            "line 1: columns must be separated by commas "
            "(expected: employee_id, name, department, role, joined [, left, in_scope])",
        ),
        ("employee_id,name,department,role,joined,name\n", "line 1: column name appears twice"),
        ("employee_id,name,department,role,joined\n", "line 1: no rows below the header"),
        (
            "employee_id,name,department,role,joined,in_scope\nE1,A,B,C,2024-04-01,maybe\n",
            "line 2: in_scope 'maybe' is not yes or no",
        ),
    ],
)
def test_unusable_files_and_headers_are_named(text: str, problem: str) -> None:
    assert problems_of_staff(text) == [problem]


def test_progress_is_reported_after_each_row() -> None:
    calls: list[tuple[int, int]] = []
    parse_staff_csv(
        "employee_id,name,department,role,joined\nE1,A,B,C,2024-04-01\nE2,A,B,C,bad\n",
        progress=lambda done, total: calls.append((done, total)),
    )
    assert calls == [(1, 2), (2, 2)]


def test_good_completions_are_read() -> None:
    parsed = parse_completions_csv(
        "employee_id,course,completed_on\nE1,awareness,2026-03-31\nE2,awareness,2025/12/1\n",
        staff=ROSTER,
        courses={"awareness"},
        today=date(2026, 4, 1),
    )
    assert parsed.problems == ()
    assert parsed.rows == (
        CompletionLine(2, "E1", "awareness", date(2026, 3, 31)),
        CompletionLine(3, "E2", "awareness", date(2025, 12, 1)),
    )


def test_every_bad_completion_row_is_reported_by_line() -> None:
    text = (
        "employee_id,course,completed_on\n"
        "E1,awareness,2026-03-01\n"  # 2: fine
        "E9,awareness,2026-03-01\n"  # 3: not on the roster
        "E1,gdpr,2026-03-01\n"  # 4: no such course
        "E1,awareness,01/03/2026\n"  # 5: not a date we read
        "E1,awareness,2026-04-02\n"  # 6: tomorrow
        "E2,awareness,2026-01-01\n"  # 7: the day E2 left
        "E1,awareness,2026-03-01\n"  # 8: same as line 2
    )
    parsed = parse_completions_csv(
        text, staff=ROSTER, courses={"awareness", "secure-coding"}, today=date(2026, 4, 1)
    )
    assert [str(p) for p in parsed.problems] == [
        "line 3: unknown employee id 'E9' (not on the roster)",
        "line 4: unknown course 'gdpr' (known: awareness, secure-coding)",
        "line 5: completed_on '01/03/2026' is not a date (use YYYY-MM-DD)",
        "line 6: completed_on 2026-04-02 is after today (2026-04-01)",
        "line 7: completed_on 2026-01-01 is not before E2 left (2026-01-01)",
        "line 8: duplicate of line 2",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-04-01", date(2026, 4, 1)),
        ("2026/4/1", date(2026, 4, 1)),
        (" 2024-02-29 ", date(2024, 2, 29)),
    ],
)
def test_dates_are_iso_or_japanese_excel_style(text: str, expected: date) -> None:
    assert parse_date(text, "joined") == expected


@pytest.mark.parametrize("text", ["", "2026-4", "20260401x", "2026-02-30", "April 1"])
def test_anything_else_is_not_a_date(text: str) -> None:
    with pytest.raises(ValueError, match=f"joined '{text}' is not a date"):
        parse_date(text, "joined")
